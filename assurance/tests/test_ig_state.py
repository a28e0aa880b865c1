"""The derived IG state (``assurance.ig_state``) stays in step with every write to its sources, moves
with the calendar without a write, and ``manage.py refresh_derived`` finds and repairs drift.

The gaps page and the register's filter read only the derived rows, so every test here asks them
(or the same SQL) what a user would see, and checks it against the partnership page's own rules
worked out from the records.
"""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from agreements.models import AgreementKind, AgreementStatus
from assurance import ig_state
from assurance.models import IGGap, IGItemType, IGRequirement, IGState, RecordedStatus
from assurance.selectors import has_gaps, partnership_ig, requirement_matrix, status_expression
from assurance.services import save_requirements
from assurance.tests.builders import DAY, agreement, current_year, organisation, partnership, record, today
from core.audit import audit_context, record_bulk
from core.models import AuditEntry
from core.roles import Role
from organisations.dspt import year_starting
from partnerships.importing import import_register
from partnerships.models import ArrangementType, PartnerRole, Partnership
from partnerships.tests.importing import build_world, write_xlsx

pytestmark = pytest.mark.django_db
I = IGItemType  # noqa: E741


def sql_status(p, item, on=None):
    return Partnership.objects.annotate(s=status_expression(item, on or today())).get(pk=p.pk).s


def page_status(p, item, on=None):
    fetched = Partnership.objects.prefetch_related("ig_items__documents", "agreements", "partner_roles__organisation")
    states = partnership_ig(fetched.get(pk=p.pk), on or today()).items
    return next(str(state.status) for state in states if state.item == item)


def assert_no_drift():
    out = StringIO()
    call_command("refresh_derived", "--check", stdout=out)
    assert "IG state: 0 rows had drifted." in out.getvalue()


def test_a_dpia_due_for_review_today_is_in_place_today_and_expired_tomorrow_without_a_write():
    p = partnership(data_sharing="personal")
    record(p, I.DPIA, review_on=today())
    tomorrow = today() + DAY
    assert sql_status(p, I.DPIA) == page_status(p, I.DPIA) == "in_place"
    assert sql_status(p, I.DPIA, tomorrow) == page_status(p, I.DPIA, tomorrow) == "expired"


def test_an_agreement_in_force_counts_until_its_term_ends_and_an_in_progress_record_after():
    p = partnership(data_sharing="personal")
    agreement(p, AgreementKind.INFORMATION_SHARING, AgreementStatus.IN_FORCE, today() + 10 * DAY)
    record(p, I.ISA, RecordedStatus.IN_PROGRESS)
    later = today() + 11 * DAY
    assert sql_status(p, I.ISA) == page_status(p, I.ISA) == "in_place"
    assert sql_status(p, I.ISA, later) == page_status(p, I.ISA, later) == "in_progress"


@pytest.mark.parametrize(
    ("status", "on_30_june", "on_1_july"),
    [("standards_met", "in_place", "expired"), ("approaching_standards", "in_progress", "expired")],
)
def test_a_partners_dspt_stops_being_current_on_1_july_of_the_year_after_next(status, on_30_june, on_1_july):
    year = current_year()
    p = partnership(partners=[organisation("Partner", status, year)])
    last_day = datetime.date(int(year[:4]) + 2, 6, 30)
    for on, expected in ((last_day, on_30_june), (last_day + DAY, on_1_july)):
        assert sql_status(p, I.PARTNER_DSPT, on) == page_status(p, I.PARTNER_DSPT, on) == expected


def test_a_partner_edited_to_standards_not_met_opens_a_gap_on_every_partnership_it_is_in(client_for):
    partner = organisation("Oxfordshire Mind", "standards_met")
    first, second = (partnership(data_sharing="personal", partners=[partner]) for _ in range(2))
    assert sql_status(first, I.PARTNER_DSPT) == sql_status(second, I.PARTNER_DSPT) == "in_place"

    partner.dspt_status = "standards_not_met"
    partner.save()
    assert sql_status(first, I.PARTNER_DSPT) == sql_status(second, I.PARTNER_DSPT) == "missing"
    gaps = client_for(Role.AUDITOR).get(reverse("assurance:gaps"), {"item": "partner_dspt"}).content.decode()
    assert first.reference in gaps and second.reference in gaps

    partner.dspt_year = year_starting(int(current_year()[:4]) - 1)
    partner.dspt_status = "standards_met"
    partner.save()
    assert sql_status(first, I.PARTNER_DSPT) == page_status(first, I.PARTNER_DSPT) == "expired"
    assert_no_drift()


def test_adding_and_removing_a_partner_moves_the_dspt_status():
    met, unpublished = organisation("Met", "standards_met"), organisation("Unpublished", "not_published")
    p = partnership(partners=[met])
    assert sql_status(p, I.PARTNER_DSPT) == "in_place"
    role = PartnerRole.objects.create(partnership=p, organisation=unpublished)
    assert sql_status(p, I.PARTNER_DSPT) == page_status(p, I.PARTNER_DSPT) == "missing"
    role.delete()
    assert sql_status(p, I.PARTNER_DSPT) == "in_place"
    PartnerRole.objects.filter(partnership=p, organisation=met).get().delete()
    assert sql_status(p, I.PARTNER_DSPT) == page_status(p, I.PARTNER_DSPT) == "missing"  # no partner at all


def test_an_agreement_that_ends_or_changes_kind_moves_both_items():
    p = partnership(ArrangementType.LEAD_PROVIDER_SUBCONTRACT, data_sharing="personal")
    made = agreement(p, AgreementKind.INFORMATION_SHARING, AgreementStatus.IN_FORCE)
    assert sql_status(p, I.ISA) == "in_place"
    made.kind = AgreementKind.DATA_PROCESSING
    made.save()
    assert (sql_status(p, I.ISA), sql_status(p, I.DPA)) == ("missing", "in_place")
    made.status = AgreementStatus.TERMINATED
    made.save()
    assert sql_status(p, I.DPA) == page_status(p, I.DPA) == "expired"
    assert_no_drift()


def test_a_deleted_partnership_leaves_no_state_behind():
    p = partnership(partners=[organisation("Partner", "standards_met")])
    assert IGState.objects.filter(partnership_id=p.pk).exists()
    pk = p.pk
    p.delete()
    assert not IGState.objects.filter(partnership_id=pk).exists()


def test_an_import_that_adds_partners_in_bulk_keeps_the_state_in_step(tmp_path, users, make_user):
    world = build_world(users, make_user)
    world["orgs"]["mind"].dspt_status, world["orgs"]["mind"].dspt_year = "standards_met", current_year()
    world["orgs"]["mind"].save()
    rows = [["Reference", "Title", "Partners", "Status"], ["P-0100", "Carers alliance", "Oxfordshire Mind", "Active"]]
    import_register(write_xlsx(tmp_path / "register.xlsx", rows), user=world["people"]["coordinator"])
    carers = Partnership.objects.get(reference="P-0100")
    assert sql_status(carers, I.PARTNER_DSPT) == "in_place"  # the partner, Oxfordshire Mind, is at Standards Met
    assert_no_drift()


def test_an_import_works_out_each_new_partnerships_rows_once_when_every_row_is_written(tmp_path, users, make_user):
    """Created, then given its partners, a new partnership's IG gap is worked out once (with its
    partners): each row created once, in one audit entry, never created then updated."""
    world = build_world(users, make_user)
    mind = world["orgs"]["mind"]
    mind.dspt_status, mind.dspt_year = "standards_met", current_year()
    mind.save()
    IGRequirement.objects.update_or_create(
        arrangement_type=ArrangementType.MOU,
        data_sharing="aggregate",
        defaults={item.value: item == I.PARTNER_DSPT for item in IGItemType},
    )
    rows = [
        ["Reference", "Title", "Partners", "Status", "Arrangement type", "Data sharing level"],
        ["P-0100", "Carers alliance", "Oxfordshire Mind", "Active", "Memorandum of understanding", "Aggregate"],
    ]
    import_register(write_xlsx(tmp_path / "register.xlsx", rows), user=world["people"]["coordinator"])
    carers = Partnership.objects.get(reference="P-0100")
    assert IGGap.objects.get(partnership=carers).gap_from == ig_state.current_until(current_year()) + DAY
    written = AuditEntry.objects.filter(parent_id=carers.pk, object_label__regex="^IG (gap|state)")
    assert sorted(written.values_list("object_label", "action")) == [
        (str(IGGap.objects.get(partnership=carers)), "create"),
        (str(IGState.objects.get(partnership=carers)), "create"),
    ]
    assert_no_drift()


def test_refresh_derived_reports_drift_and_repairs_it():
    p = partnership(data_sharing="personal", partners=[organisation("Partner", "standards_met")])
    record(p, I.DPIA)
    assert sql_status(p, I.DPIA) == "in_place"
    IGState.objects.filter(partnership_id=p.pk, item=I.DPIA).update(in_place_until=today() - DAY)  # typed by hand
    IGState.objects.filter(partnership_id=p.pk, item=I.PARTNER_DSPT).delete()

    out = StringIO()
    with pytest.raises(CommandError, match="has drifted"):
        call_command("refresh_derived", "--check", stdout=out)
    assert "IG state: 2 rows had drifted." in out.getvalue()
    assert sql_status(p, I.DPIA) == "expired"  # --check changed nothing

    call_command("refresh_derived", stdout=StringIO())
    assert sql_status(p, I.DPIA) == "in_place" and sql_status(p, I.PARTNER_DSPT) == "in_place"
    assert_no_drift()


def test_summaries_take_the_best_source_and_the_worst_partner():
    forever, soon = ig_state.FOREVER, today() + DAY
    assert ig_state.summarise_recorded([], []) is None
    assert ig_state.summarise_recorded([("in_place", None)], [("expired", None)]) == (forever, False)
    assert ig_state.summarise_recorded([("in_progress", None)], [("in_force", soon)]) == (soon, True)
    assert ig_state.summarise_dspt([]) is None
    assert ig_state.summarise_dspt([("standards_met", "2024-25"), ("", "")]) is None
    assert ig_state.summarise_dspt([("standards_met", "2024-25"), ("approaching_standards", "2023-24")]) == (
        datetime.date(2025, 6, 30),
        True,
    )
    assert ig_state.summarise_dspt([("standards_exceeded", "")]) == (ig_state.NOT_CURRENT, False)


def gapped(p, on=None):
    """Whether the register's "IG gaps" filter (the derived IG gap) finds ``p`` on that day."""
    return Partnership.objects.filter(has_gaps(on or today()), pk=p.pk).exists()


def page_gapped(p, on=None):
    """Whether the partnership page's own rules, from its records, show a gap that day."""
    fetched = Partnership.objects.prefetch_related("ig_items__documents", "agreements", "partner_roles__organisation")
    ig = partnership_ig(fetched.get(pk=p.pk), on or today())
    return not ig.level_assessed or any(str(state.status) != "in_place" for state in ig.items)


def test_the_ig_gap_starts_the_day_after_the_first_required_item_stops_being_in_place():
    p = partnership(data_sharing="aggregate")  # an MOU sharing aggregate data needs an ISA only
    assert gapped(p) and page_gapped(p)  # nothing recorded: a gap from the start
    record(p, I.ISA, review_on=today() + 5 * DAY)
    assert IGGap.objects.get(partnership=p).gap_from == today() + 6 * DAY
    for on in (today(), today() + 5 * DAY, today() + 6 * DAY):
        assert gapped(p, on) == page_gapped(p, on) == (on > today() + 5 * DAY)
    assert_no_drift()


def test_a_partnership_with_every_item_in_place_for_good_has_no_gap_row():
    p = partnership(data_sharing="aggregate")
    agreement(p, AgreementKind.INFORMATION_SHARING, AgreementStatus.IN_FORCE, None)  # in force, no end
    assert not IGGap.objects.filter(partnership=p).exists()
    assert not gapped(p, today() + 3650 * DAY) and not page_gapped(p, today() + 3650 * DAY)


def test_changing_the_level_of_data_sharing_or_the_type_moves_the_gap():
    p = partnership(data_sharing="aggregate")
    record(p, I.ISA)
    assert not gapped(p)
    p.data_sharing = "personal"  # now a DPIA, the partners' DSPT, a privacy notice and a ROPA too
    p.save()
    assert gapped(p) and page_gapped(p)
    p.data_sharing = "none"
    p.save()
    assert not gapped(p) and not page_gapped(p)
    p.data_sharing = ""  # not assessed: a gap whatever the records
    p.save()
    assert gapped(p) and page_gapped(p)
    assert_no_drift()


def test_changing_the_matrix_moves_the_gaps_of_the_partnerships_in_that_cell_only(client, users):
    in_cell = partnership(ArrangementType.MOU, data_sharing="aggregate")
    other = partnership(ArrangementType.INFORMAL, data_sharing="aggregate")
    assert gapped(in_cell) and gapped(other)  # no ISA recorded for either
    cells = {key: set(items) for key, items in requirement_matrix().items()}
    cells[(ArrangementType.MOU.value, "aggregate")] = set()
    save_requirements(cells)
    assert not gapped(in_cell) and not page_gapped(in_cell)
    assert gapped(other) and page_gapped(other)
    assert_no_drift()


def test_a_deleted_partnership_leaves_no_ig_gap_and_the_deletion_is_audited():
    p = partnership(data_sharing="")
    pk = p.pk
    assert IGGap.objects.filter(partnership_id=pk).exists()
    p.delete()
    assert not IGGap.objects.filter(partnership_id=pk).exists()
    removed = AuditEntry.objects.filter(object_label__startswith="IG gap", action="delete", parent_id=pk)
    assert removed.count() == 1


def test_refresh_derived_finds_and_repairs_a_tampered_ig_gap():
    p = partnership(data_sharing="aggregate")
    IGGap.objects.filter(partnership=p).update(gap_from=today() + 100 * DAY)  # written around Accord
    assert not gapped(p)
    out = StringIO()
    call_command("refresh_derived", stdout=out)
    assert "IG state: 1 row had drifted." in out.getvalue()
    assert gapped(p) and page_gapped(p)


def test_more_than_a_thousand_partnerships_written_in_bulk_get_their_ig_gaps_each_audited():
    """As the import and the benchmark write them: one derived row per partnership, in chunks of
    2,000, each audited naming its partnership (SQLite refuses a query naming 1,000 of them at once)."""
    made = Partnership.objects.bulk_create(
        Partnership(reference=f"BULK-{n:04d}", title=f"Bulk partnership {n}", data_sharing="") for n in range(1100)
    )
    with audit_context(source="test"):
        record_bulk(made)
    assert IGGap.objects.filter(partnership__in=made, gap_from=ig_state.ALWAYS).count() == 1100
    entries = AuditEntry.objects.filter(object_label__startswith="IG gap", parent_id__in=[p.pk for p in made])
    assert entries.count() == 1100
    assert set(entries.values_list("parent_label", flat=True)) == {str(p) for p in made}

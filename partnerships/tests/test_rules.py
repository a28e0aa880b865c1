"""The register's rules: tier, unique references, dates, status stamps, safe exports."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.audit import audit_context
from core.models import AuditEntry, TierThresholds
from partnerships.models import Partnership, Status
from partnerships.tiering import derive_tier
from tests.world import build_world, database_state, opened_at_now, partnership_form_data


@pytest.fixture
def world(db):
    return build_world()


def set_thresholds(tier1, tier2):
    thresholds = TierThresholds.current()
    thresholds.tier1_min_value, thresholds.tier2_min_value = Decimal(tier1), Decimal(tier2)
    thresholds.full_clean()
    thresholds.save()
    return thresholds


# --- tier -------------------------------------------------------------------------------------

DEFAULT = ("1000000", "100000")
LOWER = ("500000", "50000")

TIER_CASES = [
    # thresholds, annual value, material contribution, tier
    (DEFAULT, None, False, 3),  # unknown value: nothing is guessed
    (DEFAULT, "0", False, 3),
    (DEFAULT, "99999.99", False, 3),
    (DEFAULT, "100000", False, 2),
    (DEFAULT, "999999", False, 2),
    (DEFAULT, "999999.99", False, 2),
    (DEFAULT, "1000000", False, 1),
    (DEFAULT, "65000000", False, 1),
    (DEFAULT, None, True, 1),  # unknown value does not lower the tier contribution sets
    (DEFAULT, "0", True, 1),
    (DEFAULT, "50000", True, 1),
    (LOWER, "49999.99", False, 3),
    (LOWER, "50000", False, 2),
    (LOWER, "99999.99", False, 2),
    (LOWER, "499999", False, 2),
    (LOWER, "500000", False, 1),
    (LOWER, None, False, 3),
    (LOWER, None, True, 1),
]


@pytest.mark.parametrize(("thresholds", "value", "material", "tier"), TIER_CASES)
def test_tier_is_derived_the_same_way_in_python_and_in_sql(db, thresholds, value, material, tier):
    current = set_thresholds(*thresholds)
    annual_value = Decimal(value) if value is not None else None
    assert derive_tier(annual_value, material, current) == tier

    p = Partnership.objects.create(
        reference="P-0100",
        title="Tier case",
        arrangement_type="mou",
        annual_value=annual_value,
        material_contribution=material,
    )
    assert p.derived_tier() == tier
    assert Partnership.objects.with_tier().get(pk=p.pk).tier == tier
    assert Partnership.objects.with_tier(current).filter(tier=tier).filter(pk=p.pk).exists()


def test_the_register_filters_by_the_derived_tier_after_thresholds_change(client, world):
    """Every row the register lists under a tier has that tier by the Python rule, and none is missed."""
    values = ["0", "49999.99", "50000", "99999.99", "100000", "499999", "500000", "999999.99", "1000000"]
    for n, value in enumerate(values, start=10):
        Partnership.objects.create(
            reference=f"P-{n:04d}", title=f"Case {value}", arrangement_type="mou", annual_value=Decimal(value)
        )
    Partnership.objects.create(
        reference="P-0099", title="Contributes", arrangement_type="mou", material_contribution=True
    )
    client.force_login(world.user("executive"))
    for thresholds in (DEFAULT, LOWER):
        current = set_thresholds(*thresholds)
        for tier in (1, 2, 3):
            response = client.get(reverse("partnerships:list"), {"tier": tier, "export": "csv"})
            rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
            listed = {r["Reference"] for r in rows}
            expected = {p.reference for p in Partnership.objects.all() if p.derived_tier(current) == tier}
            assert listed == expected, (thresholds, tier)
            assert {r["Tier"] for r in rows} <= {str(tier)}


def test_tier_cannot_be_typed(client, world):
    """The form has no tier field: a crafted POST with one is ignored and the tier stays derived."""
    client.force_login(world.user("coordinator"))
    data = partnership_form_data(world.other_partnership, annual_value="20000", tier="1")
    assert client.post(reverse("partnerships:edit", args=[world.other_partnership.pk]), data).status_code == 302
    assert Partnership.objects.with_tier().get(pk=world.other_partnership.pk).tier == 3


def test_thresholds_must_keep_tier_1_above_tier_2(db):
    thresholds = TierThresholds.current()
    thresholds.tier1_min_value = Decimal("100000")
    with pytest.raises(ValidationError) as refused:
        thresholds.full_clean()
    assert "The Tier 1 threshold must be higher than the Tier 2 threshold." in refused.value.messages


# --- references -------------------------------------------------------------------------------


def test_a_reference_is_unique_whatever_its_case(client, world):
    client.force_login(world.user("coordinator"))
    before = database_state()
    response = client.post(
        reverse("partnerships:add"),
        {
            "reference": "p-0001",
            "title": "Duplicate",
            "arrangement_type": "mou",
            "status": "proposed",
            "value_qualifier": "exact",
        },
    )
    assert response.status_code == 400
    assert "The reference P-0001 is already used by another partnership." in response.content.decode()
    assert database_state() == before


def test_the_database_refuses_a_duplicate_reference(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Partnership.objects.create(reference="P-0001", title="Duplicate", arrangement_type="mou")


def test_a_blank_reference_takes_the_next_free_one_and_never_changes(client, world):
    client.force_login(world.user("coordinator"))
    client.post(
        reverse("partnerships:add"),
        {
            "title": "Oxfordshire Carer Alliance",
            "arrangement_type": "alliance",
            "status": "proposed",
            "value_qualifier": "exact",
        },
    )
    created = Partnership.objects.get(title="Oxfordshire Carer Alliance")
    assert created.reference == "P-0003"
    client.post(
        reverse("partnerships:edit", args=[created.pk]),
        partnership_form_data(created, reference="P-0999", title="Oxfordshire Carers Alliance"),
    )
    created.refresh_from_db()
    assert (created.reference, created.title) == ("P-0003", "Oxfordshire Carers Alliance")


@pytest.mark.parametrize("reference", ["P 0042", "P_0042", "-P0042", "P-0042!"])
def test_a_reference_uses_letters_numbers_and_dashes_only(client, world, reference):
    client.force_login(world.user("coordinator"))
    response = client.post(
        reverse("partnerships:add"),
        {
            "reference": reference,
            "title": "Odd",
            "arrangement_type": "mou",
            "status": "proposed",
            "value_qualifier": "exact",
        },
    )
    assert response.status_code == 400
    assert "A reference can only contain letters, numbers and dashes" in response.content.decode()
    assert not Partnership.objects.filter(title="Odd").exists()


# --- dates ------------------------------------------------------------------------------------

END_BEFORE_START = "The end date must be the same as or after the start date."
CLOSED_NEEDS_END = "Enter the date the partnership ended: a closed partnership needs an end date."


def test_an_end_date_before_the_start_date_is_refused_in_plain_words(client, world):
    client.force_login(world.user("coordinator"))
    before = database_state()
    response = client.post(
        reverse("partnerships:edit", args=[world.partnership.pk]),
        partnership_form_data(world.partnership, start_date="01/04/2020", end_date="31/03/2020"),
    )
    assert response.status_code == 400
    assert END_BEFORE_START in response.content.decode()
    assert database_state() == before


def test_the_same_start_and_end_date_is_allowed(world):
    p = world.partnership
    p.end_date = p.start_date
    p.full_clean()


def test_the_model_refuses_an_end_before_the_start_and_a_closed_partnership_without_an_end(world):
    p = Partnership(reference="P-0200", title="Model rules", arrangement_type="mou")
    p.start_date, p.end_date = datetime.date(2022, 4, 1), datetime.date(2022, 3, 31)
    with pytest.raises(ValidationError) as refused:
        p.full_clean()
    assert refused.value.message_dict == {"end_date": [END_BEFORE_START]}
    p.end_date, p.status = None, Status.CLOSED
    with pytest.raises(ValidationError) as refused:
        p.full_clean()
    assert refused.value.message_dict == {"end_date": [CLOSED_NEEDS_END]}


def test_a_closed_partnership_needs_an_end_date_on_the_edit_form(client, world):
    client.force_login(world.user("coordinator"))
    before = database_state()
    response = client.post(
        reverse("partnerships:edit", args=[world.partnership.pk]),
        partnership_form_data(world.partnership, status="closed", end_date=""),
    )
    assert response.status_code == 400
    assert CLOSED_NEEDS_END in response.content.decode()
    assert database_state() == before


def closing(world, end_date):
    """The close page's form as sent, with ``end_date``."""
    return {"end_date": end_date, **opened_at_now(world.partnership)}


@pytest.mark.parametrize(
    ("end_date", "message"),
    [
        ("", "Enter the date the partnership ended."),
        ("31/03/2020", END_BEFORE_START),
        ("31/02/2024", "Enter a real date"),
    ],
)
def test_closing_needs_a_real_end_date_not_before_the_start(client, world, end_date, message):
    client.force_login(world.user("coordinator"))
    before = database_state()
    response = client.post(reverse("partnerships:close", args=[world.partnership.pk]), closing(world, end_date))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert database_state() == before
    assert Partnership.objects.get(pk=world.partnership.pk).status == Status.ACTIVE


# --- status changes ---------------------------------------------------------------------------


def test_closing_stamps_who_changed_the_status_and_when(client, world):
    client.force_login(world.user("coordinator"))
    started = timezone.now()
    response = client.post(reverse("partnerships:close", args=[world.partnership.pk]), closing(world, "31/03/2025"))
    assert response.status_code == 302
    p = Partnership.objects.get(pk=world.partnership.pk)
    assert (p.status, p.end_date) == (Status.CLOSED, datetime.date(2025, 3, 31))
    assert p.status_changed_by == world.user("coordinator")
    assert started <= p.status_changed_at <= timezone.now()
    page = client.get(reverse("partnerships:detail", args=[p.pk])).content.decode()
    assert "set by Ben Cahill" in page


def test_a_status_change_on_the_edit_form_is_stamped_and_other_edits_leave_the_stamp(client, world):
    client.force_login(world.user("owner"))
    client.post(
        reverse("partnerships:edit", args=[world.partnership.pk]),
        partnership_form_data(world.partnership, status="under_review"),
    )
    p = Partnership.objects.get(pk=world.partnership.pk)
    assert (p.status, p.status_changed_by) == (Status.UNDER_REVIEW, world.user("owner"))
    stamped_at = p.status_changed_at

    client.force_login(world.user("delegate"))
    client.post(reverse("partnerships:edit", args=[p.pk]), partnership_form_data(p, notes="Review booked."))
    p = Partnership.objects.get(pk=p.pk)
    assert p.notes == "Review booked."
    assert (p.status_changed_by, p.status_changed_at) == (world.user("owner"), stamped_at)


def test_a_status_change_outside_the_pages_is_stamped_too(world):
    p = Partnership.objects.get(pk=world.other_partnership.pk)
    with audit_context(user=world.user("administrator"), source="import"):
        p.status = Status.CLOSING
        p.save()
    p.refresh_from_db()
    assert p.status_changed_by == world.user("administrator")
    assert p.status_changed_at is not None


def test_a_record_created_with_the_date_its_status_took_effect_keeps_it_until_the_status_changes(client, world):
    """Demo data from the board papers: "active since April 2019", not since the day it was seeded."""
    april_2019 = timezone.make_aware(datetime.datetime(2019, 4, 30, 12))
    with audit_context(source="seed"):
        p = Partnership.objects.create(
            reference="P-0042",
            title="Dated",
            arrangement_type="mou",
            status=Status.ACTIVE,
            status_changed_at=april_2019,
        )
    p.refresh_from_db()
    assert p.status_changed_at == april_2019

    client.force_login(world.user("coordinator"))
    data = partnership_form_data(p, status="under_review")
    client.post(reverse("partnerships:edit", args=[p.pk]), {**data, "status_changed_at": "01/01/2000"})
    p.refresh_from_db()
    assert p.status == Status.UNDER_REVIEW and p.status_changed_at > april_2019, "a later change is stamped now"
    assert p.status_changed_by == world.user("coordinator")


# --- safe exports -----------------------------------------------------------------------------

DANGEROUS = {
    "title": '=HYPERLINK("http://example.com/x","Click")',
    "purpose": "+SUM(1,2)",
    "notes": "-2+3",
}
PARTNER_NAME = "@Risky Partner Ltd"


@pytest.fixture
def dangerous(world):
    p = world.other_partnership
    for field, value in DANGEROUS.items():
        setattr(p, field, value)
    p.save()
    org = world.other_org
    org.name = PARTNER_NAME
    org.save()
    Partnership.objects.create(reference="P-0003", title="\tTabbed title", arrangement_type="mou", notes="\rReturn")
    return world


def export(client, world, fmt):
    client.force_login(world.user("board_member"))
    response = client.get(reverse("partnerships:list"), {"export": fmt})
    assert response.status_code == 200
    return response


def test_csv_export_neutralises_formulas_with_an_apostrophe(client, dangerous):
    response = export(client, dangerous, "csv")
    rows = {r["Reference"]: r for r in csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))}
    risky = rows["P-0002"]
    assert risky["Partnership name"] == "'" + DANGEROUS["title"]
    assert risky["Purpose"] == "'" + DANGEROUS["purpose"]
    assert risky["Notes"] == "'" + DANGEROUS["notes"]
    assert risky["Partner organisations"] == "'" + PARTNER_NAME
    assert rows["P-0003"]["Partnership name"] == "'\tTabbed title"
    assert rows["P-0003"]["Notes"] == "'\rReturn"
    # Ordinary text and numbers are left alone.
    assert rows["P-0001"]["Partnership name"] == "Thames Valley Forensic Network"
    assert rows["P-0002"]["Annual value (£)"] == "5800000"


def test_xlsx_export_writes_formula_like_text_as_literal_strings(client, dangerous):
    response = export(client, dangerous, "xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    headers = [c.value for c in sheet[1]]
    rows = {r[0].value: dict(zip(headers, r, strict=True)) for r in sheet.iter_rows(min_row=2)}
    risky = rows["P-0002"]
    cells = {
        "Partnership name": DANGEROUS["title"],
        "Purpose": DANGEROUS["purpose"],
        "Notes": DANGEROUS["notes"],
        "Partner organisations": PARTNER_NAME,
    }
    for header, text in cells.items():
        cell = risky[header]
        assert (cell.data_type, cell.value) == ("s", text), header
    assert (rows["P-0003"]["Partnership name"].data_type, rows["P-0003"]["Partnership name"].value) == (
        "s",
        "\tTabbed title",
    )
    value = risky["Annual value (£)"]
    assert (value.data_type, value.value) == ("n", 5800000)
    start = risky["Start date"]
    assert start.is_date and start.value.date() == datetime.date(2019, 4, 1)


# --- the lead as recorded and the value's note -------------------------------------------------------


def test_the_lead_as_recorded_and_the_values_note_are_edited_on_the_form_and_audited(client, world):
    client.force_login(world.user("coordinator"))
    response = client.post(
        reverse("partnerships:edit", args=[world.partnership.pk]),
        partnership_form_data(
            world.partnership, recorded_lead="  Head of   Forensic Services ", value_note="in-kind support"
        ),
    )
    assert response.status_code == 302
    partnership = Partnership.objects.get(pk=world.partnership.pk)
    assert (partnership.recorded_lead, partnership.value_note) == ("Head of Forensic Services", "in-kind support")
    entry = AuditEntry.objects.for_object(partnership).latest("id")
    assert sorted(entry.changed_fields) == ["recorded_lead", "value_note"]
    assert entry.after["recorded_lead"] == "Head of Forensic Services"
    page = client.get(partnership.get_absolute_url()).content.decode()
    assert "Recorded as “Head of Forensic Services”" in page
    assert "(in-kind support)" in page


def test_a_lead_editing_their_partnership_changes_neither_who_leads_it_nor_how_it_is_recorded(client, world):
    Partnership.objects.filter(pk=world.partnership.pk).update(recorded_lead="Anne Clarke")
    client.force_login(world.user("owner"))
    form = client.get(reverse("partnerships:edit", args=[world.partnership.pk])).context["form"]
    assert "recorded_lead" not in form.fields and "lead" not in form.fields
    client.post(
        reverse("partnerships:edit", args=[world.partnership.pk]),
        partnership_form_data(world.partnership, recorded_lead="Someone else"),
    )
    assert Partnership.objects.get(pk=world.partnership.pk).recorded_lead == "Anne Clarke"

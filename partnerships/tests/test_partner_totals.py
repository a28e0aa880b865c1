"""Each organisation's open partnerships and their value (``partnerships.partner_totals``) stay in
step with every write to partner roles and partnerships, through the pages' paths, bulk writes and
the import, and ``manage.py refresh_derived`` finds and repairs drift.

Every test compares the derived table with the same totals grouped from the partner roles
themselves (what the dashboard worked out before the table existed).
"""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, Sum
from django.test.utils import CaptureQueriesContext

from core.audit import audit_context, record_bulk
from organisations.models import Organisation, OrganisationKind
from partnerships import partner_totals
from partnerships.importing import import_register
from partnerships.models import PartnerRole, PartnerRoleKind, Partnership, PartnerTotal, Status
from partnerships.tests.importing import add_partnership, build_world, write_xlsx

pytestmark = pytest.mark.django_db


def grouped():
    """The totals worked out from the partner roles: {organisation id: (partnerships, value)}."""
    rows = (
        PartnerRole.objects.exclude(partnership__status=Status.CLOSED)
        .order_by()
        .values("organisation")
        .annotate(n=Count("pk"), value=Sum("partnership__annual_value"))
        .values_list("organisation", "n", "value")
    )
    return {pk: (n, value or Decimal(0)) for pk, n, value in rows}


def derived():
    rows = PartnerTotal.objects.values_list("organisation", "partnerships", "value")
    return {pk: (n, value) for pk, n, value in rows}


def assert_in_step():
    assert derived() == grouped()
    out = StringIO()
    call_command("refresh_derived", "--check", stdout=out)
    assert "Partner organisations' totals: 0 rows had drifted." in out.getvalue()


def org(name):
    return Organisation.objects.create(name=name, kind=OrganisationKind.VCSE)


@pytest.fixture
def register(db):
    with audit_context(source="test"):
        mind, council = org("Oxfordshire Mind"), org("Oxfordshire County Council")
        carers = add_partnership("P-0001", "Carers", [mind, council], annual_value=Decimal("100000"))
        add_partnership("P-0002", "Talking therapies", [mind], annual_value=Decimal("2500.50"))
        add_partnership("P-0003", "Not yet valued", [council])
    return {"mind": mind, "council": council, "carers": carers}


def test_the_totals_count_open_partnerships_and_sum_their_values(register):
    mind, council = register["mind"], register["council"]
    assert derived() == {mind.pk: (2, Decimal("102500.50")), council.pk: (2, Decimal("100000"))}
    assert_in_step()


def test_adding_moving_and_removing_a_partner_role(register):
    mind, council, carers = register["mind"], register["council"], register["carers"]
    other = org("Age UK Oxfordshire")
    with audit_context(source="test"):
        role = PartnerRole.objects.create(
            partnership=Partnership.objects.get(reference="P-0003"), organisation=other, role=PartnerRoleKind.MEMBER
        )
        assert derived()[other.pk] == (1, Decimal(0))
        role.organisation = mind
        role.save()
        assert other.pk not in derived() and derived()[mind.pk] == (3, Decimal("102500.50"))
        assert_in_step()
        PartnerRole.objects.get(partnership=carers, organisation=council).delete()
    assert derived()[council.pk] == (1, Decimal(0))
    assert_in_step()


def test_changing_a_partnerships_value_or_status(register):
    mind, council, carers = register["mind"], register["council"], register["carers"]
    with audit_context(source="test"):
        carers.annual_value = Decimal("40000")
        carers.save()
        assert derived()[council.pk] == (2, Decimal("40000"))
        carers.status = Status.CLOSED
        carers.end_date = carers.start_date
        carers.save(update_fields=["status", "end_date"])
        assert derived() == {mind.pk: (1, Decimal("2500.50")), council.pk: (1, Decimal(0))}
        talking = Partnership.objects.get(reference="P-0002")
        talking.status = Status.CLOSED
        talking.save()
    assert mind.pk not in derived(), "an organisation in no open partnership has no row"
    assert_in_step()


def test_deleting_a_partnership_takes_its_partners_totals_with_it(register):
    with audit_context(source="test"):
        register["carers"].delete()
    assert derived() == {register["mind"].pk: (1, Decimal("2500.50")), register["council"].pk: (1, Decimal(0))}
    assert_in_step()


def test_a_save_that_changes_neither_status_nor_value_leaves_the_table_alone(register):
    carers = Partnership.objects.get(pk=register["carers"].pk)
    carers.title = "Carers alliance"
    with audit_context(source="test"), CaptureQueriesContext(connection) as captured:
        carers.save()
    assert not any("partnerships_partnertotal" in q["sql"] for q in captured.captured_queries)


def test_partner_roles_written_in_bulk(register):
    extra = org("Restore")
    with audit_context(source="test"):
        roles = [
            PartnerRole(partnership=p, organisation=extra, role=PartnerRoleKind.MEMBER)
            for p in Partnership.objects.all()
        ]
        PartnerRole.objects.bulk_create(roles)
        record_bulk(roles)  # sends core.signals.bulk_created, as the import and the benchmark do
    assert derived()[extra.pk] == (3, Decimal("102500.50"))
    assert_in_step()


def test_an_import_creating_and_updating_partnerships_refreshes_once(tmp_path, users, make_user):
    world = build_world(users, make_user)
    mind, bob = world["orgs"]["mind"], world["orgs"]["bob"]
    with audit_context(source="test"):
        add_partnership("P-0001", "Carers", [mind], annual_value=Decimal("1000"))
    rows = [
        ["Reference", "Title", "Partners", "Status", "Annual value (£)", "End date"],
        ["P-0001", "Carers", "Oxfordshire Mind", "Closed", "1000", "31/03/2026"],
        ["P-0100", "Crisis cafe", f"Oxfordshire Mind; {bob.name}", "Active", "5000", ""],
    ]
    refreshed = []
    original = partner_totals._totals
    partner_totals._totals = lambda ids: refreshed.append(sorted(ids)) or original(ids)
    try:
        import_register(write_xlsx(tmp_path / "register.xlsx", rows), user=world["people"]["coordinator"])
    finally:
        partner_totals._totals = original
    assert Partnership.objects.get(reference="P-0001").status == Status.CLOSED
    assert derived()[mind.pk] == (1, Decimal("5000")) and derived()[bob.pk] == (1, Decimal("5000"))
    assert len(refreshed) == 1, "the import's writes refresh the table once, at the end"
    assert_in_step()


def test_refresh_derived_reports_drift_and_repairs_it(register):
    mind, council = register["mind"], register["council"]
    PartnerTotal.objects.filter(organisation=mind).update(value=Decimal(1))  # typed by hand
    PartnerTotal.objects.filter(organisation=council).delete()
    out = StringIO()
    with pytest.raises(CommandError, match="has drifted"):
        call_command("refresh_derived", "--check", stdout=out)
    assert "Partner organisations' totals: 2 rows had drifted." in out.getvalue()
    call_command("refresh_derived", stdout=StringIO())
    assert_in_step()

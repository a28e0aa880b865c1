"""The dashboard: the register by type, tier, status and directorate, assurance at a glance, the
risk heatmap and the network map, each figure from the database in a fixed number of queries,
each chart with its numbers in a table and a download."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from core.audit import audit_context
from organisations.models import Organisation, OrganisationKind
from partnerships.models import ArrangementType, PartnerRole, PartnerRoleKind, Partnership, Status
from reporting import dashboard
from tests.counting import measure
from tests.spreadsheets import read_records
from tests.text import readable_text
from tests.world import build_world

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("reporting:dashboard")


@pytest.fixture
def fresh(db):
    return build_world()


def signed_in(world, role):
    client = Client()
    client.force_login(world.user(role))
    return client


def add_partnerships(n, start=100, value=Decimal("250000"), kind=ArrangementType.MOU):
    with audit_context(source="test"):
        for i in range(start, start + n):
            p = Partnership.objects.create(
                reference=f"P-{i:04d}",
                title=f"Partnership {i}",
                arrangement_type=kind,
                status=Status.ACTIVE,
                annual_value=value,
            )
            org = Organisation.objects.create(name=f"Partner {i}", kind=OrganisationKind.VCSE)
            PartnerRole.objects.create(partnership=p, organisation=org, role=PartnerRoleKind.PROVIDER)


def test_the_breakdowns_count_and_sum_what_the_register_holds(fresh):
    add_partnerships(3)
    with audit_context(source="test"):
        Partnership.objects.filter(reference="P-0102").update(status=Status.CLOSED)
    charts = {b.key: {bar.label: (bar.count, bar.value) for bar in b.bars} for b in dashboard.breakdowns()}
    assert charts["type"]["Memorandum of understanding"] == (2, Decimal("500000.00")), "closed ones left out"
    assert charts["type"]["Provider collaborative"] == (1, Decimal("65000000.00"))
    assert charts["tier"]["Tier 1"] == (2, Decimal("70800000.00"))  # £65m and £5.8m
    assert charts["tier"]["Tier 2"] == (2, Decimal("500000.00"))
    assert charts["status"]["Closed"][0] == 1 and charts["status"]["Active"][0] == 4
    assert charts["directorate"]["Forensic services"] == (1, Decimal("65000000.00"))
    assert charts["directorate"]["Not recorded"][0] == 3


def test_the_page_shows_each_chart_beside_its_numbers_and_offers_the_downloads(fresh):
    add_partnerships(2)
    client = signed_in(fresh, "board_member")
    body = client.get(DASHBOARD).content.decode()
    text = readable_text(body)
    assert body.count('<svg class="accord-chart"') == 5  # four breakdowns and the network
    assert "Partnerships by tier" in text and "Tier 2 Partnerships 2 Value a year £500,000" in text
    assert "Partnerships with an IG gap" in text and "Open risks" in text
    for chart in ("type", "tier", "status", "directorate", "network"):
        assert f"?chart={chart}&amp;export=xlsx" in body
    rows = read_records(client.get(DASHBOARD, {"chart": "tier", "export": "csv"}))
    assert [(r["Group"], r["Partnerships"], r["Value a year"]) for r in rows] == [
        ("Tier 1", "2", "£70,800,000"),
        ("Tier 2", "2", "£500,000"),
    ]
    organisations = read_records(client.get(DASHBOARD, {"chart": "network", "export": "xlsx"}))
    assert organisations[0]["Organisation"] == fresh.partner_org.name  # P-0001's partner: £65m
    assert {r["Organisation"] for r in organisations} >= {"Partner 100", "Partner 101"}


def test_the_network_is_drawn_the_same_every_time_and_links_partners_of_one_partnership(fresh):
    add_partnerships(3)
    with audit_context(source="test"):
        PartnerRole.objects.create(
            partnership=Partnership.objects.get(reference="P-0100"),
            organisation=Organisation.objects.get(name="Partner 101"),
            role=PartnerRoleKind.MEMBER,
        )
    first, second = dashboard.network(), dashboard.network()
    assert [(n.organisation.name, n.x, n.y, n.r) for n in first["nodes"]] == [
        (n.organisation.name, n.x, n.y, n.r) for n in second["nodes"]
    ]
    links = {(link.a.organisation.name, link.b.organisation.name, link.n) for link in first["links"]}
    assert links == {("Partner 100", "Partner 101", 1)}
    (link,) = first["links"]  # drawn from one partner's circle to the other's
    page = signed_in(fresh, "executive").get(DASHBOARD).content.decode()
    assert f'<line x1="{link.a.x}" y1="{link.a.y}" x2="{link.b.x}" y2="{link.b.y}"' in page
    largest = max(first["nodes"], key=lambda n: n.value)
    assert largest.organisation == fresh.partner_org and largest.r == 20


def test_the_dashboard_costs_the_same_however_large_the_register(fresh):
    client = signed_in(fresh, "executive")
    add_partnerships(2)
    few, _ = measure(client, DASHBOARD)
    add_partnerships(60, start=200)
    many, response = measure(client, DASHBOARD)
    assert few == many
    assert "The 40 partner organisations on the map" in readable_text(response.content.decode())


def test_an_empty_register_still_reads_well(db):
    from core.roles import Role
    from tests.world import make_user

    client = Client()
    client.force_login(make_user("exec", role=Role.EXECUTIVE))
    text = readable_text(client.get(DASHBOARD).content.decode())
    assert "No partner organisations yet." in text and "No partnerships yet." in text


def test_the_partner_organisations_are_what_the_partner_roles_add_up_to_after_every_write(fresh):
    """Read from totals kept per organisation (``partnerships.partner_totals``): the same as adding
    up the open partnerships' partner roles, the home trust left out, after writes of every kind."""
    from django.db.models import Count, Sum

    def grouped():
        rows = (
            PartnerRole.objects.exclude(partnership__status=Status.CLOSED)
            .exclude(organisation__is_home_trust=True)
            .values_list("organisation__name")
            .annotate(n=Count("pk"), value=Sum("partnership__annual_value"))
            .order_by()
        )
        return sorted((name, n, value or 0) for name, n, value in rows)

    def shown():
        return sorted((o.name, o.partnership_count, o.partnership_value) for o in dashboard.partner_organisations())

    add_partnerships(3)
    assert shown() == grouped()
    with audit_context(source="test"):
        first = Partnership.objects.get(reference="P-0100")
        first.annual_value = Decimal("999")
        first.save()
        second = Partnership.objects.get(reference="P-0101")
        second.status, second.end_date = Status.CLOSED, second.start_date
        second.save()
        PartnerRole.objects.filter(partnership__reference="P-0102").delete()
        PartnerRole.objects.create(partnership=first, organisation=fresh.home_trust, role=PartnerRoleKind.MEMBER)
    assert shown() == grouped()
    assert ("Partner 100", 1, Decimal("999")) in shown() and "Partner 101" not in {name for name, *_ in shown()}

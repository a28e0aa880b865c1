"""My work and the coordinator's work queue: every app's "needs attention" items, soonest due
first, each person's own (a lead: their partnerships'; a partner contributor: their
organisation's), with filters, a download, and a cost that does not grow with the register."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from agreements import services as agreement_services
from agreements.models import Agreement
from core.audit import audit_context
from core.dates import local_today
from partnerships.models import Partnership, Status
from tests.counting import measure
from tests.spreadsheets import read_records
from tests.text import readable_text
from tests.world import build_world

pytestmark = pytest.mark.django_db

WORK = reverse("reporting:work")


def today():
    return local_today()


def ago(days):
    return today() - datetime.timedelta(days=days)


@pytest.fixture
def fresh(db):
    """Two partnerships (Anne Clarke leads P-0001, Olu Other P-0002) and nothing yet due."""
    return build_world()


def signed_in(world, role):
    client = Client()
    client.force_login(world.user(role))
    return client


def agreement_with_milestones(partnership, title, due_dates):
    with audit_context(source="test"):
        agreement = Agreement.objects.create(partnership=partnership, kind="mou", title=title)
        for n, due in enumerate(due_dates, start=1):
            agreement.milestones.create(title=f"{title} milestone {n:02d}", due_date=due)
    return agreement


def review_due(partnership, on):
    Partnership.objects.filter(pk=partnership.pk).update(next_review_date=on)


def test_items_of_every_kind_are_listed_soonest_due_first_with_how_late_and_whose(fresh):
    review_due(fresh.partnership, ago(10))
    agreement_with_milestones(fresh.partnership, "Work programme MoU", [ago(3)])
    agreement_with_milestones(fresh.other_partnership, "Talking Space MoU", [ago(5)])

    page = readable_text(signed_in(fresh, "coordinator").get(WORK, {"late_by": 1}).content.decode())

    assert "Work queue" in page and "3 items matching the filters" in page
    review = page.index("Review overdue Thames Valley Forensic Network")
    other = page.index("Milestone overdue Talking Space MoU")
    ours = page.index("Milestone overdue Work programme MoU")
    assert review < other < ours, "the longest overdue first, whatever the kind"
    assert "10 days late" in page and "Owner: Anne Clarke" in page and "Owner: Olu Other" in page


def test_a_lead_sees_only_their_partnerships_items_and_lands_on_them(fresh):
    review_due(fresh.partnership, ago(10))
    review_due(fresh.other_partnership, ago(4))
    client = signed_in(fresh, "owner")

    assert client.get(reverse("home")).url == WORK
    page = readable_text(client.get(WORK, {"late_by": 1}).content.decode())

    assert "My work" in page and "1 item matching the filters" in page
    assert "Thames Valley Forensic Network" in page and "Talking Space Plus" not in page
    assert "Owner" not in readable_text(client.get(WORK).content.decode()).split("Filter", 1)[1].split("Apply", 1)[0]


def test_the_executive_lands_on_the_dashboard_the_auditor_on_the_register_and_neither_has_work(fresh):
    review_due(fresh.partnership, ago(10))
    assert signed_in(fresh, "auditor").get(reverse("home")).url == reverse("partnerships:list")
    client = signed_in(fresh, "executive")
    assert client.get(reverse("home")).url == reverse("reporting:dashboard")
    assert "Nothing needs your attention today." in readable_text(client.get(WORK).content.decode())


def test_the_whole_list_pages_what_the_panel_cannot_show(fresh):
    agreement_with_milestones(fresh.partnership, "Work programme MoU", [ago(n) for n in range(1, 56)])
    client = signed_in(fresh, "owner")
    panel = client.get(reverse("core:attention"), headers={"HX-Request": "true"}).content.decode()
    assert panel.count("Milestone overdue") == 10 and "milestone 55" in panel, "the longest overdue first"
    assert f'And more: see <a class="nhsuk-link" href="{reverse("home")}">' in panel

    first = readable_text(client.get(WORK, {"kinds": "milestones_overdue"}).content.decode())
    assert "55 items" in first
    assert first.count("Milestone overdue") == 50 and "milestone 55" in first and "milestone 05" not in first
    second = readable_text(client.get(WORK, {"kinds": "milestones_overdue", "page": "2"}).content.decode())
    assert second.count("Milestone overdue") == 5 and "milestone 01" in second and "milestone 06" not in second


def test_filters_narrow_the_queue_by_kind_owner_directorate_tier_and_lateness(fresh):
    review_due(fresh.partnership, ago(40))  # Forensic services, £65m (tier 1), Anne Clarke
    review_due(fresh.other_partnership, ago(4))  # no directorate, £5.8m (tier 1), Olu Other
    agreement_with_milestones(fresh.other_partnership, "Talking Space MoU", [ago(2)])
    client = signed_in(fresh, "coordinator")

    def titles(**params):
        params.setdefault("late_by", 1)  # not the IG gaps and risk profiles the world leaves due today
        text = readable_text(client.get(WORK, params).content.decode())
        return [t for t in ("Thames Valley Forensic Network", "Talking Space Plus", "Talking Space MoU") if t in text]

    assert titles() == ["Thames Valley Forensic Network", "Talking Space Plus", "Talking Space MoU"]
    assert titles(kinds="milestones_overdue") == ["Talking Space MoU"]
    assert titles(owner=fresh.user("other_lead").pk) == ["Talking Space Plus", "Talking Space MoU"]
    assert titles(service_area=fresh.service_area.pk) == ["Thames Valley Forensic Network"]
    assert titles(tiers=2) == []
    assert titles(late_by=30) == ["Thames Valley Forensic Network"]
    assert titles(late_by=30, kinds="milestones_overdue") == []
    assert "Nothing matches these filters." in readable_text(client.get(WORK, {"tiers": 2}).content.decode())


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"late_by": "a month"}, "Enter a whole number of days, for example 30."),
        ({"late_by": "-3"}, "Enter a number of days from 0."),
        ({"tiers": "4"}, "Select a valid choice. 4 is not one of the available choices."),
        ({"owner": "999999"}, "Select a valid choice. That choice is not one of the available choices."),
        ({"kinds": "risks_everywhere"}, "Select a valid choice. risks_everywhere is not one of the available choices."),
    ],
)
def test_bad_filters_are_refused_with_a_clear_message(fresh, params, message):
    response = signed_in(fresh, "coordinator").get(WORK, params)
    assert response.status_code == 400
    assert message in readable_text(response.content.decode())


def test_the_download_holds_what_the_page_lists_under_the_same_filters(fresh):
    review_due(fresh.partnership, ago(40))
    agreement_with_milestones(fresh.other_partnership, "Talking Space MoU", [ago(2), ago(1)])
    client = signed_in(fresh, "coordinator")

    for fmt in ("csv", "xlsx"):
        response = client.get(WORK, {"export": fmt, "kinds": "milestones_overdue"})
        assert response.status_code == 200 and response["Content-Disposition"].endswith(f'work-queue.{fmt}"')
        records = read_records(response)
        assert [(r["Kind"], str(r["Days late"]), r["Partnership or body"], r["Owner"]) for r in records] == [
            ("Milestones overdue", "2", "P-0002", "Olu Other"),
            ("Milestones overdue", "1", "P-0002", "Olu Other"),
        ]
        assert all(r["Link"].startswith("http://testserver/agreements/") for r in records)
    everything = read_records(client.get(WORK, {"export": "csv", "late_by": 1}))
    assert [r["What"].split(":")[0] for r in everything] == ["Review overdue", "Milestone overdue", "Milestone overdue"]


def test_a_page_of_the_queue_costs_the_same_however_many_items(fresh):
    client = signed_in(fresh, "coordinator")
    agreement_with_milestones(fresh.partnership, "Work programme MoU", [ago(3)])
    review_due(fresh.partnership, ago(10))
    few, response = measure(client, WORK, {"late_by": 1})
    assert "2 items" in readable_text(response.content.decode())
    agreement_with_milestones(fresh.other_partnership, "Talking Space MoU", [ago(n) for n in range(1, 80)])
    with audit_context(source="test"):
        for n in range(30):
            Partnership.objects.create(
                reference=f"P-1{n:03d}", title=f"Partnership {n}", status=Status.ACTIVE, next_review_date=ago(n + 1)
            )
    many, response = measure(client, WORK, {"late_by": 1, "page": "2"})
    assert "111 items" in readable_text(response.content.decode())
    assert few == many
    deep, _ = measure(client, WORK, {"late_by": 1, "page": "3"})
    assert deep == few


def test_an_unsigned_agreement_waits_on_its_lead_from_the_day_it_was_approved(fresh):
    with audit_context(user=fresh.user("administrator")):
        agreement = Agreement.objects.create(partnership=fresh.partnership, kind="mou", title="Data sharing MoU")
        agreement.parties.create(organisation=fresh.partner_org)
        agreement_services.send_for_comment(agreement)
        agreement_services.approve(agreement)
    page = readable_text(signed_in(fresh, "owner").get(WORK).content.decode())
    assert "Awaiting signature Data sharing MoU" in page
    assert f"Approved on {today().day} {today():%B %Y}; 1 party has not signed yet." in page

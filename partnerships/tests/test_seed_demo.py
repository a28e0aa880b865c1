"""``manage.py seed_demo``: the register the board papers describe, its users, and idempotence."""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.utils import timezone

from accounts.models import User
from core.models import AuditEntry, BafRiskTheme, StrategicObjective
from core.roles import Role
from organisations.models import Organisation
from partnerships.demo import DEMO_PASSWORD
from partnerships.models import Headline, Partnership
from tests.fixtures import seed_demo

pytestmark = pytest.mark.django_db

MILLION = Decimal("1000000")


def by_title(title):
    return Partnership.objects.with_tier().get(title=title)


def test_the_partnerships_over_one_million_carry_the_papers_values_and_are_tier_1(demo):
    expected = {
        "Thames Valley and Wessex Forensic Network": (65 * MILLION, "exact"),
        "Oxfordshire Mental Health Partnership": (34 * MILLION, "approximate"),
        "CAMHS partnership (Children and Young People)": (Decimal("8600000"), "exact"),
        "TalkingSpace Plus": (Decimal("5800000"), "exact"),
        "NIHR Oxford Health Biomedical Research Centre": (2 * MILLION, "up_to"),
        "NIHR Applied Research Collaboration Oxford and Thames Valley": (2 * MILLION, "up_to"),
    }
    for title, (value, qualifier) in expected.items():
        partnership = by_title(title)
        assert (partnership.annual_value, partnership.value_qualifier, partnership.tier) == (value, qualifier, 1), title
    assert Partnership.objects.filter(arrangement_type="research_collaboration", value_qualifier="up_to").count() == 2


def test_values_the_papers_do_not_give_are_unknown_not_guessed(demo):
    for title in (
        "Oxfordshire Carer Alliance",
        "Community diabetes service",
        "Integrated respiratory project",
        "BOB Mental Health Provider Collaborative",
        "Oxford Health and OUH provider collaborative (memorandum of understanding)",
    ):
        assert by_title(title).annual_value is None, title
    # Without a value, only a material contribution to a strategic objective lifts the tier.
    assert by_title("BOB Mental Health Provider Collaborative").tier == 1
    assert by_title("Community diabetes service").tier == 3


def test_partnerships_have_their_partners_lead_objectives_and_the_mou_its_april_2022_start(demo):
    forensic = by_title("Thames Valley and Wessex Forensic Network")
    trusts = set(
        forensic.partner_roles.filter(organisation__kind__in=["nhs_trust", "foundation_trust"]).values_list(
            "organisation__name", flat=True
        )
    )
    assert len(trusts) == 5  # with Oxford Health itself, the six trusts of the network
    assert "Southern Health NHS Foundation Trust" in trusts
    assert forensic.trust_role == "lead"

    omhp = by_title("Oxfordshire Mental Health Partnership")
    assert omhp.lead.get_full_name() == "Anne Clarke"
    assert {"Oxfordshire Mind", "Response", "Elmore Community Services", "Restore", "Connection Support"} <= set(
        omhp.partner_roles.values_list("organisation__name", flat=True)
    )

    mou = by_title("Oxford Health and OUH provider collaborative (memorandum of understanding)")
    assert mou.arrangement_type == "mou"
    assert mou.start_date == datetime.date(2022, 4, 1)
    assert mou.partner_roles.get().organisation.ods_code == "RTH"
    assert sorted(mou.strategic_objectives.values_list("number", flat=True)) == [1, 2, 3]
    assert mou.baf_themes.exists()


def test_reference_lists_hold_the_four_objectives_and_their_baf_themes(demo):
    assert [str(o) for o in StrategicObjective.objects.order_by("number")] == [
        "1) Quality",
        "2) People",
        "3) Sustainability",
        "4) Research and Education",
    ]
    research = BafRiskTheme.objects.get(name="Failure to realise Research and Development potential")
    assert research.strategic_objective.number == 4
    assert BafRiskTheme.objects.filter(strategic_objective__number=3).count() == 10


def test_the_home_trust_is_oxford_health_rnu_and_partners_have_their_ods_codes(demo):
    home = Organisation.objects.get(is_home_trust=True)
    assert (home.name, home.ods_code) == ("Oxford Health NHS Foundation Trust", "RNU")
    assert Organisation.objects.get(ods_code="QU9").kind == "icb"
    assert Organisation.objects.get(ods_code="RWX").name == "Berkshire Healthcare NHS Foundation Trust"
    assert Organisation.objects.get(name="Oxfordshire County Council").kind == "local_authority"


def test_every_role_has_a_demo_user_who_can_log_in_with_the_printed_password(demo, client):
    output = demo.output
    for role in Role:
        user = User.objects.filter(role=role).first()
        assert user is not None, role
        assert user.username in output
        response = client.post("/accounts/login/", {"username": user.username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, role
        assert client.get("/partnerships/").status_code == 200
        client.logout()
    assert DEMO_PASSWORD in output


def test_headlines_from_the_paper_are_dated_april_2019_and_some_go_to_the_board(demo):
    headlines = Headline.objects.all()
    assert headlines.count() == 16
    assert {h.date for h in headlines} == {datetime.date(2019, 4, 30)}
    assert headlines.filter(for_board_report=True).count() >= 5
    assert Headline.objects.filter(partnership__title="TalkingSpace Plus", text__contains="15,000 referrals").exists()


def test_each_status_dates_from_the_papers_not_from_the_day_the_demo_was_seeded(demo, client):
    since = {
        p.reference: timezone.localtime(p.status_changed_at).date()
        for p in Partnership.objects.exclude(status_changed_at=None)
    }
    assert len(since) == Partnership.objects.count() == 15
    assert since["P-0001"] == datetime.date(2019, 4, 30)  # the register "last updated in April 2019"
    assert since["P-0008"] == datetime.date(2019, 4, 16)  # "met on 16 April to develop an action plan"
    assert since["P-0010"] == datetime.date(2023, 2, 1)  # Innovators scheme, February 2023
    assert since["P-0011"] == datetime.date(2022, 4, 1)  # the MoU signed over April 2022
    assert since["P-0013"] == datetime.date(2019, 9, 30)  # closed with the September 2019 report
    assert since["EX-0001"] == datetime.date(2017, 11, 10)  # the Doncaster MoU
    assert all(day < datetime.date(2024, 1, 1) for day in since.values())
    client.force_login(User.objects.get(username="ben.cahill"))
    page = " ".join(client.get(Partnership.objects.get(reference="P-0011").get_absolute_url()).content.decode().split())
    assert "Since 1 April 2022" in page


def test_the_review_overdue_filter_shows_some_partnerships_but_not_all(demo, client):
    client.force_login(User.objects.get(username="ben.cahill"))
    page = client.get("/partnerships/", {"review_overdue": "on"}).content.decode()
    assert "Oxfordshire Mental Health Partnership" in page  # review due 31 October 2026
    assert "Thames Valley and Wessex Forensic Network" not in page  # review due 30 April 2027


def test_seed_writes_are_attributed_to_the_seed_in_the_audit_trail(demo):
    forensic = Partnership.objects.get(title="Thames Valley and Wessex Forensic Network")
    entries = AuditEntry.objects.for_object(forensic)
    assert entries.filter(action="create").count() >= 7  # the partnership and its six partners
    assert set(AuditEntry.objects.values_list("source", flat=True)) == {"seed"}


def test_running_it_twice_changes_nothing_and_keeps_edits(demo):
    partnership = Partnership.objects.get(reference="P-0001")
    Partnership.objects.filter(pk=partnership.pk).update(title="Forensic network (renamed in the app)")

    def counts():
        return {model._meta.label: model._default_manager.count() for model in apps.get_models()}

    before = counts()
    last_audit = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    output = seed_demo()
    assert counts() == before
    assert AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() == last_audit
    assert Partnership.objects.get(reference="P-0001").title == "Forensic network (renamed in the app)"
    assert "nothing to add" in output
    assert output.count(DEMO_PASSWORD) == User.objects.count()


def test_the_demo_has_a_partner_contributor_for_oxfordshire_mind(demo):
    output = demo.output
    [line] = [line for line in output.splitlines() if "rachel.green" in line]
    assert "Partner contributor" in line and DEMO_PASSWORD in line
    contributor = User.objects.get(username="rachel.green")
    assert contributor.organisation == Organisation.objects.get(name="Oxfordshire Mind")

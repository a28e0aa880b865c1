"""``manage.py seed_demo``: the two MoUs of the seed papers, their story, and idempotence."""

import datetime

import pytest
from django.apps import apps

from agreements.lifecycle import commencement_date
from agreements.models import Agreement, AgreementStatus
from core.models import AuditEntry
from partnerships.models import Partnership
from tests.fixtures import seed_demo

pytestmark = pytest.mark.django_db

S = AgreementStatus


def status_history(agreement):
    """The statuses the audit trail shows the agreement passing through, oldest first."""
    entries = AuditEntry.objects.filter(object_type__model="agreement", object_id=agreement.pk).order_by("id")
    return [e.after["status"] for e in entries if e.action == "create" or "status" in e.changed_fields]


def parties(agreement):
    return [
        (p.organisation.name, p.organisation.ods_code, p.address, p.signatory_name, p.signatory_position, p.signed_on)
        for p in agreement.parties.select_related("organisation").order_by("organisation__name")
    ]


# --- Oxford Health – OUH provider collaborative MoU ---------------------------------------------


def test_the_provider_collaborative_mou_is_in_force_on_its_partnership(demo):
    partnership = Partnership.objects.get(
        reference="P-0011", title="Oxford Health and OUH provider collaborative (memorandum of understanding)"
    )
    mou = partnership.agreements.get()
    assert (mou.kind, mou.status, mou.version) == ("mou", S.IN_FORCE, 1)
    assert (mou.legally_binding, mou.binding_exceptions) == ("except", "Confidentiality and data protection")
    assert "practical platform for collaboration and integrated care" in mou.purpose
    assert "sharing data" in mou.purpose
    assert list(mou.scope_items.values_list("title", flat=True)) == ["Urgent care", "End of life care"]


def test_the_provider_collaborative_mou_was_signed_by_both_chief_executives_in_april_2022(demo):
    mou = Agreement.objects.get(partnership__reference="P-0011")
    [oxford_health, ouh] = parties(mou)
    assert oxford_health[:2] == ("Oxford Health NHS Foundation Trust", "RNU")
    assert oxford_health[3:5] == ("Nick Broughton", "Chief Executive")
    assert ouh[:2] == ("Oxford University Hospitals NHS Foundation Trust", "RTH")
    assert ouh[4] == "Chief Executive"
    assert "demo name" in ouh[3]  # the paper does not name OUH's Chief Executive
    for party in (oxford_health, ouh):
        assert (party[5].year, party[5].month) == (2022, 4)
    assert commencement_date(mou) == datetime.date(2022, 4, 1)


def test_both_boards_commented_on_the_draft_in_march_2022_and_the_story_is_in_the_audit_trail(demo):
    mou = Agreement.objects.get(partnership__reference="P-0011")
    rounds = list(mou.consultations.values_list("body", "date"))
    assert rounds[0] == ("Oxford Health NHS FT Board of Directors", datetime.date(2022, 3, 30))
    assert rounds[1][0] == "Oxford University Hospitals NHS FT Board of Directors"
    assert (rounds[1][1].year, rounds[1][1].month) == (2022, 3)
    assert len(rounds) == 2
    assert "January 2022" in mou.consultations.first().feedback  # when drafting began
    assert status_history(mou) == ["Draft", "Out for comment", "Approved, awaiting signatures", "In force"]


# --- Doncaster integrated commissioning MoU and its section 75 successor -----------------------


def doncaster():
    return Partnership.objects.get(reference="EX-0001")


def test_doncaster_is_a_worked_example_partnership_between_the_ccg_and_the_council(demo):
    p = doncaster()
    assert p.title == "Doncaster integrated commissioning (example agreement)"
    assert p.arrangement_type == "mou"
    assert "Worked example, not an Oxford Health partnership" in p.purpose
    assert set(p.partner_roles.values_list("organisation__name", "organisation__ods_code", "role")) == {
        ("NHS Doncaster Clinical Commissioning Group", "02X", "commissioner"),
        ("Doncaster Borough Council", None, "commissioner"),
    }


def test_the_doncaster_mou_holds_the_paper_s_terms(demo):
    mou = doncaster().agreements.get(title="Integrated Commissioning Memorandum of Understanding")
    assert mou.kind == "mou"
    assert mou.purpose.startswith("To set out how the CCG and the Council will work together to develop and jointly")
    assert "sustainable in the long term" in mou.purpose
    assert (mou.legally_binding, mou.binding_exceptions) == ("no", "")
    assert mou.commencement == "last_signature"
    assert mou.term_end_date == datetime.date(2018, 3, 31)
    assert "Joint Commissioning Co-ordinators Committee (JCCC)" in mou.governance
    assert "at least once a month" in mou.governance


def test_the_doncaster_mou_parties_their_addresses_and_signatories(demo):
    mou = doncaster().agreements.get(kind="mou")
    [ccg, council] = sorted(parties(mou), key=lambda p: p[0] != "NHS Doncaster Clinical Commissioning Group")
    assert ccg[:5] == (
        "NHS Doncaster Clinical Commissioning Group",
        "02X",
        "Sovereign House, Heavens Walk, Doncaster, DN4 5HZ",
        "Jackie Pederson",
        "Accountable Officer",
    )
    assert council[:3] == (
        "Doncaster Borough Council",
        None,
        "Civic Office, Waterdale, Doncaster, South Yorkshire, DN1 3BU",
    )
    assert "demo name" in council[3]  # blank in the draft
    # Commences on the date signed by both parties.
    assert commencement_date(mou) == max(ccg[5], council[5]) == datetime.date(2017, 11, 10)


def test_the_doncaster_mou_scope_indicators_and_milestones(demo):
    mou = doncaster().agreements.get(kind="mou")
    scope = list(mou.scope_items.values_list("title", "description"))
    assert [title for title, _ in scope] == [
        "Dermatology",
        "Urgent and emergency care",
        "Intermediate care",
        "Complex lives",
        "Starting well (1001 days)",
        "Vulnerable adolescents",
    ]
    assert scope[0][1] == (
        "Reducing secondary care demand and moving activity into community settings where it is safe to do so."
    )
    assert "conception to age 2" in scope[4][1]
    assert all(description for _, description in scope)

    indicators = list(mou.indicators.values_list("measure", "frequency"))
    assert len(indicators) == 6
    assert {frequency for _, frequency in indicators} == {"Annually"}
    assert indicators[1][0] == "Increased participation of organisations involved in decision-making"

    milestones = list(mou.milestones.values_list("title", "due_date", "status"))
    assert [(due, status) for _, due, status in milestones] == [
        (datetime.date(2017, 11, 10), "complete"),
        (datetime.date(2018, 1, 31), "complete"),
        (datetime.date(2018, 4, 1), "complete"),
    ]
    assert "Section 75 Agreement" in milestones[1][0]
    assert "Joint Commissioner Agreement" in milestones[2][0]


def test_the_mou_was_superseded_by_the_section_75_agreement_from_1_april_2018(demo):
    agreements = doncaster().agreements
    mou = agreements.get(kind="mou")
    s75 = agreements.get(kind="section_75")
    assert s75.title == "Joint Commissioning Agreement (section 75)"
    assert (s75.status, s75.legally_binding) == (S.IN_FORCE, "yes")
    assert commencement_date(s75) == datetime.date(2018, 4, 1)
    assert {p[0] for p in parties(s75)} == {"NHS Doncaster Clinical Commissioning Group", "Doncaster Borough Council"}
    assert all(p[5] is not None for p in parties(s75))

    assert mou.superseded_by == s75
    assert list(s75.supersedes.all()) == [mou]
    assert (mou.status, mou.ended_on) == (S.SUPERSEDED, datetime.date(2018, 3, 31))  # the MoU's own term end
    assert status_history(mou) == [
        "Draft",
        "Out for comment",
        "Approved, awaiting signatures",
        "In force",
        "Superseded",
    ]


# --- attribution and idempotence ---------------------------------------------------------------


def test_the_agreements_are_written_as_the_seed(demo):
    entries = AuditEntry.objects.filter(object_type__app_label="agreements")
    # The seeds' three, and TalkingSpace Plus's contract that the monitoring demo measures.
    assert entries.filter(object_type__model="agreement", action="create").count() == 4
    assert entries.filter(object_type__model="milestone").count() == 3
    assert set(entries.values_list("source", flat=True)) == {"seed"}


def test_a_second_run_writes_nothing_and_keeps_edits_made_in_the_app(demo):
    first = demo.output
    assert "Demo register ready: 15 partnerships, 4 agreements," in first
    s75 = Agreement.objects.get(kind="section_75")
    Agreement.objects.filter(pk=s75.pk).update(notice_period="Reviewed annually (edited in the app)")

    def counts():
        return {model._meta.label: model._default_manager.count() for model in apps.get_models()}

    before = counts()
    last_audit = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    output = seed_demo()
    assert counts() == before
    assert AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() == last_audit
    assert Agreement.objects.get(pk=s75.pk).notice_period == "Reviewed annually (edited in the app)"
    assert "nothing to add" in output

"""``manage.py seed_demo``: the demo risk profiles (the BOB provider collaborative's three risks and
one partnership in each profile status), their audit trail, and idempotence."""

import datetime

import pytest
from django.apps import apps
from django.urls import reverse

from accounts.models import User
from core.dates import local_today
from core.models import AuditEntry
from partnerships.models import Partnership
from risks import demo as risks_demo
from risks.charts import score_history
from risks.models import NoSignificantRisk, Risk, RiskAction, RiskStatus
from risks.scoring import Scoring
from risks.selectors import (
    COMPLETE,
    INCOMPLETE,
    NOT_REQUIRED,
    REVIEW_OVERDUE,
    escalated_risks,
    filter_by_profile,
    load_profile,
    with_risk_profile,
)
from tests.fixtures import seed_demo

pytestmark = pytest.mark.django_db


def profiles():
    """{reference: risk profile status}, from the register's SQL."""
    rows = with_risk_profile(Partnership.objects.all()).values_list("reference", "risk_profile_status")
    return dict(rows)


# --- the BOB Mental Health Provider Collaborative's three risks ---------------------------------


def test_the_bob_collaborative_holds_the_paper_s_three_risks_in_its_words(demo):
    bob = Partnership.objects.get(reference="P-0010", title="BOB Mental Health Provider Collaborative")
    risks = {r.title: r for r in bob.risks.all()}
    assert set(risks) == {risks_demo.BOB_RESOURCES, risks_demo.BOB_GOVERNANCE, risks_demo.BOB_COMPLEXITY}
    assert risks[risks_demo.BOB_RESOURCES].description.startswith(
        "There are currently limited resources to support this work with no new resources currently identified "
        "beyond dedicated roles in each trust."
    )
    assert "more work will be required for it to become fully embedded and effective" in (
        risks[risks_demo.BOB_GOVERNANCE].description
    )
    assert risks[risks_demo.BOB_COMPLEXITY].description.startswith(
        "The large range of partners involved in this work adds to the complexity of formalising provider "
        "collaborative arrangements."
    )
    for risk in risks.values():
        assert "19 July 2023" in risk.description
        assert risk.owner.startswith("Amelie Bages")
        assert risk.status == RiskStatus.OPEN
        assert risk.existing_controls
        assert risk.target_likelihood * risk.target_consequence < risk.current_likelihood * risk.current_consequence


def test_each_bob_risk_carries_the_paper_s_mitigation_as_a_further_action(demo):

    def actions(title):
        risk = Risk.objects.get(partnership__reference="P-0010", title=title)
        return [a.description for a in risk.actions.all()]

    assert any(
        a.startswith(
            "Work is underway with BOB ICB as part of the Provider Collaborative Design group to identify "
            "opportunities to resource this work"
        )
        for a in actions(risks_demo.BOB_RESOURCES)
    )
    assert any(
        "clear executive and senior leadership is identified" in a and "clinical governance" in a
        for a in actions(risks_demo.BOB_GOVERNANCE)
    )
    complexity = Risk.objects.get(partnership__reference="P-0010", title=risks_demo.BOB_COMPLEXITY)
    assert "national expertise and peer-support to develop future arrangements" in complexity.existing_controls
    assert "Innovator" in complexity.existing_controls
    assert any("Design and formalise arrangements" in a for a in actions(risks_demo.BOB_COMPLEXITY))
    # The actions fall due after the day of seeding, so none starts overdue.
    today = local_today()
    assert all(a.due_date > today for a in RiskAction.objects.filter(risk__partnership__reference="P-0010"))


# --- every profile status, from the selectors ----------------------------------------------------


def test_the_demo_shows_every_risk_profile_status(demo):
    status = profiles()
    assert status["P-0002"] == COMPLETE  # OMHP: six domains assessed, nothing past review
    assert status["P-0007"] == REVIEW_OVERDUE  # the Carer Alliance
    assert status["P-0010"] == INCOMPLETE  # BOB: two of six domains
    assert status["P-0001"] == INCOMPLETE
    assert status["P-0009"] == NOT_REQUIRED  # Tier 3, though it holds a risk
    assert set(status.values()) == {COMPLETE, INCOMPLETE, REVIEW_OVERDUE, NOT_REQUIRED}
    # The register's filter agrees with the annotation.
    complete = filter_by_profile(Partnership.objects.all(), COMPLETE)
    assert list(complete.values_list("reference", flat=True)) == ["P-0002"]
    overdue = filter_by_profile(Partnership.objects.all(), REVIEW_OVERDUE)
    assert list(overdue.values_list("reference", flat=True)) == ["P-0007"]


def test_the_complete_profile_assesses_all_six_domains_with_risks_and_no_significant_risk(demo):
    omhp = Partnership.objects.get(reference="P-0002")
    profile = load_profile(omhp, User.objects.get(username="ben.cahill"), Scoring.current())
    assert profile.status == COMPLETE
    assert profile.assessed_count == 6
    with_risks = {d.key for d in profile.domains if d.risks}
    recorded = {d.key for d in profile.domains if d.no_significant_risk}
    assert with_risks == {"patient_safety", "finances", "information_governance"}
    assert recorded == {"staff_wellbeing", "systems", "reputation"}
    assert all(r.assessed_by == omhp.lead for r in NoSignificantRisk.objects.filter(partnership=omhp))


def test_review_dates_are_relative_to_the_day_of_seeding(demo):
    today = local_today()
    overdue = Risk.objects.get(partnership__reference="P-0007")
    assert overdue.review_date == today - datetime.timedelta(days=risks_demo.OVERDUE_BY_DAYS)
    assert overdue.is_review_overdue(today)
    others = Risk.objects.open().exclude(pk=overdue.pk)
    assert others.exists()
    assert all(r.review_date > today for r in others)


def test_the_escalated_risk_is_listed_with_its_baf_theme_and_its_score_over_time(demo):
    escalated = list(escalated_risks(Scoring.current()))
    assert [(r.partnership.reference, r.title) for r in escalated] == [("P-0001", risks_demo.FORENSIC_ESCALATED)]
    risk = escalated[0]
    assert risk.current_score == 16
    assert risk.baf_theme.name == "Demand and Capacity (Mental Health inpatient and Learning Disabilities)"
    assert risk.baf_theme in risk.partnership.baf_themes.all()
    points = score_history(Risk.objects.get(pk=risk.pk))
    assert [p.current for p in points] == [12, 16]
    assert [p.action for p in points] == ["create", "update"]


def test_a_closed_risk_stays_in_the_history_and_counts_for_nothing(demo):
    closed = Risk.objects.get(status=RiskStatus.CLOSED)
    assert (closed.partnership.reference, closed.title) == ("P-0002", risks_demo.OMHP_CLOSED)
    assert closed.closed_on == local_today()
    assert "withdrew its proposals to cut £1m" in closed.closing_note
    assert closed not in escalated_risks(Scoring.current())


# --- the pages render the demo -------------------------------------------------------------------


def test_the_risk_pages_render_the_demo(demo, client):
    client.force_login(User.objects.get(username="ben.cahill"))
    heatmap = client.get(reverse("risks:heatmap"))
    assert heatmap.status_code == 200
    escalated = client.get(reverse("risks:escalated")).content.decode()
    assert risks_demo.FORENSIC_ESCALATED.replace("'", "&#x27;") in escalated
    risk = Risk.objects.get(title=risks_demo.FORENSIC_ESCALATED)
    detail = client.get(reverse("risks:detail", args=[risk.pk]))
    assert detail.status_code == 200
    bob = Partnership.objects.get(reference="P-0010")
    page = client.get(reverse("risks:profile", args=[bob.pk])).content.decode()
    assert "Limited resources to support this work" in page


# --- audit and idempotence -----------------------------------------------------------------------


def test_every_demo_risk_write_is_audited_as_the_seed(demo):
    for model in (Risk, RiskAction, NoSignificantRisk):
        entries = AuditEntry.objects.filter(object_type__app_label="risks", object_type__model=model._meta.model_name)
        created = set(entries.filter(action="create").values_list("object_id", flat=True))
        assert created == set(model.objects.values_list("pk", flat=True)), model
        assert set(entries.values_list("source", flat=True)) == {"seed"}
    closed = Risk.objects.get(status=RiskStatus.CLOSED)
    updates = AuditEntry.objects.filter(object_type__model="risk", object_id=closed.pk, action="update")
    assert any("status" in entry.changed_fields for entry in updates)


def test_a_second_run_writes_nothing(demo):
    first = demo.output
    assert "12 risks, 3 “no significant risk” records" in first.splitlines()[0]

    def counts():
        return {model._meta.label: model._default_manager.count() for model in apps.get_models()}

    before = counts()
    last_audit = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    output = seed_demo()
    assert counts() == before
    assert AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() == last_audit
    assert "nothing to add" in output

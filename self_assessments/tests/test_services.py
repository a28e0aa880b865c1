"""The rules of self-assessments: a version in use is never edited, issuing (by a filter too),
what submitting needs, the review's flow, the score, the actions, and the audit of every write."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.audit import audit_context
from core.dates import local_today
from core.models import AuditEntry
from organisations.models import Organisation
from partnerships.models import PartnerRole, Partnership
from self_assessments import selectors, services
from self_assessments.defaults import NAME
from self_assessments.models import Answer, Assessment, AssessmentAction, Question, Section, Status, TemplateVersion
from self_assessments.tests.rows import answer_all, question, upload
from self_assessments.views import organisations_for
from tests.attention import items_of
from tests.world import NHS_NUMBER, as_migrated

pytestmark = pytest.mark.django_db
DUE = datetime.date.today() + datetime.timedelta(days=30)


def test_the_shipped_questionnaire_covers_what_the_trust_asks_its_vcse_partners():
    as_migrated()  # written by the migration (again, after a browser test's flush)
    version = TemplateVersion.objects.get(template__name=NAME, number=1)
    assert version.is_published
    sections = [s.title for s in version.sections.all()]
    assert sections == [
        "Governance documents",
        "Policies",
        "Insurance",
        "DBS checks",
        "Information governance",
        "Business continuity",
        "Finance",
    ]
    texts = " ".join(Question.objects.filter(section__version=version).values_list("text", flat=True))
    for words in (
        "safeguarding adults",
        "whistleblowing",
        "employer's liability",
        "DBS",
        "Data Security and Protection Toolkit",
        "data protection officer",
        "Charity Commission",
    ):
        assert words in texts, words
    assert Question.objects.filter(section__version=version, ig_item="isa").exists()


def test_a_version_in_use_is_never_edited_and_a_new_version_copies_it(world):
    version = world.sa_version  # issued in the world
    q = question(version, 0)
    q.text = "Changed wording"
    with pytest.raises(ValidationError) as refused:
        services.save_question(q)
    assert "never edited" in refused.value.messages[0] and "new version" in refused.value.messages[0]
    with pytest.raises(ValidationError):
        services.save_section(Section(version=version, title="Extra"))
    with pytest.raises(ValidationError):
        services.delete_question(question(version, 1))
    assert Question.objects.get(pk=q.pk).text != "Changed wording"

    copy = services.new_version(version, notes="Clearer wording")
    assert (copy.number, copy.is_published) == (2, False)
    assert [x.text for x in Question.objects.filter(section__version=copy)] == [
        x.text for x in Question.objects.filter(section__version=version)
    ]
    new_q = Question.objects.filter(section__version=copy).first()
    new_q.text = "Do you have a safeguarding adults policy, reviewed in the last two years?"
    services.save_question(new_q)  # a version not yet issued may change
    services.publish(copy)
    assert TemplateVersion.objects.get(pk=copy.pk).is_published


def test_issuing_refuses_bad_input_and_writes_nothing(world):
    before = Assessment.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.issue(world.sa_draft, [], local_today() - datetime.timedelta(days=1))
    assert set(refused.value.message_dict) == {"version", "organisations", "due_date"}
    assert Assessment.objects.count() == before


def test_issuing_by_a_filter_finds_the_vcse_partners_of_tier_1_and_2_partnerships(world):
    big = Organisation.objects.create(name="Oxfordshire Mind", kind="vcse")
    small = Organisation.objects.create(name="Banbury Men's Shed", kind="vcse")
    nhs = Organisation.objects.create(name="Buckinghamshire Healthcare NHS Trust", kind="nhs_trust")
    tier1 = world.partnership  # £65m: Tier 1
    tier3 = Partnership.objects.create(
        reference="P-0100", title="Men's sheds", arrangement_type="informal", annual_value=Decimal("5000")
    )
    for org, p in ((big, tier1), (nhs, tier1), (small, tier3)):
        PartnerRole.objects.create(partnership=p, organisation=org)
    found = set(organisations_for(["vcse"], [1, 2]))
    assert big in found and small not in found and nhs not in found
    _, made = services.issue(world.sa_version, found, DUE, world.user("coordinator"))
    assert {a.organisation for a in made} == found
    assert all(a.answers.count() == 3 for a in made)
    with pytest.raises(IntegrityError), transaction.atomic():  # one assessment per organisation per issue
        Assessment.objects.create(issue=made[0].issue, organisation=made[0].organisation)


def test_submit_is_refused_with_exactly_what_is_missing(world):
    _, (a,) = services.issue(world.sa_version, [world.spare_org], DUE)
    q = [question(world.sa_version, i) for i in range(3)]
    services.save_answers(a, {q[2].pk: "7"})
    assert Assessment.objects.get(pk=a.pk).status == Status.IN_PROGRESS
    assert [(x.pk, what) for x, what in services.missing(a)] == [
        (q[0].pk, "an answer"),
        (q[0].pk, "evidence"),
        (q[1].pk, "an answer"),
    ]
    with pytest.raises(ValidationError) as refused:
        services.submit(a)
    assert len(refused.value.messages) == 3 and "needs evidence" in refused.value.messages[1]
    assert Assessment.objects.get(pk=a.pk).status == Status.IN_PROGRESS


def test_bad_answers_are_refused_together_and_nothing_is_half_written(world):
    a = world.assessment
    q = [question(world.sa_version, i) for i in range(3)]
    before = list(Answer.objects.filter(assessment=a).values_list("value", "comment"))
    with pytest.raises(ValidationError) as refused:
        services.save_answers(a, {q[0].pk: "maybe", q[1].pk: f"Client {NHS_NUMBER}", q[2].pk: "twelve"})
    errors = refused.value.message_dict
    assert errors[str(q[0].pk)] == ["Choose one of the answers offered."]
    assert "NHS number" in errors[str(q[1].pk)][0]
    assert errors[str(q[2].pk)] == ["Enter a number, for example 12 or 3.5."]
    assert list(Answer.objects.filter(assessment=a).values_list("value", "comment")) == before


def test_returned_resubmitted_then_accepted_with_score_and_actions(world):
    coordinator = world.user("coordinator")
    _, (a,) = services.issue(world.sa_version, [world.spare_org], DUE, coordinator)
    q = [question(world.sa_version, i) for i in range(3)]
    with audit_context(user=world.user("contributor"), source="test"):
        answer_all(a, world.sa_version, "Monthly", world.user("contributor"))
        services.submit(a)
    assert Assessment.objects.get(pk=a.pk).status == Status.SUBMITTED
    with pytest.raises(ValidationError):
        services.return_assessment(a, "  ")  # a return needs a comment
    with pytest.raises(ValidationError):
        services.accept(a)  # no findings yet
    services.return_assessment(a, "Upload the signed policy, not the draft.")
    a.refresh_from_db()
    assert (a.status, a.return_comment) == (Status.RETURNED, "Upload the signed policy, not the draft.")
    upload(a.answers.get(question=q[0]), coordinator, name="Signed policy.pdf")
    services.submit(a)
    assert Assessment.objects.get(pk=a.pk).status == Status.RESUBMITTED
    q[0].weight, q[1].weight, q[2].weight = Decimal(2), Decimal(1), Decimal(5)
    for x in q:
        x.save()
    services.record_findings(
        a, {q[0].pk: "partly_met", q[1].pk: "not_met", q[2].pk: "not_applicable"}, {q[1].pk: "Minutes not kept."}
    )
    services.accept(a, action_owner="Chief executive", action_due=DUE)
    a.refresh_from_db()
    # (2 × 0.5 + 1 × 0) / (2 + 1): the not-applicable question (weight 5) is left out
    assert (a.status, a.score) == (Status.ACCEPTED, Decimal("33.3"))
    (action,) = AssessmentAction.objects.filter(assessment=a)
    assert (action.question_id, action.owner, action.due_date, action.status) == (
        q[1].pk,
        "Chief executive",
        DUE,
        "open",
    )
    assert "Minutes not kept." in action.description
    with pytest.raises(ValidationError):
        services.save_answers(a, {q[1].pk: "Weekly"})  # accepted: never changed again


def test_score_counts_met_partly_not_met_and_leaves_out_not_applicable():
    class Q:
        def __init__(self, weight):
            self.weight = Decimal(weight)

    class A:
        def __init__(self, finding, weight=1):
            self.finding, self.question = finding, Q(weight)

    assert services.score([A("met"), A("partly_met"), A("not_met"), A("not_applicable", 9)]) == Decimal("50.0")
    assert services.score([A("not_applicable")]) is None
    assert services.score([A("met", 3), A("not_met", 1)]) == Decimal("75.0")


def test_every_write_is_audited_with_who_made_it(world):
    contributor = world.user("contributor")
    a = world.assessment
    q = question(world.sa_version, 1)
    with audit_context(user=contributor, source="test"):
        services.save_answers(a, {q.pk: "Every month, minuted"})
    answer = Answer.objects.get(assessment=a, question=q)
    entry = AuditEntry.objects.filter(
        object_type=ContentType.objects.get_for_model(Answer), object_id=answer.pk
    ).latest("id")
    assert (entry.action, entry.user, entry.after["value"]) == ("update", contributor, "Every month, minuted")
    issued = AuditEntry.objects.filter(
        object_type=ContentType.objects.get_for_model(Assessment), object_id=a.pk, action="create"
    )
    assert issued.exists()


def test_due_and_overdue_and_needs_attention(world):
    _, (late,) = services.issue(world.sa_version, [world.spare_org], local_today(), world.user("coordinator"))
    later = local_today() + datetime.timedelta(days=10)
    due, overdue = selectors.due_and_overdue(later)
    assert late in overdue and world.assessment in due  # due in 30 days
    assert world.submitted not in due and world.submitted not in overdue

    def attention(role):
        user = world.user(role)
        return items_of("assessments_overdue", user, later) + items_of("assessments_to_review", user, later)

    tags = {(i.assessment.pk, i.tag) for i in attention("coordinator")}
    assert (late.pk, "Self-assessment overdue") in tags and (world.submitted.pk, "Self-assessment to review") in tags
    mine = attention("contributor")
    assert {i.assessment.organisation for i in mine} <= {world.partner_org}
    assert attention("owner") == []  # a lead reads them; they act on none


def test_an_accepted_answer_with_evidence_fills_the_ig_item_of_the_organisations_partnerships(world):
    from assurance.models import IGItem

    org = Organisation.objects.create(name="Oxfordshire Mind", kind="vcse")
    fresh = Partnership.objects.create(reference="P-0200", title="Recovery College", arrangement_type="alliance")
    PartnerRole.objects.create(partnership=fresh, organisation=org)
    PartnerRole.objects.create(partnership=world.partnership, organisation=org)  # has an ISA recorded already
    kept = list(IGItem.objects.filter(partnership=world.partnership, item="isa").values_list("pk", "status"))
    q = question(world.sa_version, 0)
    q.ig_item = "isa"
    q.save()
    _, (a,) = services.issue(world.sa_version, [org], DUE)
    answer_all(a, world.sa_version, "Monthly", world.user("coordinator"))
    services.submit(a)
    services.record_findings(a, {x.pk: "met" for x in Question.objects.filter(section__version=world.sa_version)})
    services.accept(a)
    item = IGItem.objects.get(partnership=fresh, item="isa")
    assert (item.status, item.approved_on) == ("in_place", local_today())
    assert item.documents.get().sha256 == a.answers.get(question=q).documents.get().sha256
    assert list(IGItem.objects.filter(partnership=world.partnership, item="isa").values_list("pk", "status")) == kept

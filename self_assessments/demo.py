"""The demo self-assessments, through ``self_assessments.services``.

The seed "Trust partnerships update report" says every third-sector partner completed a governance
self-assessment questionnaire for the trust, which included the IG documents they hold. Here, on
the shipped questionnaire: Oxfordshire Mind's 2019 round, accepted with a score and one action
(its business continuity plan had not been tested), and this year's round issued to Mind (for the
demo partner contributor to answer); Response's, submitted and returned with the coordinator's
comment; Restore's, overdue with half its answers saved. Answers and documents are demo values
(each document a one-page PDF saying so).

:func:`seed` adds them only when no self-assessment has been issued yet, so a second run writes nothing.
"""

import datetime

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from accounts.models import User
from assurance.demo import demo_pdf
from core.audit import audit_context
from core.dates import local_today
from core.demo import Seeded, counted
from core.documents import add_version, check_upload
from organisations.models import Organisation
from self_assessments import services
from self_assessments.defaults import NAME, create_default
from self_assessments.models import AnswerType, Assessment, Evidence, Question, TemplateVersion

DAY = datetime.timedelta(days=1)
CHOSEN = {
    "What is your organisation's legal form?": "Charitable company limited by guarantee",
    "What is your organisation's current Data Security and Protection Toolkit (DSPT) status?": "Standards Met",
}


def _value(question, on):
    if question.text in CHOSEN:
        return CHOSEN[question.text]
    return {
        AnswerType.YES_NO_PARTLY: "yes",
        AnswerType.CHOICE: (question.choices() or [("", "")])[0][0],
        AnswerType.NUMBER: "9",
        AnswerType.DATE: (on + 200 * DAY).strftime("%d/%m/%Y"),
        AnswerType.TEXT: "Our chief executive reports to the trustees on every partnership contract.",
    }.get(question.answer_type, "")


def _evidence(answer, organisation, user):
    upload = SimpleUploadedFile(
        f"{organisation.name} - {answer.question.section.title} (demo).pdf",
        demo_pdf(["Accord demo document - not a real document", organisation.name, answer.question.text[:90]]),
        content_type="application/pdf",
    )
    add_version(Evidence(answer=answer, uploaded_by=user), upload, check_upload(upload))


def _answer(assessment, on, user, share=1.0, overrides=None):
    """Answer the first ``share`` of the questions (and upload their evidence)."""
    answers = list(
        assessment.answers.select_related("question__section").order_by(
            "question__section__position", "question__position"
        )
    )
    answers = answers[: round(len(answers) * share)]
    values = {a.question_id: _value(a.question, on) for a in answers if a.question.answer_type != AnswerType.FILE}
    values.update(overrides or {})
    services.save_answers(assessment, values)
    for a in answers:
        if a.question.evidence_required or a.question.answer_type == AnswerType.FILE:
            _evidence(a, assessment.organisation, user)


def seed():
    """The demo assessments; how many were issued."""
    names = ("Oxfordshire Mind", "Response", "Restore")
    orgs = {o.name: o for o in Organisation.objects.filter(name__in=names)}
    if len(orgs) < len(names) or Assessment.objects.exists():
        return 0
    create_default(apps)
    version = TemplateVersion.objects.get(template__name=NAME, number=1)
    coordinator = User.objects.filter(role="coordinator", is_active=True).order_by("pk").first()
    contributor = User.objects.filter(organisation=orgs["Oxfordshire Mind"]).order_by("pk").first()
    mind, response, restore = (orgs[n] for n in names)
    today = local_today()
    with audit_context(user=coordinator, source="seed"), transaction.atomic():
        # Mind, 2019: accepted, one "not met" (business continuity plan not tested) -> an action.
        issued = datetime.date(2019, 4, 15)
        _, (accepted,) = services.issue(version, [mind], datetime.date(2019, 6, 28), coordinator, today=issued)
        bcp = Question.objects.get(section__version=version, text__startswith="Do you have a business continuity plan")
        _answer(accepted, issued, contributor, overrides={bcp.pk: "partly"})
        services.submit(accepted, today=datetime.date(2019, 6, 20))
        findings = {}
        for a in accepted.answers.select_related("question"):
            findings[a.question_id] = "met"
        findings[bcp.pk] = "not_met"
        dbs = Question.objects.get(section__version=version, text__startswith="Do you renew or re-check DBS")
        findings[dbs.pk] = "partly_met"
        dpa = Question.objects.get(section__version=version, text__contains="data processing agreement")
        findings[dpa.pk] = "not_applicable"
        services.record_findings(
            accepted,
            findings,
            {bcp.pk: "The plan is written but has not been tested: run a desktop exercise with the trust's EPRR lead."},
        )
        services.accept(
            accepted,
            action_owner="Mind's Director of Operations",
            action_due=datetime.date(2019, 12, 20),
            today=datetime.date(2019, 7, 5),
        )
        # Mind, this year: issued, for the demo partner contributor to answer.
        services.issue(version, [mind], today + 42 * DAY, coordinator, today=today - 7 * DAY)
        # Response: submitted, then returned with a comment.
        _, (returned,) = services.issue(version, [response], today + 21 * DAY, coordinator, today=today - 35 * DAY)
        _answer(returned, today - 30 * DAY, coordinator)
        services.submit(returned, today=today - 10 * DAY)
        services.return_assessment(
            returned,
            "Thank you. The employer's liability certificate uploaded expired in March: please upload the "
            "current certificate, and the safeguarding children policy, which is dated 2016, once reviewed.",
        )
        # Restore: overdue, half answered.
        _, (late,) = services.issue(version, [restore], today - 14 * DAY, coordinator, today=today - 70 * DAY)
        _answer(late, today - 60 * DAY, coordinator, share=0.5)
    return 4


def demo_step():
    """``seed_demo``'s self-assessment step."""
    return Seeded(added=counted(seed(), "self-assessment"))

"""The self-assessments' rows of Accord's cross-cutting tests (``tests/rows.py`` says what each
table is).

The world's contributor belongs to ``partner_org``: their organisation's assessments are theirs
(``assessment`` being answered, ``submitted`` awaiting review, ``accepted`` with an action), the
other organisation's (``other_assessment``) never."""

import datetime

from core import versions
from core.audit import audit_context
from core.dates import local_today
from core.documents import add_version, check_upload
from self_assessments import services
from self_assessments.models import (
    Answer,
    Assessment,
    AssessmentAction,
    Evidence,
    Issue,
    Question,
    Section,
    Template,
    TemplateVersion,
)
from tests.rows import (
    CONTRIBUTOR,
    KEEPERS,
    NHS_NUMBER_SHOWN,
    NOT_ALLOWED,
    OK,
    SAVED,
    Change,
    Export,
    Form,
    Growth,
    Page,
    Stale,
    everyone,
    only,
)
from tests.world import NHS_NUMBER, day, opened_at_now, pdf_upload

OWN_ANSWER = "Our trustees meet monthly at the Cowley office."
OTHER_ANSWER = "Southern trustees meet in Winchester every quarter."
QUESTIONS = (
    ("Do you have a safeguarding adults policy?", "yes_no_partly", True, True),
    ("How do your trustees meet?", "text", True, False),
    ("How many volunteers do you have?", "number", False, False),
)


def make_version(name="Partner governance check", questions=QUESTIONS, published=True):
    template = Template.objects.create(name=name)
    version = TemplateVersion.objects.create(
        template=template, number=1, published_on=datetime.date(2024, 4, 1) if published else None
    )
    section = Section.objects.create(version=version, title="Governance")
    for i, (text, kind, required, evidence) in enumerate(questions):
        Question.objects.create(
            section=section, position=i, text=text, answer_type=kind, required=required, evidence_required=evidence
        )
    return version


def question(version, n):
    return Question.objects.filter(section__version=version).order_by("position")[n]


def upload(answer, user, name="Safeguarding policy.pdf"):
    file = pdf_upload(name, marker=f"% {answer.pk} {name}\n")
    return add_version(Evidence(answer=answer, uploaded_by=user), file, check_upload(file))


def answer_all(assessment, version, text, user):
    q = [question(version, i) for i in range(3)]
    services.save_answers(assessment, {q[0].pk: "yes", q[1].pk: text, q[2].pk: "12"})
    return upload(assessment.answers.get(question=q[0]), user)


def build(w):
    """A published questionnaire issued (due in 30 days) to the partner organisation and the other
    one, each answering; two more rounds for the partner: one submitted, one accepted with an
    action; and a draft version."""
    w.sa_version = make_version()
    w.sa_draft = make_version("Partner IG check", published=False)
    coordinator = w.user("coordinator")
    due = local_today() + datetime.timedelta(days=30)
    _, (w.assessment, w.other_assessment) = services.issue(w.sa_version, [w.partner_org, w.other_org], due, coordinator)
    w.evidence = answer_all(w.assessment, w.sa_version, OWN_ANSWER, w.user(CONTRIBUTOR))
    answer_all(w.other_assessment, w.sa_version, OTHER_ANSWER, coordinator)
    _, (w.submitted,) = services.issue(w.sa_version, [w.partner_org], due, coordinator)
    answer_all(w.submitted, w.sa_version, OWN_ANSWER, coordinator)
    services.submit(w.submitted)
    _, (w.accepted,) = services.issue(w.sa_version, [w.partner_org], due, coordinator)
    answer_all(w.accepted, w.sa_version, OWN_ANSWER, coordinator)
    services.submit(w.accepted)
    findings = {question(w.sa_version, 0).pk: "not_met", question(w.sa_version, 1).pk: "met"}
    findings[question(w.sa_version, 2).pk] = "not_applicable"
    services.record_findings(w.accepted, findings)
    services.accept(w.accepted)
    w.sa_action = AssessmentAction.objects.get(assessment=w.accepted)
    for name in ("assessment", "other_assessment", "submitted", "accepted"):
        setattr(w, name, Assessment.objects.get(pk=getattr(w, name).pk))


def private(w):
    return [OTHER_ANSWER]


def page_opened(assessment, page="answers"):
    """The hidden field of the answering page (or the review page: ``"findings"``) opened now."""
    shown = services.answers_shown if page == "answers" else services.findings_shown
    return {versions.VERSION_FIELD: versions.make_token(services.page_key(assessment, page), shown(assessment))}


def _answer_form(w, **changes):
    q = [question(w.sa_version, i) for i in range(3)]
    data = {f"answer-{q[0].pk}": "partly", f"answer-{q[1].pk}": "Quarterly, minuted.", f"answer-{q[2].pk}": "14"}
    return data | page_opened(w.assessment) | changes


def _answered(w):
    return (
        Answer.objects.get(assessment=w.assessment, question=question(w.sa_version, 1)).value == "Quarterly, minuted."
    )


def _first_answer(w):
    return Answer.objects.get(assessment=w.assessment, question=question(w.sa_version, 0))


def _reviewed(w):
    return Answer.objects.get(assessment=w.submitted, question=question(w.sa_version, 0)).finding == "met"


def _action_form(action, **changes):
    action = AssessmentAction.objects.get(pk=action.pk)
    data = {
        "description": action.description,
        "owner": action.owner,
        "due_date": day(action.due_date),
        "status": action.status,
    }
    return data | opened_at_now(action) | changes


def _question_form(q=None, **changes):
    data = {"text": "", "guidance": "", "answer_type": "yes_no_partly", "options": "", "weight": "1", "required": "on"}
    if q is not None:
        data.update(
            text=q.text,
            guidance=q.guidance,
            answer_type=q.answer_type,
            options=q.options,
            weight=str(q.weight),
            ig_item=q.ig_item,
        )
        if not q.required:
            data.pop("required")
        if q.evidence_required:
            data["evidence_required"] = "on"
        data.update(opened_at_now(q))
    return data | changes


KEEPERS_AND_CONTRIBUTOR_GET = only(OK, KEEPERS, contributor=OK)
KEEPERS_AND_CONTRIBUTOR_POST = only(SAVED, KEEPERS, contributor=SAVED)
POST_ONLY = everyone(NOT_ALLOWED, contributor=NOT_ALLOWED)

PAGES = {
    "self_assessments:list": Page(
        get=everyone(OK, contributor=OK), post=everyone(NOT_ALLOWED, contributor=NOT_ALLOWED)
    ),
    "self_assessments:detail": Page(args=lambda w: [w.assessment.pk], get=everyone(OK, contributor=OK), post=POST_ONLY),
    "self_assessments:answer": Page(
        args=lambda w: [w.assessment.pk],
        get=KEEPERS_AND_CONTRIBUTOR_GET,
        post=KEEPERS_AND_CONTRIBUTOR_POST,
        data=_answer_form,
        effect=_answered,
    ),
    "self_assessments:evidence_add": Page(
        args=lambda w: [_first_answer(w).pk],
        get=KEEPERS_AND_CONTRIBUTOR_GET,
        post=KEEPERS_AND_CONTRIBUTOR_POST,
        data=lambda w: {"file": pdf_upload("Safeguarding policy 2025.pdf", "% 2025")},
        effect=lambda w: _first_answer(w).documents.count() == 2,
    ),
    "self_assessments:evidence": Page(args=lambda w: [w.evidence.pk], get=everyone(OK, contributor=OK), post=POST_ONLY),
    "self_assessments:review": Page(
        args=lambda w: [w.submitted.pk],
        get=only(OK, KEEPERS),
        post=only(SAVED, KEEPERS),
        data=lambda w: (
            {f"finding-{question(w.sa_version, 0).pk}": "met", "step": "save"} | page_opened(w.submitted, "findings")
        ),
        effect=_reviewed,
    ),
    "self_assessments:issue": Page(
        get=only(OK, KEEPERS),
        post=only(SAVED, KEEPERS),
        data=lambda w: {
            "version": str(w.sa_version.pk),
            "organisations": [str(w.spare_org.pk)],
            "due_date": day(local_today() + datetime.timedelta(days=60)),
        },
        effect=lambda w: Assessment.objects.filter(organisation=w.spare_org).exists(),
    ),
    "self_assessments:action_edit": Page(
        args=lambda w: [w.sa_action.pk],
        get=only(OK, KEEPERS),
        post=only(SAVED, KEEPERS),
        data=lambda w: _action_form(w.sa_action, owner="Chair of trustees"),
        effect=lambda w: AssessmentAction.objects.get(pk=w.sa_action.pk).owner == "Chair of trustees",
    ),
    "self_assessments:action_status": Page(
        args=lambda w: [w.sa_action.pk],
        get=everyone(NOT_ALLOWED, contributor=NOT_ALLOWED),
        post=only(SAVED, KEEPERS) | {"anonymous": "302 to login"},
        data=lambda w: {"status": "done"},
        effect=lambda w: AssessmentAction.objects.get(pk=w.sa_action.pk).status == "done",
    ),
    "self_assessments:templates": Page(get=everyone(OK), post=everyone(NOT_ALLOWED)),
    "self_assessments:version": Page(args=lambda w: [w.sa_version.pk], get=everyone(OK), post=everyone(NOT_ALLOWED)),
    "self_assessments:publish": Page(
        args=lambda w: [w.sa_draft.pk],
        get=everyone(NOT_ALLOWED),
        post=only(SAVED, KEEPERS),
        effect=lambda w: TemplateVersion.objects.get(pk=w.sa_draft.pk).published_on is not None,
    ),
    "self_assessments:section_add": Page(
        args=lambda w: [w.sa_draft.pk],
        get=only(OK, KEEPERS),
        post=only(SAVED, KEEPERS),
        data=lambda w: {"title": "Insurance"},
        effect=lambda w: w.sa_draft.sections.filter(title="Insurance").exists(),
    ),
    "self_assessments:question_add": Page(
        args=lambda w: [w.sa_draft.sections.first().pk],
        get=only(OK, KEEPERS),
        post=only(SAVED, KEEPERS),
        data=lambda w: _question_form(text="Do you hold public liability insurance?"),
        effect=lambda w: Question.objects.filter(
            section__version=w.sa_draft, text="Do you hold public liability insurance?"
        ).exists(),
    ),
    "self_assessments:question_edit": Page(
        args=lambda w: [question(w.sa_draft, 1).pk],
        get=only(OK, KEEPERS),
        post=only(SAVED, KEEPERS),
        data=lambda w: _question_form(question(w.sa_draft, 1), guidance="Name the chair."),
        effect=lambda w: question(w.sa_draft, 1).guidance == "Name the chair.",
    ),
    "self_assessments:new_version": Page(
        args=lambda w: [w.sa_version.pk],
        get=everyone(NOT_ALLOWED),
        post=only(SAVED, KEEPERS),
        effect=lambda w: TemplateVersion.objects.filter(template=w.sa_version.template, number=2).exists(),
    ),
}


# What a partner contributor is granted by name: the pages of their organisation's assessments.
def _own(model, **lookup):
    return lambda w: [
        [pk] for pk in model.objects.filter(**{k: v(w) for k, v in lookup.items()}).values_list("pk", flat=True)
    ]


PARTNER_PAGES = {
    "self_assessments:list": lambda w: [[]],
    "self_assessments:detail": _own(Assessment, organisation=lambda w: w.partner_org),
    "self_assessments:answer": _own(Assessment, organisation=lambda w: w.partner_org),
    "self_assessments:evidence_add": _own(Answer, assessment__organisation=lambda w: w.partner_org),
    "self_assessments:evidence": _own(Evidence, answer__assessment__organisation=lambda w: w.partner_org),
}
# The other organisation's records, whose ids the contributor types into every URL.
OTHER_RECORDS = ("other_assessment",)


def _organisations(*names):
    return lambda w, role: sorted(getattr(w, n).organisation.name for n in names)


def _rows_for(w, role):
    if role == CONTRIBUTOR:
        return sorted([w.partner_org.name] * 3)
    return sorted([w.partner_org.name] * 3 + [w.other_org.name])


EXPORTS = {
    "self_assessments:list": Export(
        key="Organisation",
        rows=_rows_for,
        filter={"status": "accepted"},
        filtered_rows=lambda w, role: [w.partner_org.name],
    ),
}


def _new_assessment(w):
    return Assessment.objects.create(
        issue=Issue.objects.create(version=w.sa_version, due_date=local_today()), organisation=w.spare_org
    )


AUDIT = {
    "self_assessments.Template": Change(
        lambda w: Template.objects.create(name="Carers' organisations check", description="For carers' groups."),
        "description",
        "For carers' groups.",
        "For carers' groups and forums.",
        "For carers' groups and forums.",
    ),
    "self_assessments.TemplateVersion": Change(
        lambda w: TemplateVersion.objects.create(template=w.sa_version.template, number=7, notes="Wording"),
        "notes",
        "Wording",
        "Wording and weights",
        "Wording and weights",
        parent=lambda w: w.sa_version.template,
    ),
    "self_assessments.Section": Change(
        lambda w: Section.objects.create(version=w.sa_draft, title="Insurance"),
        "title",
        "Insurance",
        "Insurance cover",
        "Insurance cover",
        parent=lambda w: w.sa_draft,
    ),
    "self_assessments.Question": Change(
        lambda w: Question.objects.create(
            section=w.sa_draft.sections.first(), text="Do you hold public liability insurance?"
        ),
        "required",
        True,
        False,
        False,
        parent=lambda w: w.sa_draft.sections.first(),
    ),
    "self_assessments.Issue": Change(
        lambda w: Issue.objects.create(version=w.sa_version, due_date=datetime.date(2030, 1, 31)),
        "due_date",
        "2030-01-31",
        datetime.date(2030, 2, 28),
        "2030-02-28",
        parent=lambda w: w.sa_version,
    ),
    "self_assessments.Assessment": Change(
        _new_assessment,
        "return_comment",
        "",
        "Upload the signed policy.",
        "Upload the signed policy.",
        parent=lambda w: w.spare_org,
    ),
    "self_assessments.Answer": Change(
        lambda w: Answer.objects.create(
            assessment=_new_assessment(w), question=question(w.sa_version, 1), value="Monthly"
        ),
        "value",
        "Monthly",
        "Quarterly",
        "Quarterly",
    ),
    "self_assessments.AssessmentAction": Change(
        lambda w: AssessmentAction.objects.create(
            assessment=w.submitted,
            question=question(w.sa_version, 1),
            description="Adopt a whistleblowing policy.",
            owner="Chief executive",
            due_date=datetime.date(2030, 3, 31),
        ),
        "status",
        "Open",
        "done",
        "Done",
        parent=lambda w: w.submitted,
    ),
    "self_assessments.Evidence": Change(
        lambda w: upload(_first_answer(w), w.user("coordinator"), name="Public liability schedule.pdf"),
        "original_name",
        "Public liability schedule.pdf",
        None,
        None,
        parent=_first_answer,
        actions=("create",),
    ),
}

FORMS = {
    "issue: nothing filled in": Form(
        "self_assessments:issue",
        lambda w: [],
        lambda w: {},
        {"version": "Choose the questionnaire to issue.", "due_date": "Enter the date the self-assessment is due."},
    ),
    "issue: no organisation, a date in the past": Form(
        "self_assessments:issue",
        lambda w: [],
        lambda w: {"version": str(w.sa_version.pk), "due_date": "01/01/2020"},
        {
            "organisations": "Choose at least one organisation",
            "due_date": "The due date cannot be in the past.",
        },
    ),
    "question: nothing filled in, a choice with one option": Form(
        "self_assessments:question_add",
        lambda w: [w.sa_draft.sections.first().pk],
        lambda w: {"answer_type": "choice", "options": "Only one", "weight": "1"},
        {"text": "Enter the question.", "options": "Give at least two options"},
    ),
    "question: an NHS number, a weight in words": Form(
        "self_assessments:question_edit",
        lambda w: [question(w.sa_draft, 1).pk],
        lambda w: _question_form(question(w.sa_draft, 1), guidance=f"Ask about {NHS_NUMBER}", weight="two"),
        {"guidance": NHS_NUMBER_SHOWN, "weight": "Enter a number"},
    ),
    "section: no title": Form(
        "self_assessments:section_add",
        lambda w: [w.sa_draft.pk],
        lambda w: {"title": " "},
        {"title": "Enter the title of the section"},
    ),
    "self-assessment action: nothing filled in, an NHS number": Form(
        "self_assessments:action_edit",
        lambda w: [w.sa_action.pk],
        lambda w: _action_form(w.sa_action, description="", owner=f"Nurse for {NHS_NUMBER}", due_date="31/02/2027"),
        {"description": "Describe the action.", "owner": NHS_NUMBER_SHOWN, "due_date": "Enter a real date"},
    ),
    "evidence: no file, then a page that is not a document": Form(
        "self_assessments:evidence_add",
        lambda w: [_first_answer(w).pk],
        lambda w: {},
        {"file": "Choose the file to upload."},
        role=CONTRIBUTOR,
    ),
}


def more_assessments(w, n):
    orgs = []
    from organisations.models import Organisation

    start = Organisation.objects.count()
    for i in range(start, start + n):
        orgs.append(Organisation.objects.create(name=f"Grown charity {i:04d}", kind="vcse"))
    with audit_context(user=w.user("coordinator"), source="test"):
        services.issue(w.sa_version, orgs, local_today() + datetime.timedelta(days=10))


def more_questions(w, n):
    """``n`` more answered questions on the submitted assessment (and on last round's)."""
    section = w.sa_version.sections.first()
    start = Question.objects.filter(section=section).count()
    for i in range(start, start + n):
        q = Question.objects.create(section=section, position=i, text=f"Grown question {i}", answer_type="text")
        for a in (w.submitted, w.accepted):
            Answer.objects.create(
                assessment=a, question=q, value=f"Answer {i}", finding="met" if a == w.accepted else ""
            )


def _rows(body):
    return body.count('id="question-')


QUERIES = {
    "self_assessments:list": Growth(more_assessments),
    "self_assessments:detail": Growth(more_questions, shown=_rows, args=lambda w: [w.submitted.pk]),
    "self_assessments:templates": Growth(
        lambda w, n: [make_version(f"Grown questionnaire {Template.objects.count()}") for _ in range(n)]
    ),
    "self_assessments:version": Growth(more_questions, shown=_rows, args=lambda w: [w.sa_version.pk]),
}

STALE = {
    "self-assessment action": Stale(
        "self_assessments:action_edit",
        lambda w: [w.sa_action.pk],
        theirs={"status": "done"},
        yours={"owner": "Chair of trustees"},
        row=("Status", "Open", "Done", None),
        their_fields={"status"},
        your_fields={"owner"},
        them="administrator",
    ),
    "self-assessment question": Stale(
        "self_assessments:question_edit",
        lambda w: [question(w.sa_draft, 1).pk],
        theirs={"guidance": "Say how often, and who chairs."},
        yours={"weight": "2"},
        row=("Guidance", "Not recorded", "Say how often, and who chairs.", None),
        their_fields={"guidance"},
        your_fields={"weight"},
        them="administrator",
    ),
}

RECORDS = {
    "self_assessments.Template": lambda w: w.sa_version.template,
    "self_assessments.TemplateVersion": lambda w: w.sa_version,
    "self_assessments.Section": lambda w: w.sa_version.sections.first(),
    "self_assessments.Question": lambda w: question(w.sa_version, 0),
    "self_assessments.Assessment": lambda w: w.assessment,
    "self_assessments.Answer": _first_answer,
    "self_assessments.AssessmentAction": lambda w: w.sa_action,
}

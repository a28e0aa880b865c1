"""The writes of self-assessments, for the pages, the demo and the benchmark. Each checks its rule,
refuses with a message that says why (``ValidationError``), writes everything or nothing, and is
audited by ``core.audit`` (signals for ordinary saves, ``record_bulk`` for bulk ones).

The rules: a template version issued to anyone is never edited (a change is :func:`new_version`);
only a published version is issued; one assessment per organisation per issue; an assessment
moves issued → in progress → submitted → accepted, or returned (with a comment) → resubmitted →
accepted or returned again; it is submitted only with every required answer and every required
piece of evidence; it is accepted only with a finding on every answer; every "not met" becomes an
action for the organisation.
"""

import datetime
import decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from core import audit, versions
from core.dates import local_today, typed_day
from core.validators import reject_nhs_number
from self_assessments.models import (
    ANSWERING,
    AWAITING_REVIEW,
    FINDING_SCORE,
    ActionStatus,
    Answer,
    AnswerType,
    Assessment,
    AssessmentAction,
    Finding,
    Issue,
    Question,
    Section,
    Status,
    TemplateVersion,
)

ACTION_DAYS = 90  # a "not met" action is due this long after acceptance unless the reviewer says


def _save(obj):
    obj.full_clean()
    obj.save()
    return obj


# --- templates ---------------------------------------------------------------------------------


def edit_refusal(version):
    """Why ``version`` cannot be edited, or ``None``."""
    if version.pk and version.in_use():
        return f"{version} has been issued, so it is never edited: make a new version of it and change that one."
    return None


def _check_editable(version):
    refusal = edit_refusal(version)
    if refusal:
        raise ValidationError(refusal)


@transaction.atomic
def save_section(section):
    _check_editable(section.version)
    if section.pk is None:
        last = Section.objects.filter(version=section.version).aggregate(m=Max("position"))["m"]
        section.position = 0 if last is None else last + 1
    return _save(section)


@transaction.atomic
def save_question(question):
    _check_editable(question.section.version)
    if question.pk is None:
        last = Question.objects.filter(section=question.section).aggregate(m=Max("position"))["m"]
        question.position = 0 if last is None else last + 1
    return _save(question)


@transaction.atomic
def delete_question(question):
    _check_editable(question.section.version)
    question.delete()


@transaction.atomic
def publish(version, on=None):
    if version.is_published:
        raise ValidationError(f"{version} is already published.")
    if not Question.objects.filter(section__version=version).exists():
        raise ValidationError("A version with no question cannot be published.")
    version.published_on = on or local_today()
    return _save(version)


@transaction.atomic
def new_version(version, notes=""):
    """A copy of ``version`` (its sections and questions), numbered after the template's latest,
    not yet published: the way to change a template in use."""
    latest = TemplateVersion.objects.filter(template=version.template).aggregate(m=Max("number"))["m"]
    copy = _save(TemplateVersion(template=version.template, number=latest + 1, notes=notes))
    for section in version.sections.prefetch_related("questions"):
        new_section = _save(Section(version=copy, title=section.title, position=section.position))
        for q in section.questions.all():
            _save(
                Question(
                    section=new_section,
                    position=q.position,
                    text=q.text,
                    guidance=q.guidance,
                    answer_type=q.answer_type,
                    options=q.options,
                    weight=q.weight,
                    required=q.required,
                    evidence_required=q.evidence_required,
                    ig_item=q.ig_item,
                )
            )
    return copy


# --- issuing -----------------------------------------------------------------------------------


@transaction.atomic
def issue(version, organisations, due_date, issued_by=None, today=None):
    """Issue ``version`` to ``organisations``: one assessment each, with an empty answer to every
    question. Refused (nothing written) for an unpublished version, no organisation or a due date
    in the past."""
    today = today or local_today()
    organisations = list(organisations)
    errors = {}
    if not version.is_published:
        errors["version"] = "Publish this version before issuing it."
    if not organisations:
        errors["organisations"] = "Choose at least one organisation, or a filter that finds some."
    if due_date is None:
        errors["due_date"] = "Enter the date the self-assessment is due."
    elif due_date < today:
        errors["due_date"] = "The due date cannot be in the past."
    if errors:
        raise ValidationError(errors)
    batch = _save(Issue(version=version, due_date=due_date, issued_on=today, issued_by=issued_by))
    assessments = Assessment.objects.bulk_create(
        [Assessment(issue=batch, organisation=org) for org in organisations], batch_size=1000
    )
    audit.record_bulk(assessments)
    question_ids = list(Question.objects.filter(section__version=version).values_list("pk", flat=True))
    answers = [Answer(assessment=a, question_id=q) for a in assessments for q in question_ids]
    Answer.objects.bulk_create(answers, batch_size=2000)
    audit.record_bulk(answers)
    return batch, assessments


# --- answering ---------------------------------------------------------------------------------


def _text(typed):
    """Typed text as kept: trimmed, and a browser's line ends (CR LF) as stored ones (LF), so that a
    box sent back unchanged reads as unchanged."""
    return (typed or "").replace("\r\n", "\n").strip()


def check_value(question, value):
    """The answer as stored, or ``ValidationError`` with what is wrong with it."""
    value = _text(value)
    if not value:
        return ""
    reject_nhs_number(value)
    kind = question.answer_type
    if kind in (AnswerType.YES_NO_PARTLY, AnswerType.CHOICE):
        if value not in {key for key, _ in question.choices()}:
            raise ValidationError("Choose one of the answers offered.")
    elif kind == AnswerType.NUMBER:
        try:
            number = decimal.Decimal(value.replace(",", ""))
        except decimal.InvalidOperation:
            raise ValidationError("Enter a number, for example 12 or 3.5.") from None
        if not number.is_finite():
            raise ValidationError("Enter a number, for example 12 or 3.5.")
        value = str(number)
    elif kind == AnswerType.DATE:
        try:
            value = typed_day(value).isoformat()
        except ValueError:
            raise ValidationError("Enter a real date, day first, for example 30/03/2022.") from None
    elif kind == AnswerType.FILE:
        raise ValidationError("Upload a file for this question: it takes no typed answer.")
    return value


def _lock(assessment):
    return Assessment.objects.select_for_update().select_related("issue").get(pk=assessment.pk)


ANYWAY = object()  # ``opened`` of a write made by code (the demo, a command), not by a page


def answers_shown(assessment):
    """{question id (text): [answer, comment]} as stored: what the answering page shows, carried
    in its token (``core.versions``) so that a save can tell the user's changes from somebody else's."""
    return {str(qid): [value, comment] for qid, value, comment in _answer_values(assessment, "value", "comment")}


def findings_shown(assessment):
    """{question id (text): [finding, note]} as stored: what the review page shows, for its token."""
    return {str(qid): [f, note] for qid, f, note in _answer_values(assessment, "finding", "finding_note")}


def _answer_values(assessment, *fields):
    return Answer.objects.filter(assessment_id=assessment.pk).values_list("question_id", *fields)


def page_key(assessment, page):
    """What a page's token is bound to: one assessment's answers, or its findings."""
    return f"self_assessments.assessment:{assessment.pk}:{page}"


@transaction.atomic
def save_answers(assessment, values, comments=None, opened=ANYWAY):
    """Record answers (``{question id: typed value}``) and comments; all or nothing. Every bad
    value is refused at once, keyed by question id.

    ``opened`` is what the page showed (:func:`answers_shown` from its token, ``None`` when not
    known): only the answers the user changed from it are written, and a change to an answer that
    somebody else changed meanwhile is refused (``core.versions.ChangedMeanwhile``)."""
    assessment = _lock(assessment)
    if assessment.status not in ANSWERING:
        raise ValidationError(
            f"This self-assessment is {assessment.get_status_display().lower()}: it cannot be changed."
        )
    comments = comments or {}
    answers = {a.question_id: a for a in assessment.answers.select_related("question")}
    errors, yours = {}, {}
    for qid in set(values) | set(comments):
        answer = answers.get(qid)
        if answer is None:
            errors[str(qid)] = "Not a question of this self-assessment."
            continue
        try:
            cleaned = check_value(answer.question, values.get(qid, answer.value)) if qid in values else answer.value
            comment = _text(comments.get(qid, answer.comment))
            reject_nhs_number(comment)
        except ValidationError as error:
            errors[str(qid)] = " ".join(error.messages)
            continue
        yours[str(qid)] = [cleaned, comment]
    if errors:
        raise ValidationError(errors)
    now = {str(qid): [a.value, a.comment] for qid, a in answers.items()}
    for key in _to_write(opened, now, yours):
        answer = answers[int(key)]
        answer.value, answer.comment = yours[key]
        answer.save()
    if assessment.status == Status.ISSUED:
        assessment.status = Status.IN_PROGRESS
        assessment.save()
    return assessment


def _to_write(opened, now, yours):
    if opened is ANYWAY:
        return [key for key, mine in yours.items() if mine != now[key]]
    return versions.rows_to_write(opened, now, yours)


def missing(assessment):
    """[(question, what is missing)] before ``assessment`` may be submitted. Two queries."""
    answers = list(
        assessment.answers.select_related("question__section")
        .prefetch_related("documents")
        .order_by("question__section__position", "question__position", "question_id")
    )
    gaps = []
    for a in answers:
        q = a.question
        if q.required and q.answer_type != AnswerType.FILE and not a.value:
            gaps.append((q, "an answer"))
        if (q.evidence_required or (q.required and q.answer_type == AnswerType.FILE)) and not a.documents.all():
            gaps.append((q, "evidence"))
    return gaps


@transaction.atomic
def submit(assessment, today=None):
    assessment = _lock(assessment)
    if assessment.status not in ANSWERING:
        raise ValidationError(
            f"This self-assessment is {assessment.get_status_display().lower()}: it cannot be submitted."
        )
    gaps = missing(assessment)
    if gaps:
        raise ValidationError([f"{q.section.title}: “{q}” needs {what}." for q, what in gaps], code="missing")
    assessment.status = Status.RESUBMITTED if assessment.status == Status.RETURNED else Status.SUBMITTED
    assessment.submitted_on = today or local_today()
    assessment.save()
    return assessment


# --- review ------------------------------------------------------------------------------------


@transaction.atomic
def record_findings(assessment, findings, notes=None, opened=ANYWAY):
    """Record the reviewer's finding (``{question id: Finding}``) and note on each answer.
    ``opened`` as for :func:`save_answers` (:func:`findings_shown` from the review page's token)."""
    assessment = _lock(assessment)
    if assessment.status not in AWAITING_REVIEW:
        raise ValidationError("Findings are recorded on a submitted self-assessment only.")
    notes = notes or {}
    answers = {a.question_id: a for a in assessment.answers.all()}
    errors, yours = {}, {}
    for qid in set(findings) | set(notes):
        answer = answers.get(qid)
        if answer is None:
            errors[str(qid)] = "Not a question of this self-assessment."
            continue
        finding = findings.get(qid, answer.finding) or ""
        note = _text(notes.get(qid, answer.finding_note))
        if finding and finding not in Finding.values:
            errors[str(qid)] = "Choose met, partly met, not met or not applicable."
            continue
        try:
            reject_nhs_number(note)
        except ValidationError as error:
            errors[str(qid)] = " ".join(error.messages)
            continue
        yours[str(qid)] = [finding, note]
    if errors:
        raise ValidationError(errors)
    now = {str(qid): [a.finding, a.finding_note] for qid, a in answers.items()}
    for key in _to_write(opened, now, yours):
        answer = answers[int(key)]
        answer.finding, answer.finding_note = yours[key]
        answer.save()
    return assessment


@transaction.atomic
def return_assessment(assessment, comment):
    assessment = _lock(assessment)
    if assessment.status not in AWAITING_REVIEW:
        raise ValidationError("Only a submitted self-assessment can be returned.")
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": "Say what the organisation must change before it is returned."})
    reject_nhs_number(comment)
    assessment.status = Status.RETURNED
    assessment.return_comment = comment
    assessment.save()
    return assessment


def score(answers):
    """The weighted score as a percentage (one decimal place): met 1, partly met 0.5, not met 0;
    not applicable (and unreviewed) answers left out. ``None`` when nothing counts."""
    earned = possible = decimal.Decimal(0)
    for answer in answers:
        if answer.finding in FINDING_SCORE:
            weight = answer.question.weight
            earned += FINDING_SCORE[answer.finding] * weight
            possible += weight
    if not possible:
        return None
    return (earned * 100 / possible).quantize(decimal.Decimal("0.1"), rounding=decimal.ROUND_HALF_UP)


@transaction.atomic
def accept(assessment, action_owner="", action_due=None, today=None):
    """Accept a submitted self-assessment: every answer needs a finding; the score is worked out and
    kept; every "not met" becomes an open action (once) owned by ``action_owner`` (the
    organisation, unless told), due ``action_due`` (90 days on, unless told)."""
    today = today or local_today()
    assessment = _lock(assessment)
    if assessment.status not in AWAITING_REVIEW:
        raise ValidationError("Only a submitted self-assessment can be accepted.")
    answers = list(assessment.answers.select_related("question"))
    unreviewed = [a for a in answers if not a.finding]
    if unreviewed:
        raise ValidationError(
            f"Record a finding for every answer before accepting: {len(unreviewed)} still without one."
        )
    owner = (action_owner or "").strip() or assessment.organisation.name
    reject_nhs_number(owner)
    due = action_due or today + datetime.timedelta(days=ACTION_DAYS)
    if due < today:
        raise ValidationError({"action_due": "The actions' due date cannot be in the past."})
    existing = set(assessment.actions.values_list("question_id", flat=True))
    for a in answers:
        if a.finding == Finding.NOT_MET and a.question_id not in existing:
            text = f"Put in place: {a.question.text}"
            if a.finding_note:
                text += f"\nReviewer's note: {a.finding_note}"
            _save(
                AssessmentAction(
                    assessment=assessment, question=a.question, description=text, owner=owner, due_date=due
                )
            )
    assessment.status = Status.ACCEPTED
    assessment.accepted_on = today
    assessment.score = score(answers)
    assessment.save()
    fill_ig_items(assessment, answers, today)
    return assessment


IG_REVIEW_DAYS = 365  # an IG item filled from a self-assessment is reviewed a year on


def fill_ig_items(assessment, answers, today):
    """Each "met" answer to a question mapped to an IG item kind, with evidence, counts as that IG
    item of every partnership the organisation is a partner of which has no such item recorded
    yet: in place from the acceptance, reviewed a year on, with the newest evidence as its document
    (stored once: the same file). What the trust recorded itself is never overwritten. Returns the
    IG items added."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from assurance.models import IGDocument, IGItem, RecordedStatus
    from core.documents import add_version, check_upload, open_verified
    from partnerships.models import Partnership

    mapped = [a for a in answers if a.question.ig_item and a.finding == Finding.MET]
    if not mapped:
        return []
    partnerships = list(Partnership.objects.filter(partner_roles__organisation=assessment.organisation).distinct())
    added = []
    for a in mapped:
        evidence = a.documents.order_by("-version").first()
        if evidence is None:
            continue
        recorded = set(
            IGItem.objects.filter(partnership__in=partnerships, item=a.question.ig_item).values_list(
                "partnership_id", flat=True
            )
        )
        for partnership in partnerships:
            if partnership.pk in recorded:
                continue
            item = _save(
                IGItem(
                    partnership=partnership,
                    item=a.question.ig_item,
                    status=RecordedStatus.IN_PLACE,
                    approved_on=today,
                    review_on=today + datetime.timedelta(days=IG_REVIEW_DAYS),
                    notes=f"From {assessment.organisation.name}'s self-assessment, accepted on {today:%d/%m/%Y}.",
                )
            )
            with open_verified(evidence) as handle:
                upload = SimpleUploadedFile(evidence.original_name, handle.read(), content_type=evidence.content_type)
            add_version(IGDocument(item=item, uploaded_by=evidence.uploaded_by), upload, check_upload(upload))
            added.append(item)
    return added


@transaction.atomic
def save_action(action):
    """Save an action changed on its page (the assessment must have been accepted: actions follow
    its findings)."""
    if action.assessment.status != Status.ACCEPTED:
        raise ValidationError("Actions follow an accepted self-assessment's findings.")
    return _save(action)


@transaction.atomic
def mark_action(action, status):
    if status not in ActionStatus.values:
        raise ValidationError("Choose open or done.")
    action = AssessmentAction.objects.select_for_update().get(pk=action.pk)
    if action.status != status:
        action.status = status
        action.save()
    return action

"""What the self-assessment pages read, each in a fixed number of queries: an assessment's
questions with their answers (and last round's), what is due and overdue, and the items of
"needs attention"."""

from dataclasses import dataclass

from django.db.models import F, Prefetch

from core.dates import day, local_today
from core.permissions import grant, scope
from core.roles import sees_as_partner
from self_assessments.models import (
    ANSWERING,
    AWAITING_REVIEW,
    ActionStatus,
    Answer,
    Assessment,
    AssessmentAction,
    Evidence,
    Status,
)


def answers_of(assessment):
    """The assessment's answers in the questionnaire's order, each with its question, section and
    evidence (newest version first). Two queries."""
    return list(
        Answer.objects.filter(assessment=assessment)
        .select_related("question__section")
        .prefetch_related(Prefetch("documents", queryset=Evidence.objects.order_by("-version")))
        .order_by("question__section__position", "question__position", "question_id")
    )


def previous_assessment(assessment):
    """The same organisation's accepted assessment of the same template before this one, or ``None``."""
    return (
        Assessment.objects.filter(
            organisation_id=assessment.organisation_id,
            issue__version__template_id=assessment.issue.version.template_id,
            status=Status.ACCEPTED,
            issue__issued_on__lte=assessment.issue.issued_on,
        )
        .exclude(pk=assessment.pk)
        .order_by("-issue__issued_on", "-pk")
        .first()
    )


def previous_answers(previous):
    """{(section title, question text): answer} of last round, matched by wording (a new version
    of the template has new question rows). One query."""
    if previous is None:
        return {}
    answers = Answer.objects.filter(assessment=previous).select_related("question__section")
    return {(a.question.section.title, a.question.text): a for a in answers}


@dataclass(frozen=True)
class Row:
    answer: Answer
    previous: Answer | None


def sections(answers, before=None):
    """[(section, [Row])] in order."""
    before = before or {}
    grouped = []
    for a in answers:
        section = a.question.section
        if not grouped or grouped[-1][0].pk != section.pk:
            grouped.append((section, []))
        grouped[-1][1].append(Row(a, before.get((section.title, a.question.text))))
    return grouped


def due_and_overdue(today=None, queryset=None):
    """(due, overdue): assessments not yet submitted, by due date; those past it are overdue."""
    today = today or local_today()
    open_ = (queryset if queryset is not None else Assessment.objects.all()).filter(status__in=ANSWERING)
    open_ = open_.select_related("organisation", "issue__version__template").order_by("issue__due_date", "pk")
    return open_.filter(issue__due_date__gte=today), open_.filter(issue__due_date__lt=today)


@dataclass(frozen=True)
class AssessmentItem:
    """A self-assessment that needs someone's attention (an item of "needs attention")."""

    assessment: Assessment
    tag: str
    colour: str
    due: object
    message: str

    @property
    def title(self):
        return str(self.assessment)

    @property
    def url(self):
        return self.assessment.get_absolute_url()

    @property
    def reference(self):
        return self.assessment.organisation.name


def _acts_on(user):
    """Who acts on self-assessments: the keepers (who review) and partner contributors (who answer)."""
    return grant(user, "review", Assessment) is not None or sees_as_partner(user)


def overdue_rows(user, today):
    """Assessments past their due date and not yet submitted: for the keepers every one, for a
    partner contributor their organisation's."""
    if not _acts_on(user):
        return Assessment.objects.none()
    _, overdue = due_and_overdue(today, scope(user, "view", Assessment.objects.all()))
    return overdue.annotate(attention_due=F("issue__due_date"))


def overdue_item(a, today):
    return AssessmentItem(a, "Self-assessment overdue", "red", a.issue.due_date, f"Was due on {day(a.issue.due_date)}.")


def to_review_rows(user, today):
    """Submitted assessments awaiting the keepers' review, from the day they were submitted."""
    if grant(user, "review", Assessment) is None:
        return Assessment.objects.none()
    waiting = scope(user, "view", Assessment.objects.filter(status__in=AWAITING_REVIEW))
    return waiting.select_related("organisation", "issue__version__template").annotate(attention_due=F("submitted_on"))


def to_review_item(a, today):
    return AssessmentItem(
        a, "Self-assessment to review", "yellow", a.submitted_on, f"Submitted on {day(a.submitted_on)}."
    )


def overdue_action_rows(user, today):
    """Open actions that followed "not met" findings, past their due date: the keepers' and the
    organisation's own."""
    if not _acts_on(user):
        return AssessmentAction.objects.none()
    actions = scope(user, "view", AssessmentAction.objects.filter(status=ActionStatus.OPEN, due_date__lt=today))
    return actions.select_related("assessment__organisation").annotate(attention_due=F("due_date"))


@dataclass(frozen=True)
class ActionItem:
    action: AssessmentAction
    tag: str = "Assessment action overdue"
    colour: str = "red"

    @property
    def title(self):
        return str(self.action)

    @property
    def url(self):
        return self.action.get_absolute_url()

    @property
    def reference(self):
        return self.action.assessment.organisation.name

    @property
    def due(self):
        return self.action.due_date

    @property
    def message(self):
        return f"Due on {day(self.action.due_date)}; owner {self.action.owner}."


def overdue_action_item(action, today):
    return ActionItem(action)


def organisation_assessments(user, organisation):
    """The organisation page's assessments the user may see, newest first. One query."""
    return list(
        scope(user, "view", Assessment.objects.filter(organisation=organisation))
        .select_related("issue__version__template")
        .order_by("-issue__issued_on", "-pk")[:20]
    )

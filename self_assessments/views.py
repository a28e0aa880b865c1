"""The self-assessment pages: the list of assessments (with exports), an assessment's page, the
contributor's answering page and evidence uploads, the coordinator's review page, issuing, and the
questionnaires' versions. Rights are checked on the server for every request
(``core.permissions``): a partner contributor reaches only their own organisation's assessments
(404 for any other)."""

import datetime

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.views import View

from core import markup, stale, versions
from core import views as generic
from core.dates import day, typed_day, typed_form
from core.documents import size_text
from core.models import AuditEntry
from core.nhs_number import contains_nhs_number
from core.permissions import get_visible_or_404, grant, permitted, require
from core.views_documents import DocumentDownloadView, store_upload
from organisations.models import Organisation
from partnerships.models import PartnerRole, Partnership
from self_assessments import selectors, services
from self_assessments.filters import AssessmentFilter
from self_assessments.forms import ActionForm, EvidenceForm, IssueForm, QuestionForm, SectionForm
from self_assessments.models import (
    Answer,
    AnswerType,
    Assessment,
    AssessmentAction,
    Evidence,
    Finding,
    Issue,
    Question,
    Section,
    TemplateVersion,
)


def _status_tag(a):
    return markup.tag(a.get_status_display(), f"nhsuk-tag--{a.status_colour}")


class AssessmentListView(generic.ObjectListView):
    model = Assessment
    filterset_class = AssessmentFilter
    template_name = "self_assessments/assessment_list.html"
    default_sort = "due_date"
    partners = True  # a partner contributor's list of their organisation's assessments
    columns = (
        generic.Column(
            "organisation",
            "Organisation",
            sort="organisation__name",
            value=lambda a: a.organisation.name,
            html=lambda a: markup.link(a.get_absolute_url(), a.organisation.name),
            partners=True,
        ),
        generic.Column(
            "questionnaire",
            "Questionnaire",
            value=lambda a: str(a.issue.version),
            html=lambda a: str(a.issue.version),
            partners=True,
        ),
        generic.Column(
            "due_date",
            "Due",
            sort="issue__due_date",
            value=lambda a: a.issue.due_date,
            html=lambda a: day(a.issue.due_date),
            partners=True,
        ),
        generic.Column(
            "status", "Status", sort="status", value=lambda a: a.get_status_display(), html=_status_tag, partners=True
        ),
        generic.Column(
            "score",
            "Score (%)",
            sort="score",
            value=lambda a: a.score,
            html=lambda a: "" if a.score is None else f"{a.score}%",
            partners=True,
        ),
    )

    def get_queryset(self):
        return Assessment.objects.select_related("organisation", "issue__version__template")

    def get_extra_context(self):
        return {"can_issue": permitted(self.request.user, "add", Issue)}


class AssessmentMixin(generic.ObjectMixin):
    model = Assessment

    def get_queryset(self):
        return Assessment.objects.select_related("organisation", "issue__version__template")


class AssessmentDetailView(AssessmentMixin, generic.ObjectDetailView):
    template_name = "self_assessments/assessment_detail.html"

    def get_context_data(self):
        context = super().get_context_data()
        a, user = self.object, self.request.user
        answers = selectors.answers_of(a)
        return {
            **context,
            "sections": selectors.sections(answers),
            "missing": services.missing(a) if a.is_answerable() else [],
            "actions": list(a.actions.select_related("question")),
            "can_answer": a.is_answerable() and permitted(user, "answer", a),
            "can_review": a.awaits_review() and permitted(user, "review", a),
            "can_mark": permitted(user, "change", AssessmentAction),
            "overdue": a.is_overdue(),
        }


def _typed(data, name):
    """What was typed into ``name``, to show again after a refusal: never an NHS number."""
    value = data.get(name, "")
    return "" if contains_nhs_number(value) else value


def _shown_answer(question, value):
    """A stored answer as its box shows it for typing over (a date as 30/03/2022)."""
    if question.answer_type == AnswerType.DATE and value:
        return typed_form(datetime.date.fromisoformat(value))
    return value


def _answer_rows(sections, data=None):
    """Each question with what the form shows for it (the typed value after a refused POST)."""
    rows = []
    for section, items in sections:
        shown = []
        for row in items:
            a = row.answer
            value = _shown_answer(a.question, a.value) if data is None else _typed(data, f"answer-{a.question_id}")
            comment = a.comment if data is None else _typed(data, f"comment-{a.question_id}")
            shown.append((row, value, comment))
        rows.append((section, shown))
    return rows


def _answer_text(question, pair):
    """[answer, comment] as the person reads it, for the table of what changed meanwhile."""
    value, comment = pair
    if not value:
        text = stale.NOT_RECORDED
    elif question.answer_type == AnswerType.DATE:
        text = day(datetime.date.fromisoformat(value))
    elif question.answer_type in (AnswerType.YES_NO_PARTLY, AnswerType.CHOICE):
        text = dict(question.choices()).get(value, value)
    else:
        text = value
    return f"{text}. Comment: {comment}" if comment else text


def _finding_text(question, pair):
    """[finding, note] as the reviewer reads it, for the table of what changed meanwhile."""
    finding, note = pair
    text = Finding(finding).label if finding else "Not reviewed"
    return f"{text}. Note: {note}" if note else text


class ManyAnswersPage(AssessmentMixin, View):
    """A page that writes many answers of one assessment at once (the answers, or the findings).

    It carries a signed token of the rows it showed (``core.versions``); a save writes only the
    rows the user changed, and is refused, nothing written, when somebody else changed one of those
    rows meanwhile: the page then shows what changed (who saved; then, now and the user's own:
    ``core.stale``) and the form again with the user's values, so that saving again applies them."""

    page = None  # "answers" or "findings"
    fields = ()  # the POST names of a row's two values, each followed by "-" and the question id

    def shown_pairs(self, answers):
        """{question id (text): [value, value]} of ``answers`` as stored (what a save compares)."""
        raise NotImplementedError

    def boxes(self, question, pair):
        """A row's stored pair as the form's boxes show it."""
        return pair

    def describe(self, question, pair):
        raise NotImplementedError

    def token(self, answers):
        return versions.make_token(services.page_key(self.object, self.page), self.shown_pairs(answers))

    def opened(self):
        token = self.request.POST.get(versions.VERSION_FIELD)
        return versions.read_token(services.page_key(self.object, self.page), token)

    def stale_report(self, change, opened):
        """``core.stale``'s report of a refused save, and the form's values to show again: the
        user's own where they changed a row, the current ones where somebody else did."""
        questions = Question.objects.in_bulk([int(k) for k in change.conflicts])
        changes = []
        for key, (was, now, mine) in change.conflicts.items():
            q = questions[int(key)]
            then = stale.NOT_KNOWN if was is None else self.describe(q, was)
            changes.append(stale.Change(q.text, then, self.describe(q, now), self.describe(q, mine)))
        report = stale.StaleSave("self-assessment", opened_at=opened and opened.at, changes=changes)
        if opened:
            entries = AuditEntry.objects.filter(
                object_type=ContentType.objects.get_for_model(Answer),
                object_id__in=Answer.objects.filter(assessment_id=self.object.pk).values("pk"),
            )
            report.saves = stale.saved_since(entries, opened.at)
        data = self.request.POST.copy()
        moved = Answer.objects.filter(assessment_id=self.object.pk, question_id__in=[int(k) for k in change.moved])
        for answer in moved.select_related("question"):
            pair = self.shown_pairs([answer])[str(answer.question_id)]
            for name, value in zip(self.fields, self.boxes(answer.question, pair), strict=True):
                data[f"{name}-{answer.question_id}"] = value
        return report, data


class AnswerView(ManyAnswersPage):
    """The organisation's answers: save and come back, or submit (refused while anything required is
    missing), or save and go on to upload evidence for one answer (nothing typed is lost)."""

    template_name = "self_assessments/answer_form.html"
    page = "answers"
    fields = ("answer", "comment")

    def shown_pairs(self, answers):
        return {str(a.question_id): [a.value, a.comment] for a in answers}

    def boxes(self, question, pair):
        return [_shown_answer(question, pair[0]), pair[1]]

    def describe(self, question, pair):
        return _answer_text(question, pair)

    def check(self):
        require(self.request.user, "answer", self.object)

    def render(self, data=None, errors=None, status=200, missing=None, stale=None):
        a = self.object
        answers = selectors.answers_of(a)
        context = {
            "object": a,
            "rows": _answer_rows(selectors.sections(answers), data),
            "errors": errors or {},
            "stale": stale,
            "record_version": self.token(answers),
            "missing": missing if missing is not None else services.missing(a),
            "refusal": None if a.is_answerable() else f"This self-assessment is {a.get_status_display().lower()}.",
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk):
        self.check()
        return self.render()

    def post(self, request, pk):
        self.check()
        a = self.object
        if not a.is_answerable():
            return self.render(status=400)
        questions = {q.pk: q for q in Question.objects.filter(section__version_id=a.issue.version_id)}
        values, comments = {}, {}
        for qid, q in questions.items():
            if f"answer-{qid}" in request.POST and q.answer_type != AnswerType.FILE:
                values[qid] = request.POST[f"answer-{qid}"]
            if f"comment-{qid}" in request.POST:
                comments[qid] = request.POST[f"comment-{qid}"]
        opened = self.opened()
        try:
            services.save_answers(a, values, comments, opened=opened and opened.values)
        except versions.ChangedMeanwhile as change:
            report, data = self.stale_report(change, opened)
            return self.render(data, stale=report, status=409 if opened else 428)
        except ValidationError as error:
            errors = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
            return self.render(request.POST, errors={k: " ".join(v) for k, v in errors.items()}, status=400)
        evidence_for = request.POST.get("evidence", "")
        if evidence_for.isdigit() and int(evidence_for) in questions:
            answer = Answer.objects.get(assessment=a, question_id=int(evidence_for))
            return redirect("self_assessments:evidence_add", answer.pk)
        if "submit" not in request.POST:
            messages.success(request, "Answers saved. You can come back to them until you submit.")
            return redirect(a.get_absolute_url())
        try:
            services.submit(a)
        except ValidationError as error:
            return self.render(
                missing=services.missing(a),
                status=400,
                errors={"__all__": "Not submitted: " + " ".join(error.messages)},
            )
        messages.success(request, "Self-assessment submitted to the trust for review.")
        return redirect(a.get_absolute_url())


class EvidenceAddView(View):
    """Upload a file as evidence for one answer: the next version of that answer's evidence."""

    template_name = "self_assessments/evidence_form.html"
    form_class = EvidenceForm

    @cached_property
    def answer(self):
        if grant(self.request.user, "view", Answer) is None:
            raise PermissionDenied
        queryset = Answer.objects.select_related("assessment__organisation", "assessment__issue", "question__section")
        return get_visible_or_404(self.request.user, queryset, pk=self.kwargs["pk"])

    def check(self):
        require(self.request.user, "add", Evidence)
        require(self.request.user, "answer", self.answer.assessment)

    def render(self, form, status=200):
        refusal = None
        if not self.answer.assessment.is_answerable():
            refusal = "Evidence is added while the self-assessment is being answered only."
        documents = self.answer.documents.select_related("uploaded_by").order_by("-version")
        context = {"form": form, "answer": self.answer, "documents": documents, "refusal": refusal}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk):
        self.check()
        return self.render(EvidenceForm(user=request.user))

    def post(self, request, pk):
        self.check()
        if not self.answer.assessment.is_answerable():
            return self.render(None, status=400)
        form = EvidenceForm(request.POST, request.FILES, instance=Evidence(answer=self.answer), user=request.user)
        document = store_upload(form, request.user)
        if document is None:
            return self.render(form, status=400)
        messages.success(
            request,
            f"Evidence added: {document.original_name} (version {document.version}, {size_text(document.size)}).",
        )
        answer_page = reverse("self_assessments:answer", args=[self.answer.assessment_id])
        return redirect(f"{answer_page}#question-{self.answer.question_id}")


class EvidenceDownloadView(DocumentDownloadView):
    model = Evidence


class ReviewView(ManyAnswersPage):
    """The coordinator's review: each answer beside last round's, a finding per question, then
    return with a comment or accept."""

    template_name = "self_assessments/review.html"
    page = "findings"
    fields = ("finding", "note")

    def shown_pairs(self, answers):
        return {str(a.question_id): [a.finding, a.finding_note] for a in answers}

    def describe(self, question, pair):
        return _finding_text(question, pair)

    def check(self):
        require(self.request.user, "review", self.object)

    def render(self, data=None, errors=None, status=200, stale=None):
        a = self.object
        previous = selectors.previous_assessment(a)
        answers = selectors.answers_of(a)
        sections = selectors.sections(answers, selectors.previous_answers(previous))
        rows = []
        for section, items in sections:
            shown = []
            for row in items:
                qid = row.answer.question_id
                finding = row.answer.finding if data is None else _typed(data, f"finding-{qid}")
                note = row.answer.finding_note if data is None else _typed(data, f"note-{qid}")
                shown.append((row, finding, note))
            rows.append((section, shown))
        context = {
            "object": a,
            "previous": previous,
            "rows": rows,
            "findings": Finding.choices,
            "errors": errors or {},
            "stale": stale,
            "record_version": self.token(answers),
            "data": {k: _typed(data, k) for k in ("comment", "action_owner", "action_due")} if data else {},
            "score": services.score(row.answer for _, items in sections for row in items),
            "refusal": None
            if a.awaits_review()
            else f"This self-assessment is {a.get_status_display().lower()}: there is nothing to review.",
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk):
        self.check()
        return self.render()

    def post(self, request, pk):
        self.check()
        a, post = self.object, request.POST
        if not a.awaits_review():
            return self.render(status=400)
        qids = list(a.answers.values_list("question_id", flat=True))
        findings = {q: post[f"finding-{q}"] for q in qids if f"finding-{q}" in post}
        notes = {q: post[f"note-{q}"] for q in qids if f"note-{q}" in post}
        step = post.get("step", "save")
        opened = self.opened()
        try:
            with transaction.atomic():
                services.record_findings(a, findings, notes, opened=opened and opened.values)
                if step == "return":
                    services.return_assessment(a, post.get("comment", ""))
                elif step == "accept":
                    services.accept(a, post.get("action_owner", ""), _date(post.get("action_due", ""), "action_due"))
        except versions.ChangedMeanwhile as change:
            report, data = self.stale_report(change, opened)
            return self.render(data, stale=report, status=409 if opened else 428)
        except ValidationError as error:
            errors = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
            return self.render(post, errors={k: " ".join(v) for k, v in errors.items()}, status=400)
        done = {"return": "Returned to the organisation with your comment.", "accept": "Self-assessment accepted."}
        messages.success(request, done.get(step, "Findings saved."))
        return redirect(a.get_absolute_url() if step in done else request.path)


def _date(text, field):
    """A date typed day first (``None`` when blank), or ``ValidationError`` on ``field``."""
    if not text.strip():
        return None
    try:
        return typed_day(text)
    except ValueError:
        raise ValidationError({field: "Enter a real date, day first, for example 30/03/2022."}) from None


def organisations_for(kinds, tiers):
    """Open organisations of ``kinds`` (any kind when empty) that are partners of a partnership of
    ``tiers`` (any partnership, or none, when empty). One query when evaluated."""
    orgs = Organisation.objects.filter(closed_on__isnull=True, is_home_trust=False)
    if kinds:
        orgs = orgs.filter(kind__in=kinds)
    if tiers:
        partnerships = Partnership.objects.with_tier().filter(tier__in=tiers).values("pk")
        orgs = orgs.filter(pk__in=PartnerRole.objects.filter(partnership__in=partnerships).values("organisation_id"))
    return orgs


class IssueView(View):
    """Issue a published questionnaire to organisations (chosen, or found by kind and tier)."""

    template_name = "self_assessments/issue_form.html"
    form_class = IssueForm

    def check(self):
        require(self.request.user, "add", Issue)

    def render(self, form, status=200):
        return render(self.request, self.template_name, {"form": form}, status=status)

    def get(self, request):
        self.check()
        initial = {}
        if request.GET.get("organisation", "").isdigit():
            initial["organisations"] = [int(request.GET["organisation"])]
        return self.render(self.form_class(initial=initial, user=request.user))

    def post(self, request):
        self.check()
        form = self.form_class(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            chosen = {o.pk: o for o in data["organisations"]}
            if data["kinds"] or data["tiers"]:
                chosen.update({o.pk: o for o in organisations_for(data["kinds"], data["tiers"])})
            try:
                _, assessments = services.issue(
                    data["version"], sorted(chosen.values(), key=lambda o: o.name), data["due_date"], request.user
                )
            except ValidationError as error:
                for field, problems in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
            else:
                n = len(assessments)
                messages.success(
                    request, f"Issued to {n} organisation{'s' if n != 1 else ''}, due {day(data['due_date'])}."
                )
                return redirect("self_assessments:list")
        return self.render(form, status=400)


class ActionMarkView(View):
    """Mark a "not met" action done (or open again)."""

    def post(self, request, pk):
        if grant(request.user, "view", AssessmentAction) is None:
            raise PermissionDenied
        action = get_visible_or_404(request.user, AssessmentAction.objects.select_related("assessment"), pk=pk)
        require(request.user, "change", action)
        try:
            services.mark_action(action, request.POST.get("status", ""))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Action updated.")
        return redirect(action.get_absolute_url())


class ActionEditView(generic.ObjectEditView):
    """Change an action that followed a "not met" finding: its wording, owner, due date or status."""

    model = AssessmentAction
    form_class = ActionForm

    def get_queryset(self):
        return AssessmentAction.objects.select_related("assessment__organisation", "assessment__issue")

    def save(self, form):
        return services.save_action(form.save(commit=False))

    def success_url(self, obj):
        return obj.get_absolute_url()

    def cancel_url(self):
        return self.object.get_absolute_url()


# --- questionnaires ----------------------------------------------------------------------------


class VersionListView(generic.ObjectListView):
    model = TemplateVersion
    default_sort = "template"
    export_formats = ()
    columns = (
        generic.Column(
            "template",
            "Questionnaire",
            sort=("template__name", "-number"),
            html=lambda v: markup.link(v.get_absolute_url(), str(v)),
        ),
        generic.Column(
            "published_on",
            "Published",
            sort="published_on",
            html=lambda v: day(v.published_on) if v.published_on else "Draft",
        ),
        generic.Column("question_count", "Questions", sort="question_count", html=lambda v: str(v.question_count)),
        generic.Column("issued_count", "Issued to", sort="issued_count", html=lambda v: str(v.issued_count)),
    )

    def get_queryset(self):
        from django.db.models import OuterRef, Subquery
        from django.db.models.functions import Coalesce

        questions = (
            Question.objects.filter(section__version=OuterRef("pk"))
            .order_by()
            .values("section__version")
            .annotate(n=Count("pk"))
            .values("n")
        )
        issued = (
            Assessment.objects.filter(issue__version=OuterRef("pk"))
            .order_by()
            .values("issue__version")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return TemplateVersion.objects.select_related("template").annotate(
            question_count=Coalesce(Subquery(questions), 0), issued_count=Coalesce(Subquery(issued), 0)
        )


class VersionDetailView(generic.ObjectDetailView):
    model = TemplateVersion
    template_name = "self_assessments/templateversion_detail.html"

    def get_queryset(self):
        return TemplateVersion.objects.select_related("template")

    def get_context_data(self):
        context = super().get_context_data()
        v = self.object
        sections = list(v.sections.prefetch_related("questions"))
        return {
            **context,
            "sections": sections,
            "in_use": v.in_use(),
            "can_manage": permitted(self.request.user, "add", TemplateVersion),
        }


class VersionStepView(View):
    """Publish a version, or make a new version of it (the way to change one in use)."""

    step = None

    def post(self, request, pk):
        if grant(request.user, "view", TemplateVersion) is None:
            raise PermissionDenied
        version = get_visible_or_404(request.user, TemplateVersion.objects.select_related("template"), pk=pk)
        require(request.user, "add", TemplateVersion)
        try:
            if self.step == "publish":
                services.publish(version)
                messages.success(request, f"Published: {version}")
                return redirect(version.get_absolute_url())
            copy = services.new_version(version)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(version.get_absolute_url())
        messages.success(request, f"New version made: {copy}. Change it, then publish it.")
        return redirect(copy.get_absolute_url())


class QuestionnaireEditMixin:
    """An edit page of a version's sections and questions: refused, with the reason, once the
    version has been issued (a change is a new version)."""

    def version(self):
        raise NotImplementedError

    def refusal(self):
        return services.edit_refusal(self.version())

    def success_url(self, obj):
        return obj.get_absolute_url()


class SectionAddView(QuestionnaireEditMixin, generic.ObjectEditView):
    model = Section
    form_class = SectionForm
    parent_model = TemplateVersion
    parent_field = "version"

    def version(self):
        return self.parent

    def save(self, form):
        return services.save_section(form.save(commit=False))


class QuestionEditView(QuestionnaireEditMixin, generic.ObjectEditView):
    """Add a question to a section of a version not yet issued, or change one."""

    model = Question
    form_class = QuestionForm
    parent_model = Section
    parent_field = "section"

    def get_queryset(self):
        return Question.objects.select_related("section__version__template")

    def version(self):
        return (self.parent if self.is_create else self.object.section).version

    def save(self, form):
        return services.save_question(form.save(commit=False))

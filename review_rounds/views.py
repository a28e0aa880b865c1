"""The review round pages, on the generic views of ``core.views``: the rounds, launching one, a
round's page (progress, counts per service area and lead, who has not responded, what changed),
closing it, the review tasks (a list with its .csv/.xlsx export), a task's page and a lead's
response."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from core import markup
from core import views as generic
from core.dates import day
from core.nhs_number import contains_nhs_number
from core.pagination import paginate
from core.permissions import permitted
from review_rounds import selection, selectors, services
from review_rounds.filters import RoundFilter, TaskFilter
from review_rounds.forms import CloseRoundForm, LaunchForm, RespondForm
from review_rounds.models import Outcome, ReviewRound, ReviewTask

NOT_RESPONDED_PAGE = 50


def _person(user):
    return str(user) if user is not None else ""


def _outcome_tag(task):
    tag = markup.tag(task.get_outcome_display(), f"nhsuk-tag--{task.outcome_colour}")
    return markup.joined([tag, markup.tag("Late", "nhsuk-tag--red")]) if task.late else tag


class RoundListView(generic.ObjectListView):
    model = ReviewRound
    filterset_class = RoundFilter
    template_name = "review_rounds/reviewround_list.html"
    default_sort = "-launched_on"
    columns = (
        generic.Column("title", "Round", sort="title", html=lambda r: markup.link(r.get_absolute_url(), r.title)),
        generic.Column(
            "launched_on",
            "Launched",
            sort="launched_on",
            value=lambda r: r.launched_on,
            html=lambda r: day(r.launched_on),
        ),
        generic.Column(
            "deadline", "Deadline", sort="deadline", value=lambda r: r.deadline, html=lambda r: day(r.deadline)
        ),
        generic.Column(
            "scope_description", "Partnerships reviewed", html=lambda r: markup.escaped(r.scope_description)
        ),
        generic.Column("status", "Status", sort="status", html=lambda r: r.get_status_display()),
        generic.Column("task_count", "Tasks", sort="task_count", html=lambda r: str(r.task_count)),
        generic.Column("responded_count", "Responded", sort="responded_count", html=lambda r: str(r.responded_count)),
    )

    def get_queryset(self):
        return ReviewRound.objects.annotate(
            task_count=Count("tasks"), responded_count=Count("tasks", filter=~Q(tasks__outcome=Outcome.PENDING))
        )

    def get_extra_context(self):
        return {"can_launch": permitted(self.request.user, "add", ReviewRound)}


class LaunchView(generic.ObjectEditView):
    """Launch a round: its title, deadline and which partnerships it reviews."""

    model = ReviewRound
    form_class = LaunchForm
    template_name = "review_rounds/launch_form.html"

    def get_form(self, data=None, files=None):
        form = super().get_form(data, files)
        pasted = self.request.GET.get("filter")
        if data is None and pasted and not contains_nhs_number(pasted):  # never shown back
            form.initial.update({"kind": selection.FILTER, "register_filter": pasted})
        return form

    def save(self, form):
        data = form.cleaned_data
        partnerships, description = selection.chosen(
            data["kind"], data.get("tier"), data.get("service_area"), data.get("register_filter", "")
        )
        try:
            return services.launch_round(data["title"], data["deadline"], partnerships, description, self.request.user)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                raise
            raise ValidationError({"kind": error.messages}) from error

    def success_message(self, obj):
        count = obj.tasks.count()
        return f"Review round launched: {obj.title}, {count} partnership{'s' if count != 1 else ''} to review."

    def success_url(self, obj):
        return obj.get_absolute_url()

    def cancel_url(self):
        return reverse("review_rounds:list")


class RoundDetailView(generic.ObjectDetailView):
    model = ReviewRound

    def get_queryset(self):
        return ReviewRound.objects.select_related("launched_by", "closed_by")

    def get_context_data(self):
        context = super().get_context_data()
        review_round = self.object
        total_changed, changed = selectors.what_changed(review_round)
        page = paginate(selectors.not_responded(review_round), self.request.GET.get("page"), NOT_RESPONDED_PAGE)
        return {
            **context,
            "progress": selectors.progress(review_round),
            "by_service_area": selectors.by_service_area(review_round),
            "by_lead": selectors.by_lead(review_round),
            "page": page,
            "query_without_page": "",
            "changed": changed,
            "total_changed": total_changed,
            "can_close": context["can_change"] and not review_round.is_closed,
        }


class CloseRoundView(generic.ObjectMixin, View):
    """Close a round (the register's keepers, once): what is still pending stays so, and later
    responses are kept and marked late. A step (``refusal``, ``get_form``, ``perform``), so the
    API closes a round through it too."""

    model = ReviewRound
    action = "change"
    template_name = "review_rounds/close_round.html"
    form_class = CloseRoundForm

    def refusal(self):
        return services.close_refusal(self.object)

    def get_form(self, data=None):
        return self.form_class(data, user=self.request.user)

    def perform(self, form):
        return services.close_round(self.object, self.request.user)

    def get(self, request, pk):
        self.check()
        context = {"object": self.object, "refusal": self.refusal(), "progress": selectors.progress(self.object)}
        return render(request, self.template_name, context)

    def post(self, request, pk):
        self.check()
        try:
            review_round = self.perform(self.get_form(request.POST))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(self.object.get_absolute_url())
        messages.success(request, f"Review round closed: {review_round.title}")
        return redirect(review_round.get_absolute_url())


class TaskListView(generic.ObjectListView):
    model = ReviewTask
    filterset_class = TaskFilter
    default_sort = "partnership"
    columns = (
        generic.Column(
            "partnership",
            "Partnership",
            sort="partnership__reference",
            value=lambda t: str(t.partnership),
            html=lambda t: markup.link(t.get_absolute_url(), str(t.partnership)),
        ),
        generic.Column(
            "round",
            "Round",
            sort="round__launched_at",
            value=lambda t: t.round.title,
            html=lambda t: markup.escaped(t.round.title),
        ),
        generic.Column(
            "service_area",
            "Service area",
            sort="partnership__service_area__name",
            value=lambda t: t.partnership.service_area.name if t.partnership.service_area else "",
            html=lambda t: markup.escaped(t.partnership.service_area.name if t.partnership.service_area else ""),
        ),
        generic.Column(
            "assignee",
            "Assigned to",
            sort=["assignee__first_name", "assignee__last_name"],
            value=lambda t: _person(t.assignee),
            html=lambda t: markup.escaped(_person(t.assignee)),
        ),
        generic.Column(
            "outcome", "Outcome", sort="outcome", value=lambda t: t.get_outcome_display(), html=_outcome_tag
        ),
        generic.Column(
            "responded_on",
            "Responded",
            sort="responded_on",
            value=lambda t: t.responded_on,
            html=lambda t: day(t.responded_on),
        ),
        generic.Column(
            "responded_by",
            "Responded by",
            value=lambda t: _person(t.responded_by),
            html=lambda t: markup.escaped(_person(t.responded_by)),
        ),
        generic.Column("late", "Late", value=lambda t: "Yes" if t.late else "", html=lambda t: "Yes" if t.late else ""),
        generic.Column(
            "closure_reason",
            "Why it should close",
            value=lambda t: t.closure_reason,
            html=lambda t: markup.escaped(t.closure_reason),
        ),
        generic.Column("note", "Note", value=lambda t: t.note, html=lambda t: markup.escaped(t.note)),
    )

    def get_queryset(self):
        return ReviewTask.objects.select_related("round", "partnership__service_area", "assignee", "responded_by")

    def export_name(self):
        return "review-tasks"


class TaskDetailView(generic.ObjectDetailView):
    model = ReviewTask
    CHANGES_SHOWN = 20

    def get_queryset(self):
        return ReviewTask.objects.select_related(
            "round", "partnership__lead", "partnership__service_area", "assignee", "responded_by"
        )

    def get_context_data(self):
        context = super().get_context_data()
        task = self.object
        changes = list(
            services.changes_since([task.partnership_id], task.round.launched_at, task.round.closed_at)
            .select_related("object_type")
            .order_by("-timestamp", "-pk")[: self.CHANGES_SHOWN]
        )
        return {
            **context,
            "task": task,
            "changes": changes,
            "can_respond": context["can_change"],
            "can_edit_partnership": permitted(self.request.user, "change", task.partnership),
            "overdue": task.is_overdue(),
        }


class RespondView(generic.ObjectEditView):
    """A lead's response to a task: still accurate, or propose closing the partnership."""

    model = ReviewTask
    form_class = RespondForm
    template_name = "review_rounds/respond_form.html"

    def get_queryset(self):
        return ReviewTask.objects.select_related("round", "partnership")

    def save(self, form):
        data = form.cleaned_data
        return services.respond(
            form.save(commit=False),
            data["outcome"],
            self.request.user,
            closure_reason=data.get("closure_reason", ""),
            note=data.get("note", ""),
        )

    def success_message(self, obj):
        late = " (late: the round had closed)" if obj.late else ""
        return f"Response recorded for {obj.partnership}: {obj.get_outcome_display()}{late}"

    def success_url(self, obj):
        return obj.get_absolute_url()

"""The peer review pages, on the generic views of ``core.views``: the list of rounds, a round's
page (its grid, findings and actions), its edit pages and history."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Case, Count, IntegerField, Prefetch, Sum, When
from django.shortcuts import redirect

from core import markup
from core import views as generic
from core.dates import day
from organisations.models import Organisation
from partnerships.models import Partnership
from peer_reviews import selectors, services
from peer_reviews.filters import RoundFilter
from peer_reviews.forms import ActionForm, AreaForm, RatingsForm, RoundForm
from peer_reviews.models import COLOUR, KeyQuestion, Rating, ReviewAction, ReviewArea, ReviewRound


def _rated(rating):
    """How many of a round's cells carry ``rating``: a sum over its areas' five key questions."""
    return Sum(
        sum(
            Case(When(**{f"areas__{q.value}": rating}, then=1), default=0, output_field=IntegerField())
            for q in KeyQuestion
        )
    )


def _ratings_summary(r):
    counts = [(rating, getattr(r, f"rated_{rating.value}") or 0) for rating in Rating]
    return [(rating, n) for rating, n in counts if n]


def _ratings_html(r):
    parts = [markup.tag(f"{rating.label}: {n}", f"nhsuk-tag--{COLOUR[rating]}") for rating, n in _ratings_summary(r)]
    return markup.joined(parts) if parts else "Not rated yet"


def _names(organisations):
    return ", ".join(o.name for o in organisations)


class RoundListView(generic.ObjectListView):
    model = ReviewRound
    filterset_class = RoundFilter
    default_sort = "-start_date"
    columns = (
        generic.Column("title", "Round", sort="title", html=lambda r: markup.link(r.get_absolute_url(), r.title)),
        generic.Column(
            "partnership",
            "Partnership",
            sort="partnership__reference",
            value=lambda r: f"{r.partnership.reference} {r.partnership.title}",
            html=lambda r: f"{r.partnership.reference} {r.partnership.title}",
        ),
        generic.Column(
            "start_date", "Start", sort="start_date", value=lambda r: r.start_date, html=lambda r: day(r.start_date)
        ),
        generic.Column("end_date", "End", sort="end_date", value=lambda r: r.end_date, html=lambda r: day(r.end_date)),
        generic.Column(
            "reviewed_organisations",
            "Reviewed organisations",
            value=lambda r: _names(r.reviewed_organisations.all()),
            html=lambda r: _names(r.reviewed_organisations.all()),
        ),
        generic.Column("area_count", "Operational areas", sort="area_count", html=lambda r: str(r.area_count)),
        generic.Column(
            "ratings",
            "Ratings",
            value=lambda r: "; ".join(f"{rating.label}: {n}" for rating, n in _ratings_summary(r)),
            html=_ratings_html,
        ),
    )

    def get_queryset(self):
        return (
            ReviewRound.objects.select_related("partnership")
            .prefetch_related(Prefetch("reviewed_organisations", queryset=Organisation.objects.order_by("name")))
            .annotate(
                area_count=Count("areas", distinct=True),
                **{f"rated_{rating.value}": _rated(rating) for rating in Rating},
            )
        )


class RoundDetailView(generic.ObjectDetailView):
    model = ReviewRound

    def get_queryset(self):
        return ReviewRound.objects.select_related("partnership").prefetch_related(
            Prefetch("reviewing_organisations", queryset=Organisation.objects.order_by("name")),
            Prefetch("reviewed_organisations", queryset=Organisation.objects.order_by("name")),
        )

    def get_context_data(self):
        context = super().get_context_data()
        review_round = self.object
        previous = selectors.previous_round(review_round)
        rows = selectors.grid(review_round, previous)
        actions = ReviewAction.objects.filter(area__round=review_round).select_related("area", "owner")
        return {
            **context,
            "previous": previous,
            "rows": rows,
            "counts": selectors.change_counts(rows) if previous else None,
            "actions": list(actions),
            "key_questions": list(KeyQuestion),
            "can_add_area": generic.permitted_child(self.request.user, "add", ReviewArea, review_round),
        }


class SavedToItsPage:
    """An edit page that goes to the saved record's own page (the round, or its place in it)."""

    def success_url(self, obj):
        return obj.get_absolute_url()


class AreaMixin:
    model = ReviewArea

    def get_queryset(self):
        return ReviewArea.objects.select_related("round")


class RoundEditView(SavedToItsPage, generic.ObjectEditView):
    """Add a round to a partnership (its five default areas with it) or change one."""

    model = ReviewRound
    form_class = RoundForm
    parent_model = Partnership
    parent_field = "partnership"

    def get_queryset(self):
        return ReviewRound.objects.select_related("partnership")

    def save(self, form):
        data = form.cleaned_data
        return services.save_round(
            form.save(commit=False), data["reviewing_organisations"], data["reviewed_organisations"]
        )

    def cancel_url(self):
        return self.parent.get_absolute_url() if self.is_create else self.object.get_absolute_url()


class RoundHistoryView(generic.ObjectHistoryView):
    model = ReviewRound


class AreaEditView(AreaMixin, SavedToItsPage, generic.ObjectEditView):
    """Add an operational area to a round, or rename one."""

    form_class = AreaForm
    parent_model = ReviewRound
    parent_field = "round"

    def save(self, form):
        area = form.save(commit=False)
        return services.add_area(area) if self.is_create else services.save_area(area)


class AreaRatingsView(AreaMixin, generic.ObjectEditView):
    """One page to rate all five key questions of an area, with their findings."""

    form_class = RatingsForm
    template_name = "peer_reviews/ratings_form.html"

    def save(self, form):
        return services.save_area(form.save(commit=False))

    def success_message(self, obj):
        return f"Ratings saved: {obj.name}"


class AreaRemoveView(AreaMixin, generic.ObjectDeleteView):
    """Take out of a round an area it will not review (never rated, no actions)."""

    def refusal(self):
        return services.remove_area_refusal(self.object)

    def after_delete_url(self):
        return self.object.round.get_absolute_url()

    def post(self, request, **kwargs):
        self.check()
        area, url = self.object, self.after_delete_url()
        try:
            services.remove_area(area)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(area.get_absolute_url())
        messages.success(request, f"Operational area removed from the round: {area.name}")
        return redirect(url)


class ActionEditView(SavedToItsPage, generic.ObjectEditView):
    """Add an action following a finding of an area, or change one (its status: done)."""

    model = ReviewAction
    form_class = ActionForm
    parent_model = ReviewArea
    parent_field = "area"

    def get_queryset(self):
        return ReviewAction.objects.select_related("area__round")

    def save(self, form):
        return services.save_action(form.save(commit=False))

    def cancel_url(self):
        return self.parent.get_absolute_url()

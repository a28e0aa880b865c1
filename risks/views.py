"""The risk pages: thin subclasses of the generic views in ``core.views``.

Every page reads the matrix in force once (``Scoring.for_request``); scores, bands and escalation
on lists come from SQL built from it, and on one risk's page from the same rules in Python.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.views import View

from core import views as generic
from core.dates import day, local_today
from core.exports import export_response
from core.models import TierThresholds
from core.permissions import permitted, require
from partnerships.models import Partnership
from risks import charts, forms, selectors, services
from risks.filters import EscalatedFilter, HeatmapFilter, RiskFilter
from risks.models import NoSignificantRisk, Risk, RiskAction, RiskDomain, RiskMatrix, RiskStatus
from risks.scoring import CONSEQUENCE_DOMAINS, Scoring


class ScoringMixin:
    @cached_property
    def scoring(self):
        return Scoring.for_request(self.request)


# --- lists ----------------------------------------------------------------------------------------

EXPORT_HEADERS = [
    "Partnership reference",
    "Partnership",
    "Domain",
    "Risk",
    "Description",
    "Risk owner",
    "Existing controls",
    "Inherent likelihood",
    "Inherent consequence",
    "Inherent score",
    "Current likelihood",
    "Current consequence",
    "Current score",
    "Current band",
    "Escalated",
    "Target likelihood",
    "Target consequence",
    "Target score",
    "Treatment",
    "Next review",
    "BAF risk theme",
    "Status",
]


def export_row(r):
    return [
        r.partnership.reference,
        r.partnership.title,
        r.get_domain_display(),
        r.title,
        r.description,
        r.owner,
        r.existing_controls,
        r.inherent_likelihood,
        r.inherent_consequence,
        r.inherent_score,
        r.current_likelihood,
        r.current_consequence,
        r.current_score,
        r.current_band,
        bool(r.escalated and r.status == RiskStatus.OPEN),
        r.target_likelihood,
        r.target_consequence,
        r.target_score,
        r.get_treatment_display().split(":")[0],
        r.review_date,
        str(r.baf_theme) if r.baf_theme_id else "",
        r.get_status_display(),
    ]


PARTNERSHIP_CELL = "risks/includes/partnership_cell.html"
TITLE_CELL = "risks/includes/title_cell.html"
SCORE_CELL = "risks/includes/score_cell.html"
REVIEW_CELL = "risks/includes/review_cell.html"


class RiskListView(ScoringMixin, generic.ObjectListView):
    model = Risk
    filterset_class = RiskFilter
    template_name = "risks/risk_list.html"
    default_sort = "-current_score"
    export_name = "risks"
    columns = (
        generic.Column(
            "partnership",
            "Partnership",
            sort=["partnership__reference"],
            value=lambda r: r.partnership.reference,
            template=PARTNERSHIP_CELL,
        ),
        generic.Column("title", "Risk", sort="title", template=TITLE_CELL),
        generic.Column("domain", "Domain", sort="domain"),
        generic.Column("current_score", "Current score", sort=["current_score", "inherent_score"], template=SCORE_CELL),
        generic.Column("target_score", "Target", sort="target_score", template="risks/includes/target_cell.html"),
        generic.Column("owner", "Owner", sort="owner"),
        generic.Column("review_date", "Next review", sort="review_date", template=REVIEW_CELL),
        generic.Column("status", "Status", sort="status", template="risks/includes/status_cell.html"),
    )

    def get_queryset(self):
        return selectors.risk_list(self.scoring)

    def export_headers_and_rows(self, queryset):
        return EXPORT_HEADERS, (export_row(r) for r in queryset.iterator(chunk_size=2000))

    def export(self, fmt, queryset):
        if fmt not in self.export_formats:
            raise Http404("Unknown export format.")
        headers, rows = self.export_headers_and_rows(queryset)
        return export_response(fmt, self.export_name, headers, rows)

    def get_extra_context(self):
        return {"scoring": self.scoring, "today": local_today()}


class EscalatedListView(RiskListView):
    """Every open risk at or above the escalation threshold: the corporate risk register's feed."""

    filterset_class = EscalatedFilter
    template_name = "risks/escalated_list.html"
    export_name = "escalated-risks"
    columns = (
        generic.Column("current_score", "Current score", sort=["current_score", "inherent_score"], template=SCORE_CELL),
        generic.Column("title", "Risk", sort="title", template=TITLE_CELL),
        generic.Column(
            "partnership",
            "Partnership",
            sort=["partnership__reference"],
            value=lambda r: r.partnership.reference,
            template=PARTNERSHIP_CELL,
        ),
        generic.Column("domain", "Domain", sort="domain"),
        generic.Column(
            "baf_theme", "BAF risk theme", sort="baf_theme__name", template="risks/includes/baf_theme_cell.html"
        ),
        generic.Column("owner", "Owner", sort="owner"),
        generic.Column("review_date", "Next review", sort="review_date", template=REVIEW_CELL),
    )

    def get_queryset(self):
        return selectors.escalated_risks(self.scoring)


# --- the heatmap ----------------------------------------------------------------------------------


class HeatmapView(ScoringMixin, View):
    """Open risks across the register by current position: an SVG and the same counts as a table."""

    template_name = "risks/heatmap.html"
    export_formats = ("svg", "csv", "xlsx")

    def get(self, request):
        require(request.user, "view", Risk)
        filterset = HeatmapFilter(request.GET or None, Risk.objects.all(), request=request)
        risks = Risk.objects.all()
        if filterset.is_bound:
            risks = filterset.qs if filterset.is_valid() else risks.none()
        filters = (
            {k: filterset.form.cleaned_data.get(k) for k in ("partnership", "domain")} if filterset.is_bound else {}
        )
        filters = {k: v for k, v in filters.items() if v}
        counts = selectors.heatmap_counts(risks)
        grid = charts.matrix(self.scoring, counts=counts, link=charts.cell_link(filters))
        fmt = request.GET.get("export")
        if fmt:
            return self.export(fmt, grid)
        context = {
            "filterset": filterset,
            "grid": grid,
            "svg": charts.render_matrix_svg(grid),
            "scoring": self.scoring,
            "filters": filters,
            "domain_label": dict(RiskDomain.choices).get(filters.get("domain")),
            "query_for_export": generic.ObjectListView.query_string(request, exclude=("export",)),
            "escalated_url": reverse("risks:escalated"),
        }
        return render(request, self.template_name, context)

    def export(self, fmt, grid):
        if fmt not in self.export_formats:
            raise Http404("Unknown export format.")
        if fmt == "svg":
            response = HttpResponse(charts.render_matrix_svg(grid, standalone=True), content_type="image/svg+xml")
            response["Content-Disposition"] = 'attachment; filename="risk-heatmap.svg"'
            return response
        headers = ["Likelihood", "Consequence", "Score", "Band", "Open risks"]
        rows = (
            [
                str(self.scoring.likelihood[c.likelihood - 1]),
                str(self.scoring.consequence[c.consequence - 1]),
                c.score,
                c.band.name if c.band else "",
                c.count,
            ]
            for c in grid.cells
        )
        return export_response(fmt, "risk-heatmap", headers, rows)


# --- a partnership's risk profile --------------------------------------------------------------


def profile_queryset(scoring, thresholds=None):
    return selectors.with_risk_profile(
        Partnership.objects.with_tier(thresholds).select_related("lead"), scoring=scoring, thresholds=thresholds
    ).prefetch_related(selectors.open_risks_prefetch(scoring), selectors.assessments_prefetch())


class ProfileView(ScoringMixin, generic.ObjectDetailView):
    """One partnership's risk profile: the six domains, each with its heatmap, and the open risks."""

    model = Partnership
    template_name = "risks/profile.html"

    def get_queryset(self):
        return profile_queryset(self.scoring, TierThresholds.current())

    def check(self):
        require(self.request.user, "view", Risk)
        super().check()

    def get_context_data(self):
        profile = selectors.profile_of(self.object, self.request.user, self.scoring)
        base = {"partnership": self.object.reference}
        domains = []
        for state in profile.domains:
            counts = {}
            for risk in state.risks:
                key = (risk.current_likelihood, risk.current_consequence)
                counts[key] = counts.get(key, 0) + 1
            grid = charts.matrix(
                self.scoring,
                counts=counts,
                link=charts.cell_link({**base, "domain": state.key}),
                compact=True,
                title=state.label,
            )
            domains.append((state, grid, charts.render_matrix_svg(grid)))
        counts = {}
        for risk in profile.open_risks:
            key = (risk.current_likelihood, risk.current_consequence)
            counts[key] = counts.get(key, 0) + 1
        grid = charts.matrix(self.scoring, counts=counts, link=charts.cell_link(base))
        return {
            "view": self,
            "object": self.object,
            "partnership": self.object,
            "profile": profile,
            "domains": domains,
            "grid": grid,
            "svg": charts.render_matrix_svg(grid),
            "scoring": self.scoring,
        }


# --- one risk -------------------------------------------------------------------------------------


class RiskDetailView(ScoringMixin, generic.ObjectDetailView):
    model = Risk

    def get_queryset(self):
        return Risk.objects.select_related("partnership", "baf_theme")

    def get_context_data(self):
        risk = self.object
        user = self.request.user
        positions = risk.positions(self.scoring)
        current = positions[1]
        grid = charts.matrix(self.scoring, markers=charts.position_markers(positions))
        points = charts.score_history(risk)
        may_change = selectors.may_change_risks(user, risk.partnership)
        return {
            "view": self,
            "object": risk,
            "risk": risk,
            "partnership": risk.partnership,
            "positions": positions,
            "current": current,
            "escalated": risk.is_open and self.scoring.is_escalated(current.score),
            "scoring": self.scoring,
            "grid": grid,
            "svg": charts.render_matrix_svg(grid),
            "points": points,
            "chart": charts.score_chart(points, self.scoring) if points else None,
            "actions": list(risk.actions.all()),
            "today": local_today(),
            "can_change": may_change and risk.is_open,
            "can_close": may_change and risk.is_open and permitted(user, "close", Risk),
            "can_change_actions": may_change and risk.is_open,
        }


CLOSED_REFUSAL = "This risk was closed on {closed_on}: it stays in the history as it was, and cannot be changed."


class RiskEditView(ScoringMixin, generic.ObjectEditView):
    """Add a risk to a partnership's profile, or edit an open one."""

    model = Risk
    form_class = forms.RiskForm
    parent_model = Partnership
    parent_field = "partnership"
    template_name = "risks/risk_form.html"
    consequence_domains = CONSEQUENCE_DOMAINS

    def get_queryset(self):
        return Risk.objects.select_related("partnership", "baf_theme")

    def refusal(self):
        if not self.is_create and not self.object.is_open:
            return CLOSED_REFUSAL.format(closed_on=day(self.object.closed_on))
        return None

    def get_form(self, data=None, files=None):
        instance = self.object if not self.is_create else Risk(partnership=self.parent)
        initial = {}
        if self.is_create and self.request.GET.get("domain") in RiskDomain.values:
            initial["domain"] = self.request.GET["domain"]
        return self.form_class(
            data=data, instance=instance, user=self.request.user, matrix_scoring=self.scoring, initial=initial
        )

    def save(self, form):
        risk = form.save(commit=False)
        self.withdrawn = services.save_risk(risk)  # "no significant risk" in its domain is withdrawn
        return risk

    def success_message(self, obj):
        message = super().success_message(obj)
        current = self.scoring.score(obj.current_likelihood, obj.current_consequence)
        if self.scoring.is_escalated(current):
            message += f". Its current score of {current} is escalated to the corporate risk register."
        if getattr(self, "withdrawn", None):
            message += f". “No significant risk” in {self.withdrawn[0]} was withdrawn: the domain now has a risk."
        return message

    def success_url(self, obj):
        return obj.get_absolute_url()

    def cancel_url(self):
        return self.parent.get_absolute_url() if self.is_create else self.object.get_absolute_url()


class RiskCloseView(ScoringMixin, generic.ObjectEditView):
    model = Risk
    form_class = forms.CloseRiskForm
    action = "close"
    template_name = "risks/risk_close.html"

    def get_queryset(self):
        return Risk.objects.select_related("partnership")

    def check(self):
        require(self.request.user, "close", self.object)

    def refusal(self):
        if not self.object.is_open:
            return CLOSED_REFUSAL.format(closed_on=day(self.object.closed_on))
        return None

    def success_message(self, obj):
        return f"Risk closed: {obj}. It stays in the partnership's history."


class RiskHistoryView(generic.ObjectHistoryView):
    model = Risk


# --- further actions ----------------------------------------------------------------------------


def actions_refusal(risk):
    if not risk.is_open:
        return CLOSED_REFUSAL.format(closed_on=day(risk.closed_on))
    return None


class RiskActionEditView(generic.ObjectEditView):
    model = RiskAction
    form_class = forms.RiskActionForm
    parent_model = Risk
    parent_field = "risk"

    def get_queryset(self):
        return RiskAction.objects.select_related("risk")

    def refusal(self):
        return actions_refusal(self.parent)

    def success_url(self, obj):
        return obj.get_absolute_url()

    def cancel_url(self):
        return f"{self.parent.get_absolute_url()}#actions"


class RiskActionDeleteView(generic.ObjectDeleteView):
    model = RiskAction

    def get_queryset(self):
        return RiskAction.objects.select_related("risk")

    def refusal(self):
        return actions_refusal(self.object.risk)

    def after_delete_url(self):
        return f"{self.object.risk.get_absolute_url()}#actions"


# --- "no significant risk" in a domain --------------------------------------------------------


class NoSignificantRiskView(generic.ObjectEditView):
    """Record that a domain of a partnership holds no significant risk (it then counts as assessed)."""

    model = NoSignificantRisk
    form_class = forms.NoSignificantRiskForm
    parent_model = Partnership
    parent_field = "partnership"
    template_name = "risks/no_significant_risk_form.html"

    @cached_property
    def domain(self):
        domain = self.kwargs["domain"]
        if domain not in RiskDomain.values:
            raise Http404("No such domain.")
        return domain

    @property
    def domain_label(self):
        return RiskDomain(self.domain).label

    def check(self):
        self.domain  # noqa: B018 - an unknown domain is a 404 before anything else
        super().check()

    def refusal(self):
        return services.no_significant_risk_refusal(self.parent, self.domain)

    def get_form(self, data=None, files=None):
        instance = NoSignificantRisk(partnership=self.parent, domain=self.domain)
        return self.form_class(data=data, instance=instance, user=self.request.user)

    def save(self, form):
        return services.record_no_significant_risk(form.save(commit=False), user=self.request.user)

    def success_message(self, obj):
        return f"Recorded: no significant risk in {obj.get_domain_display()}."

    def success_url(self, obj):
        return reverse("risks:profile", args=[obj.partnership_id])

    def cancel_url(self):
        return reverse("risks:profile", args=[self.parent.pk])


class NoSignificantRiskWithdrawView(generic.ObjectDeleteView):
    model = NoSignificantRisk
    template_name = "risks/no_significant_risk_withdraw.html"

    def get_queryset(self):
        return NoSignificantRisk.objects.select_related("partnership", "assessed_by")

    def after_delete_url(self):
        return reverse("risks:profile", args=[self.object.partnership_id])

    def post(self, request, **kwargs):
        self.check()
        domain, url = self.object.get_domain_display(), self.after_delete_url()
        with transaction.atomic():
            self.object.delete()
        messages.success(request, f"“No significant risk” in {domain} withdrawn: the domain is no longer assessed.")
        return redirect(url)


# --- the matrix (administration) ----------------------------------------------------------------


class RiskMatrixEditView(generic.ObjectEditView):
    """The single row of the matrix. Bands and escalation are computed from it, so a change applies
    to every risk at once, with no data changed."""

    model = RiskMatrix
    form_class = forms.RiskMatrixForm
    template_name = "risks/matrix_form.html"
    is_create = False
    consequence_domains = CONSEQUENCE_DOMAINS

    @cached_property
    def object(self):
        if not permitted(self.request.user, "view", RiskMatrix):
            raise PermissionDenied
        return RiskMatrix.current()

    def check(self):
        require(self.request.user, "change", RiskMatrix)

    def get_form(self, data=None, files=None):
        return self.form_class(data=data, instance=self.object, user=self.request.user)

    def success_message(self, obj):
        return "Risk matrix saved. Every risk's band and escalation now follow it."

    def success_url(self, obj):
        return reverse("risks:matrix")

    def cancel_url(self):
        return reverse("core:administration")


class RiskMatrixHistoryView(generic.ObjectHistoryView):
    model = RiskMatrix

    @cached_property
    def object(self):
        require(self.request.user, "view", RiskMatrix)
        return RiskMatrix.current()

"""The register's pages: thin subclasses of the generic views in ``core.views``."""

from django.db.models import Prefetch
from django.urls import reverse

from accounts.models import Role
from agreements.models import Agreement
from agreements.selectors import needs_attention, with_commencement
from assurance.models import IGDocument, IGItem
from assurance.selectors import partnership_ig
from core import views as generic
from core.exports import export_response
from core.models import AuditEntry, TierThresholds
from partnerships import forms
from partnerships.filters import RegisterFilter
from partnerships.models import Headline, PartnerRole, Partnership
from partnerships.spreadsheet import REGISTER_HEADERS, register_rows
from risks.scoring import Scoring
from risks.selectors import PROFILE_LABELS, attach_risk_profiles, highest_score_sort_sql, load_profile

RECENT_CHANGES = 10
ATTENTION_SHOWN = 10  # items on the register's "needs attention" panel; the agreements list has the rest


def _money(obj):
    if obj.annual_value is None:
        return "Not known"
    prefix = {"approximate": "c. ", "up_to": "up to "}.get(obj.value_qualifier, "")
    return f"{prefix}£{obj.annual_value:,.0f}"


def register_queryset():
    return (
        Partnership.objects.with_tier()
        .alias(risk_highest_sort=highest_score_sort_sql())  # for sorting; shown columns: rows()
        .select_related("lead", "service_area")
        .prefetch_related(Prefetch("partner_roles", queryset=PartnerRole.objects.select_related("organisation")))
    )


class PartnershipListView(generic.ObjectListView):
    model = Partnership
    filterset_class = RegisterFilter
    template_name = "partnerships/partnership_list.html"
    results_template_name = "partnerships/includes/register_results.html"
    add_url_name = "partnerships:add"
    default_sort = "reference"
    choose_columns = True
    columns = (
        generic.Column("reference", "Reference", sort="reference"),
        generic.Column("title", "Title", sort="title", template="partnerships/includes/title_cell.html"),
        generic.Column(
            "partners",
            "Partners",
            value=lambda p: "; ".join(r.organisation.name for r in p.partner_roles.all()),
            template="partnerships/includes/partners_cell.html",
        ),
        generic.Column("arrangement_type", "Type of arrangement", sort="arrangement_type", shown=False),
        generic.Column("status", "Status", sort="status", template="partnerships/includes/status_cell.html"),
        generic.Column("tier", "Tier", sort=["tier", "-annual_value"], template="partnerships/includes/tier_cell.html"),
        generic.Column(
            "annual_value",
            "Annual value",
            sort="annual_value",
            value=_money,
            template="partnerships/includes/value_cell.html",
        ),
        generic.Column("lead", "Lead", sort=["lead__first_name", "lead__last_name"]),
        generic.Column(
            "next_review_date",
            "Next review",
            sort="next_review_date",
            template="partnerships/includes/review_cell.html",
            shown=False,
        ),
        generic.Column(
            "risk_profile_status",
            "Risk profile",
            value=lambda p: PROFILE_LABELS.get(p.risk_profile_status, ""),
            template="risks/includes/register_profile_cell.html",
        ),
        generic.Column(
            "risk_highest_score",
            "Highest current score",
            sort="risk_highest_sort",
            template="risks/includes/register_score_cell.html",
            shown=False,
        ),
    )

    def get_queryset(self):
        return register_queryset()

    def filter_defaults(self):
        """A lead's register opens on "My partnerships"; "All partnerships" is one choice away."""
        return {"partnerships": "mine"} if self.request.user.role == Role.LEAD else {}

    def rows(self, objects):
        """The page's rows with their risk profile columns: one query for the page (risks.selectors)."""
        return super().rows(attach_risk_profiles(objects, Scoring.for_request(self.request)))

    def get_extra_context(self):
        """The "needs attention" panel: expiring agreements and overdue milestones (two queries)."""
        attention = needs_attention(self.request.user)
        return {"attention": attention[:ATTENTION_SHOWN], "attention_more": max(0, len(attention) - ATTENTION_SHOWN)}

    def export_headers_and_rows(self, queryset):
        """Exports use the register layout, so a downloaded file imports back unchanged."""
        return REGISTER_HEADERS, register_rows(queryset)

    def export(self, fmt, queryset):
        if fmt not in self.export_formats:
            return super().export(fmt, queryset)
        headers, rows = self.export_headers_and_rows(queryset)
        return export_response(fmt, "partnership-register", headers, rows)


class PartnershipDetailView(generic.ObjectDetailView):
    model = Partnership

    def get_queryset(self):
        return (
            Partnership.objects.with_tier()
            .select_related("lead", "executive_sponsor", "service_area", "status_changed_by")
            .prefetch_related(
                Prefetch("partner_roles", queryset=PartnerRole.objects.select_related("organisation")),
                "strategic_objectives",
                "baf_themes",
                "delegates",
                Prefetch("headlines", queryset=Headline.objects.select_related("author")),
                Prefetch("agreements", queryset=with_commencement(Agreement.objects.order_by("title", "version"))),
                "ig_items",
                Prefetch("ig_items__documents", queryset=IGDocument.objects.order_by("-version")),
            )
        )

    def get_context_data(self):
        context = super().get_context_data()
        user = self.request.user
        context.update(
            recent_changes=AuditEntry.objects.for_object(self.object).select_related("object_type")[:RECENT_CHANGES],
            thresholds=TierThresholds.current(),
            can_close=generic.permitted(user, "close", self.object) and self.object.status != "closed",
            can_edit_children=generic.permitted(user, "change", self.object),
            can_add_agreement=generic.permitted_child(user, "add", Agreement, self.object),
            risk_profile=load_profile(self.object, user, Scoring.for_request(self.request)),
            ig=partnership_ig(self.object),
            can_record_ig=generic.permitted_child(user, "change", IGItem, self.object),
            can_view_ig_documents=generic.permitted_child(user, "view", IGDocument, self.object),
        )
        return context


class PartnershipEditView(generic.ObjectEditView):
    model = Partnership
    form_class = forms.PartnershipForm
    template_name = "partnerships/partnership_form.html"


class PartnershipCloseView(generic.ObjectEditView):
    model = Partnership
    form_class = forms.ClosePartnershipForm
    action = "close"
    template_name = "partnerships/partnership_close.html"

    def check(self):
        generic.require(self.request.user, "close", self.object)

    def success_message(self, obj):
        return f"Partnership closed: {obj}"


class PartnershipDeleteView(generic.ObjectDeleteView):
    model = Partnership

    def after_delete_url(self):
        return reverse("partnerships:list")


class PartnershipHistoryView(generic.ObjectHistoryView):
    model = Partnership


class PartnerRoleEditView(generic.ObjectEditView):
    model = PartnerRole
    form_class = forms.PartnerRoleForm
    parent_model = Partnership
    parent_field = "partnership"


class PartnerRoleDeleteView(generic.ObjectDeleteView):
    model = PartnerRole

    def after_delete_url(self):
        return self.object.partnership.get_absolute_url()


class HeadlineEditView(PartnerRoleEditView):
    model = Headline
    form_class = forms.HeadlineForm

    def save(self, form):
        if self.is_create:
            form.instance.author = self.request.user
        return form.save()


class HeadlineDeleteView(PartnerRoleDeleteView):
    model = Headline

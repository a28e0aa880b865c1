"""The register's pages: thin subclasses of the generic views in ``core.views``."""

from django.db.models import Prefetch
from django.urls import reverse

from core import views as generic
from core.models import AuditEntry, TierThresholds
from core.roles import Role, sees_as_partner
from partnerships import display, forms
from partnerships.filters import RegisterFilter
from partnerships.models import Headline, PartnerRole, Partnership
from partnerships.selectors import leads_to_confirm, why_to_confirm
from partnerships.spreadsheet import REGISTER_HEADERS, register_rows

RECENT_CHANGES = 10


def register_queryset():
    return (
        Partnership.objects.with_tier()
        .select_related("lead")
        .prefetch_related(Prefetch("partner_roles", queryset=PartnerRole.objects.select_related("organisation")))
    )


class PartnershipListView(generic.ObjectListView):
    model = Partnership
    filterset_class = RegisterFilter
    template_name = "partnerships/partnership_list.html"
    results_template_name = "partnerships/includes/register_results.html"
    add_url_name = "partnerships:add"
    partners = True  # a partner contributor's register: their organisation's partnerships
    default_sort = "reference"
    choose_columns = True
    columns = (
        generic.Column("reference", "Reference", sort="reference", html=display.reference, partners=True),
        generic.Column("title", "Title", sort="title", html=display.title, partners=True),
        generic.Column("partners", "Partners", value=display.partner_names, html=display.partners, partners=True),
        generic.Column(
            "arrangement_type",
            "Type of arrangement",
            sort="arrangement_type",
            html=lambda p: p.get_arrangement_type_display(),
            shown=False,
        ),
        generic.Column("status", "Status", sort="status", html=display.status_tag, partners=True),
        generic.Column("tier", "Tier", sort=["tier", "-annual_value"], html=display.tier_tag),
        generic.Column("annual_value", "Annual value", sort="annual_value", value=display.money, html=display.value),
        generic.Column("lead", "Lead", sort=["lead__first_name", "lead__last_name"], html=display.lead, partners=True),
        generic.Column(
            "next_review_date", "Next review", sort="next_review_date", html=display.next_review, shown=False
        ),
    )

    def get_queryset(self):
        return register_queryset()

    def filter_defaults(self):
        """A lead's register opens on "My partnerships"; "All partnerships" is one choice away."""
        return {"partnerships": "mine"} if self.request.user.role == Role.LEAD else {}

    def get_extra_context(self):
        return {"partner": sees_as_partner(self.request.user)}

    def export_headers_and_rows(self, queryset):
        """Exports use the register layout, so a downloaded file imports back unchanged; a
        partner contributor's holds only the columns they see on the page."""
        if sees_as_partner(self.request.user):
            return super().export_headers_and_rows(queryset)
        return REGISTER_HEADERS, register_rows(queryset)

    def export_name(self):
        return "partnership-register"


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
            )
        )

    def get_context_data(self):
        context = super().get_context_data()
        user = self.request.user
        context.update(
            recent_changes=AuditEntry.objects.for_object(self.object).select_related("object_type")[:RECENT_CHANGES],
            thresholds=TierThresholds.current(),
            can_close=generic.permitted(user, "close", self.object) and self.object.status != "closed",
            can_confirm_lead=generic.permitted(user, "confirm_lead", self.object),
            can_edit_children=generic.permitted(user, "change", self.object),
            status_tag=display.status_tag(self.object),
            tier_tag=display.tier_tag(self.object),
        )
        return context

    def get_template_names(self):
        """A partner contributor gets the partners' page: what the partnership is, who is in it,
        the trust's lead and the panels for partners; nothing of the trust's own record."""
        if sees_as_partner(self.request.user):
            return ["partnerships/partnership_for_partners.html"]
        return super().get_template_names()


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


class LeadsToConfirmView(generic.ObjectListView):
    """Partnerships whose lead, as the register records it, is not (or no longer) linked to its user."""

    model = Partnership
    template_name = "partnerships/leads_to_confirm.html"
    default_sort = "reference"
    export_formats = ()
    columns = (
        generic.Column("reference", "Reference", sort="reference"),
        generic.Column("title", "Partnership", sort="title"),
        generic.Column("recorded_lead", "Lead as recorded", sort=["recorded_lead", "reference"]),
        generic.Column(
            "lead",
            "Linked user",
            sort=["lead__first_name", "lead__last_name", "reference"],
            value=lambda p: str(p.lead) if p.lead else "None",
        ),
        generic.Column("why", "Why it is listed", value=why_to_confirm),
        generic.Column("confirm", "Action", template="partnerships/includes/confirm_lead_cell.html"),
    )

    def get(self, request):
        generic.require(request.user, "confirm_lead", Partnership)
        return super().get(request)

    def get_queryset(self):
        return leads_to_confirm(Partnership.objects.select_related("lead"))


class ConfirmLeadView(generic.ObjectEditView):
    """The coordinator links the user a recorded lead names (an audited edit of the partnership)."""

    model = Partnership
    form_class = forms.ConfirmLeadForm
    template_name = "partnerships/confirm_lead.html"

    def check(self):
        generic.require(self.request.user, "confirm_lead", self.object)

    def success_message(self, obj):
        return f"Lead confirmed: {obj.lead} leads {obj}."

    def success_url(self, obj):
        return reverse("partnerships:leads_to_confirm")

    def cancel_url(self):
        return reverse("partnerships:leads_to_confirm")

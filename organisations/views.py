from django.db.models import Count
from django.urls import reverse

from core import views as generic
from organisations.filters import OrganisationFilter
from organisations.forms import OrganisationForm
from organisations.models import Organisation
from partnerships.models import PartnerRole


class OrganisationListView(generic.ObjectListView):
    model = Organisation
    filterset_class = OrganisationFilter
    add_url_name = "organisations:add"
    default_sort = "name"
    columns = (
        generic.Column("name", "Name", sort="name"),
        generic.Column("kind", "Kind", sort="kind"),
        generic.Column("ods_code", "ODS code", sort="ods_code"),
        generic.Column("dspt_status", "DSPT status", sort=["dspt_status", "dspt_year"], value=lambda o: o.dspt_text),
        generic.Column("partnership_count", "Partnerships", sort="partnership_count"),
        generic.Column("closed_on", "Closed on", sort="closed_on"),
    )

    def get_queryset(self):
        return Organisation.objects.annotate(partnership_count=Count("partner_roles"))


class OrganisationDetailView(generic.ObjectDetailView):
    model = Organisation

    def get_context_data(self):
        context = super().get_context_data()
        context["roles"] = (
            PartnerRole.objects.filter(organisation=self.object)
            .select_related("partnership")
            .order_by("partnership__reference")
        )
        return context


class OrganisationEditView(generic.ObjectEditView):
    model = Organisation
    form_class = OrganisationForm


class OrganisationDeleteView(generic.ObjectDeleteView):
    model = Organisation

    def after_delete_url(self):
        return reverse("organisations:list")


class OrganisationHistoryView(generic.ObjectHistoryView):
    model = Organisation

from django.urls import reverse

from core import views as generic
from organisations.filters import OrganisationFilter
from organisations.forms import OrganisationForm
from organisations.models import Organisation


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
        generic.Column("closed_on", "Closed on", sort="closed_on"),
    )


class OrganisationDetailView(generic.ObjectDetailView):
    model = Organisation


class OrganisationEditView(generic.ObjectEditView):
    model = Organisation
    form_class = OrganisationForm


class OrganisationDeleteView(generic.ObjectDeleteView):
    model = Organisation

    def after_delete_url(self):
        return reverse("organisations:list")


class OrganisationHistoryView(generic.ObjectHistoryView):
    model = Organisation

from core import views as generic
from partnerships.models import Partnership
from tests.scratch_app.forms import VisitForm
from tests.scratch_app.models import Visit


class VisitListView(generic.ObjectListView):
    model = Visit
    default_sort = "-visited_on"
    columns = (
        generic.Column("visited_on", "Date of the visit", sort="visited_on"),
        generic.Column("partnership", "Partnership", value=lambda v: v.partnership.reference),
        generic.Column("note", "Note"),
    )

    def get_queryset(self):
        return Visit.objects.select_related("partnership")


class VisitAddView(generic.ObjectEditView):
    model = Visit
    form_class = VisitForm
    parent_model = Partnership
    parent_field = "partnership"

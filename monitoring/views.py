from agreements.models import Indicator
from core import views as generic
from core.roles import sees_as_partner
from core.views import permitted_child
from monitoring import charts, forms, periods, rules, selectors
from monitoring.filters import IndicatorValueFilter
from monitoring.models import IndicatorValue, Measure

PARTNERSHIP = "measure__indicator__agreement__partnership"


def _partnership(value):
    return value.measure.indicator.agreement.partnership.reference


def _rating(value):
    return rules.LABELS.get(rules.rag(value.value, value.measure.target, value.measure.direction), "")


class IndicatorValueListView(generic.ObjectListView):
    """Every recorded value of the indicators the user may see; the indicator page links to its
    own values here, and to their download."""

    model = IndicatorValue
    filterset_class = IndicatorValueFilter
    default_sort = "indicator"
    columns = (
        generic.Column(
            "indicator",
            "Indicator",
            sort=["measure__indicator__measure", "measure", "period_start"],
            value=lambda v: str(v.measure),
        ),
        generic.Column(
            "partnership",
            "Partnership",
            sort=[f"{PARTNERSHIP}__reference", "measure", "period_start"],
            value=_partnership,
        ),
        generic.Column(
            "period_start",
            "Period",
            sort=["period_start", "measure"],
            value=lambda v: periods.period_name(v.period_start, v.measure.frequency),
        ),
        generic.Column("value", "Value", sort=["value", "period_start"], html=lambda v: charts.figure_text(v.value)),
        generic.Column("unit", "Unit", value=lambda v: v.measure.get_unit_display()),
        generic.Column(
            "target", "Target", value=lambda v: v.measure.target, html=lambda v: charts.figure_text(v.measure.target)
        ),
        generic.Column("rating", "RAG rating", value=_rating),
        generic.Column("note", "Note", shown=False),
    )

    def get_queryset(self):
        return IndicatorValue.objects.select_related(f"{PARTNERSHIP}", "measure__indicator")

    def export_name(self):
        return "indicator-values"


class MeasureDetailView(generic.ObjectDetailView):
    """The indicator page: its measurable form, the trend chart and every value, rated."""

    model = Measure
    template_name = "monitoring/measure_detail.html"

    def get_queryset(self):
        return Measure.objects.select_related("indicator__agreement__partnership")

    def get_context_data(self):
        measure = self.object
        readings = selectors.measure_readings(measure)
        return {
            **super().get_context_data(),
            "measure": measure,
            "indicator": measure.indicator,
            "agreement": measure.indicator.agreement,
            "partnership": measure.indicator.agreement.partnership,
            "readings": readings,
            "latest": readings[-1] if readings else None,
            "chart": charts.trend_chart(readings, measure),
            "can_record": permitted_child(self.request.user, "add", IndicatorValue, measure),
            "can_correct": permitted_child(self.request.user, "change", IndicatorValue, measure),
            # A partner contributor (who reaches only measures shared with partners) sees the
            # values and their ratings, never the trust's notes, the agreement or the values list.
            "partner": sees_as_partner(self.request.user),
        }


class MeasureEditView(generic.ObjectEditView):
    """Give an agreement's indicator its measurable form, or change it."""

    model = Measure
    form_class = forms.MeasureForm
    parent_model = Indicator
    parent_field = "indicator"
    template_name = "monitoring/measure_form.html"

    def get_queryset(self):
        return Measure.objects.select_related("indicator__agreement__partnership")

    def refusal(self):
        if self.is_create and Measure.objects.filter(indicator=self.parent).exists():
            return "This indicator already has its measurable form: change it from the indicator's page."
        return None

    def success_url(self, obj):
        return obj.get_absolute_url()

    def cancel_url(self):
        return self.parent.get_absolute_url() if self.is_create else self.object.get_absolute_url()


class IndicatorValueEditView(generic.ObjectEditView):
    """Record a period's value of an indicator, or correct one."""

    model = IndicatorValue
    form_class = forms.IndicatorValueForm
    parent_model = Measure
    parent_field = "measure"
    template_name = "monitoring/value_form.html"

    def get_queryset(self):
        return IndicatorValue.objects.select_related("measure__indicator__agreement__partnership")

    def get_form(self, data=None, files=None):
        form = super().get_form(data, files)
        if sees_as_partner(self.request.user):
            del form.fields["note"]  # a value's note is the trust's
        return form

    def success_message(self, obj):
        verb = "recorded" if self.is_create else "saved"
        return f"Value {verb}: {obj}"

    def success_url(self, obj):
        return obj.get_absolute_url()

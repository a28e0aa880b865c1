"""Contract monitoring in the API (``core.api``): an indicator's measurable form and its values,
served through the monitoring pages' own views, so their rules (one value a period, a frequency
fixed once values are recorded) and messages are the API's. A value is corrected, never deleted.

The indicators themselves (what is measured, how often, the target in words) are an agreement's:
``agreements.api`` serves them.
"""

from core import registry

from . import views
from .models import IndicatorValue, Measure


def register():
    registry.api(
        "measures",
        Measure,
        edit_view=views.MeasureEditView,
        fields=("indicator", "unit", "direction", "target", "national_target", "frequency", "shared_with_partners"),
        parent="indicator",
    )
    registry.api(
        "indicator-values",
        IndicatorValue,
        list_view=views.IndicatorValueListView,
        edit_view=views.IndicatorValueEditView,
        fields=("measure", "period_start", "period_end", "value", "note", "recorded_by"),
        parent="measure",
    )

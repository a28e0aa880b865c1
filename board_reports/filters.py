"""The board reports' filter: what each report is for."""

import django_filters

from board_reports.models import BoardReport, Purpose
from core.forms import FilterForm


class ReportFilter(django_filters.FilterSet):
    purpose = django_filters.ChoiceFilter(label="For", choices=Purpose.choices, empty_label="Any purpose")

    class Meta:
        model = BoardReport
        fields = []
        form = FilterForm

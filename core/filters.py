import copy

import django_filters
from django.contrib.contenttypes.models import ContentType

from core import audit, registry
from core.forms import FilterForm
from core.models import AuditEntry
from core.roles import sees_as_partner


class ExtensibleFilterSet(django_filters.FilterSet):
    """A list's filters, plus those other apps add to it (``core.registry.list_filter``).

    A registered filter names a callable as its ``method`` (a FilterSet's own methods are out of
    reach of the app that adds it); it is copied for each request, like the declared ones.

    A partner contributor is offered only the filters that reveal nothing internal: the declared
    ones named in ``partner_filters`` and the registered ones that say ``partners=True``.
    """

    partner_filters = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        partner = sees_as_partner(getattr(self.request, "user", None))
        if partner:
            self.filters = {name: f for name, f in self.filters.items() if name in self.partner_filters}
        for extension in registry.filters_for(self._meta.model):
            if partner and not extension.partners:
                continue
            added = copy.deepcopy(extension.filter)
            added.parent = self
            self.filters[extension.name] = added


class AuditFilterForm(FilterForm):
    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end of the period must be the same as or after its start.")
        return data


def audited_types(request=None):
    ids = [ContentType.objects.get_for_model(m).pk for m in audit.registered_models()]
    return ContentType.objects.filter(pk__in=ids).order_by("model")


class AuditFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Record",
        field_name="object_label",
        lookup_expr="icontains",
        help_text="Part of the record's name, for example a reference.",
    )
    user_name = django_filters.CharFilter(label="Changed by", lookup_expr="icontains")
    object_type = django_filters.ModelChoiceFilter(
        label="Kind of record", queryset=audited_types, empty_label="Any kind"
    )
    action = django_filters.ChoiceFilter(choices=AuditEntry.Action.choices, empty_label="Any change")
    date_from = django_filters.DateFilter(label="From", field_name="timestamp", lookup_expr="date__gte")
    date_to = django_filters.DateFilter(label="To", field_name="timestamp", lookup_expr="date__lte")

    class Meta:
        model = AuditEntry
        fields = []
        form = AuditFilterForm

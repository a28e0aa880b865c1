import django_filters
from django.db.models import Q

from accounts.models import User
from core.forms import FilterForm
from core.roles import Role


class UserFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="search", help_text="Name, username or e-mail address.")
    role = django_filters.ChoiceFilter(choices=Role.choices, empty_label="Any role")
    status = django_filters.ChoiceFilter(
        label="Status",
        choices=[("active", "Active"), ("inactive", "Inactive")],
        empty_label="Active or inactive",
        method="by_status",
    )

    class Meta:
        model = User
        fields = []
        form = FilterForm

    def search(self, queryset, name, value):
        """Every word must match a name, the username or the e-mail address ("anne clarke" finds Anne Clarke)."""
        for word in value.split():
            queryset = queryset.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(username__icontains=word)
                | Q(email__icontains=word)
            )
        return queryset

    def by_status(self, queryset, name, value):
        return queryset.filter(is_active=value == "active")

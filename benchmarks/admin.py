"""The partnership list as a competent team would build it with the Django admin: the baseline.

Same columns as Accord's register, the same page size, filters on status and arrangement type,
a text search over reference, title, purpose and partner names, and the usual optimisations
(``list_select_related``, partners prefetched, tier annotated in SQL) so the comparison is fair.
"""

from django.conf import settings
from django.contrib import admin
from django.db.models import Prefetch

from partnerships.models import PartnerRole, Partnership


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = (
        "reference",
        "title",
        "partners",
        "arrangement_type",
        "status",
        "tier",
        "annual_value",
        "lead",
        "next_review_date",
    )
    list_filter = ("status", "arrangement_type")
    search_fields = ("reference", "title", "purpose", "partner_roles__organisation__name")
    ordering = ("reference",)
    list_select_related = ("lead",)
    list_per_page = settings.REGISTER_PAGE_SIZE

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .with_tier()
            .prefetch_related(Prefetch("partner_roles", queryset=PartnerRole.objects.select_related("organisation")))
        )

    @admin.display(description="Partners")
    def partners(self, obj):
        return "; ".join(r.organisation.name for r in obj.partner_roles.all())

    @admin.display(description="Tier", ordering="tier")
    def tier(self, obj):
        return obj.tier

"""The register's spreadsheet layout, shared by the export (page and command) and the import.

One row per partnership with every register field. Money is a plain number (empty when
unknown) with its qualifier in a column of its own; dates are ISO dates; lists are joined with
"; ". ``import_register`` reads this layout back unchanged, so a round trip is a no-op. Tier is
written for the reader's benefit and ignored on import: it is always derived.
"""

from django.db.models import Prefetch

from partnerships.models import PartnerRole

REGISTER_COLUMNS = [
    ("reference", "Reference"),
    ("title", "Partnership name"),
    ("partners", "Partner organisations"),
    ("arrangement_type", "Type of arrangement"),
    ("trust_role", "Trust role"),
    ("status", "Status"),
    ("tier", "Tier"),
    ("annual_value", "Annual value (£)"),
    ("value_qualifier", "Value qualifier"),
    ("start_date", "Start date"),
    ("end_date", "End date"),
    ("next_review_date", "Next review date"),
    ("lead", "Lead"),
    ("executive_sponsor", "Executive sponsor"),
    ("service_area", "Service area"),
    ("strategic_objectives", "Strategic objectives"),
    ("material_contribution", "Material contribution to strategic objectives"),
    ("baf_themes", "BAF risk themes"),
    ("data_sharing", "Data sharing"),
    ("standard_signed_on", "Partnership Standard signed"),
    ("purpose", "Purpose"),
    ("notes", "Notes"),
]
REGISTER_HEADERS = [label for _, label in REGISTER_COLUMNS]
# The fields an import can fill, in register order, with the export's header as their name.
# Tier is not among them: it is always derived.
IMPORT_FIELDS = [(key, label) for key, label in REGISTER_COLUMNS if key != "tier"]


def _join(items):
    return "; ".join(str(i) for i in items)


def _register_values(p):
    return {
        "reference": p.reference,
        "title": p.title,
        "partners": _join(r.organisation.name for r in p.partner_roles.all()),
        "arrangement_type": p.get_arrangement_type_display(),
        "trust_role": p.get_trust_role_display() if p.trust_role else "",
        "status": p.get_status_display(),
        "tier": getattr(p, "tier", None) or p.derived_tier(),
        "annual_value": p.annual_value,
        "value_qualifier": p.get_value_qualifier_display() if p.annual_value is not None else "",
        "start_date": p.start_date,
        "end_date": p.end_date,
        "next_review_date": p.next_review_date,
        "lead": str(p.lead) if p.lead else "",
        "executive_sponsor": str(p.executive_sponsor) if p.executive_sponsor else "",
        "service_area": p.service_area.name if p.service_area else "",
        "strategic_objectives": _join(o.name for o in p.strategic_objectives.all()),
        "material_contribution": p.material_contribution,
        "baf_themes": _join(t.name for t in p.baf_themes.all()),
        "data_sharing": p.get_data_sharing_display() if p.data_sharing else "",
        "standard_signed_on": p.standard_signed_on,
        "purpose": p.purpose,
        "notes": p.notes,
    }


def export_queryset(queryset):
    """Everything the layout needs, fetched in a fixed number of queries per chunk."""
    if "tier" not in queryset.query.annotations:
        queryset = queryset.with_tier()
    return (
        queryset.select_related("lead", "executive_sponsor", "service_area")
        .prefetch_related(None)
        .prefetch_related(
            Prefetch("partner_roles", queryset=PartnerRole.objects.select_related("organisation")),
            "strategic_objectives",
            "baf_themes",
        )
    )


def register_rows(queryset, chunk_size=2000):
    for p in export_queryset(queryset).iterator(chunk_size=chunk_size):
        values = _register_values(p)
        yield [values[key] for key, _ in REGISTER_COLUMNS]

"""The register's spreadsheet layout, shared by the export (page and command) and the import.

One row per partnership with every register field. Money is a plain number (empty when
unknown) with its qualifier in a column of its own; dates are ISO dates; lists are joined with
"; ". ``import_register`` reads this layout back unchanged, so a round trip is a no-op. Tier is
written for the reader's benefit and ignored on import: it is always derived.
"""

from itertools import islice

from django.utils.encoding import force_str

from partnerships.models import PartnerRole, Partnership

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
    ("value_note", "Value note"),
    ("start_date", "Start date"),
    ("end_date", "End date"),
    ("next_review_date", "Next review date"),
    ("lead", "Lead"),
    ("recorded_lead", "Lead as recorded"),
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


def _choice_labels(name):
    """A choice field's stored value -> the label the model shows (``get_FOO_display``)."""
    labels = dict(Partnership._meta.get_field(name).flatchoices)
    return lambda value: force_str(labels.get(value, value), strings_only=True)


_ARRANGEMENT_TYPE = _choice_labels("arrangement_type")
_TRUST_ROLE = _choice_labels("trust_role")
_STATUS = _choice_labels("status")
_VALUE_QUALIFIER = _choice_labels("value_qualifier")
_DATA_SHARING = _choice_labels("data_sharing")
_PEOPLE = ("lead", "executive_sponsor")

# One row's own fields, read as plain values: people and the service area through joins, the
# tier from its SQL annotation.
_ROW_FIELDS = (
    "pk",
    "reference",
    "title",
    "arrangement_type",
    "trust_role",
    "status",
    "tier",
    "annual_value",
    "value_qualifier",
    "value_note",
    "start_date",
    "end_date",
    "next_review_date",
    *(f"{person}{part}" for person in _PEOPLE for part in ("", "__first_name", "__last_name", "__username")),
    "recorded_lead",
    "service_area__name",
    "material_contribution",
    "data_sharing",
    "standard_signed_on",
    "purpose",
    "notes",
)


def register_rows(queryset, chunk_size=2000):
    """One list of cell values per partnership of ``queryset``, in its order, in the register layout.

    Reads plain values, not model instances: the rows in chunks of ``chunk_size`` from one
    query, and for each chunk the partners, strategic objectives and BAF themes in one query
    each, so the number of queries does not grow with the rows of a chunk.
    """
    if "tier" not in queryset.query.annotations:
        queryset = queryset.with_tier()
    records = queryset.prefetch_related(None).values(*_ROW_FIELDS).iterator(chunk_size=chunk_size)
    names = _PersonNames()
    while chunk := list(islice(records, chunk_size)):
        pks = [record["pk"] for record in chunk]
        partners = _partner_names(pks)
        objectives = _linked_names("strategic_objectives", pks)
        themes = _linked_names("baf_themes", pks)
        for record in chunk:
            pk, value = record["pk"], record["annual_value"]
            values = {
                "reference": record["reference"],
                "title": record["title"],
                "partners": "; ".join(partners.get(pk, ())),
                "arrangement_type": _ARRANGEMENT_TYPE(record["arrangement_type"]),
                "trust_role": _TRUST_ROLE(record["trust_role"]) if record["trust_role"] else "",
                "status": _STATUS(record["status"]),
                "tier": record["tier"],
                "annual_value": value,
                "value_qualifier": _VALUE_QUALIFIER(record["value_qualifier"]) if value is not None else "",
                "value_note": record["value_note"],
                "start_date": record["start_date"],
                "end_date": record["end_date"],
                "next_review_date": record["next_review_date"],
                "lead": names.of(record, "lead"),
                "recorded_lead": record["recorded_lead"],
                "executive_sponsor": names.of(record, "executive_sponsor"),
                "service_area": record["service_area__name"] or "",
                "strategic_objectives": "; ".join(objectives.get(pk, ())),
                "material_contribution": record["material_contribution"],
                "baf_themes": "; ".join(themes.get(pk, ())),
                "data_sharing": _DATA_SHARING(record["data_sharing"]) if record["data_sharing"] else "",
                "standard_signed_on": record["standard_signed_on"],
                "purpose": record["purpose"],
                "notes": record["notes"],
            }
            yield [values[key] for key, _ in REGISTER_COLUMNS]


class _PersonNames:
    """A person's name as the register shows it (``str(user)``: full name, else username), once per user."""

    def __init__(self):
        self.user_model = Partnership._meta.get_field("lead").related_model
        self.names = {}

    def of(self, record, person):
        pk = record[person]
        if pk is None:
            return ""
        if pk not in self.names:
            parts = {part: record[f"{person}__{part}"] for part in ("first_name", "last_name", "username")}
            self.names[pk] = str(self.user_model(pk=pk, **parts))
        return self.names[pk]


def _group(pairs):
    grouped = {}
    for pk, name in pairs:
        grouped.setdefault(pk, []).append(name)
    return grouped


def _partner_names(pks):
    """{partnership id: its partners' names}, by organisation name."""
    roles = PartnerRole.objects.filter(partnership_id__in=pks).order_by("organisation__name")
    return _group(roles.values_list("partnership_id", "organisation__name"))


def _linked_names(name, pks):
    """{partnership id: the names of its entries of the list ``name``}, in that list's own order."""
    m2m = Partnership._meta.get_field(name)
    own, other = m2m.m2m_field_name(), m2m.m2m_reverse_field_name()
    ordering = [
        f"-{other}__{field[1:]}" if field.startswith("-") else f"{other}__{field}"
        for field in m2m.related_model._meta.ordering
    ]
    links = m2m.remote_field.through.objects.filter(**{f"{own}_id__in": pks}).order_by(*ordering)
    return _group(links.values_list(f"{own}_id", f"{other}__name"))

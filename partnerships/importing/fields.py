"""The register fields an import can fill, grouped by how they are read, compared and written."""

from partnerships.spreadsheet import IMPORT_FIELDS

# Field key -> the export's header for it, which is also what a problem calls the field.
FIELD_LABELS = dict(IMPORT_FIELDS)

# Fields held on the partnership itself, in register order (the reference is the row's key).
SCALAR_FIELDS = [
    "title",
    "arrangement_type",
    "trust_role",
    "status",
    "annual_value",
    "value_qualifier",
    "value_note",
    "start_date",
    "end_date",
    "next_review_date",
    "lead",
    "recorded_lead",
    "executive_sponsor",
    "service_area",
    "material_contribution",
    "data_sharing",
    "standard_signed_on",
    "purpose",
    "notes",
]
FK_FIELDS = {"lead", "executive_sponsor", "service_area"}
M2M_FIELDS = ("strategic_objectives", "baf_themes")
DATE_FIELDS = {"start_date", "end_date", "next_review_date", "standard_signed_on"}
CHOICE_FIELDS = ("arrangement_type", "trust_role", "status", "data_sharing", "value_qualifier")

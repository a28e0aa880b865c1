"""The global audit log: auditors and administrators browse, filter and export every change.

The page names fields by their labels and shows values in the trust's formats; the download
keeps what was recorded, exactly (field names, and before and after as JSON keyed by field
name), for an auditor to check or load elsewhere, and its headings say so. Those recorded
columns can be shown on the page too ("Choose columns").
"""

import json

from django.utils.text import capfirst

from core import views as generic
from core.filters import AuditFilter
from core.models import AuditEntry


def _json(value):
    return json.dumps(value, ensure_ascii=False, sort_keys=True) if value is not None else ""


class AuditLogView(generic.ObjectListView):
    model = AuditEntry
    filterset_class = AuditFilter
    template_name = "core/audit_log.html"
    default_sort = "-timestamp"
    choose_columns = True
    columns = (
        generic.Column("timestamp", "When", sort="timestamp", template="core/includes/audit_when_cell.html"),
        generic.Column("user_name", "Changed by", sort="user_name"),
        generic.Column("action", "Change", sort="action"),
        generic.Column("source", "Through", value=lambda e: e.through(), shown=False),
        generic.Column("object_type", "Kind of record", value=lambda e: capfirst(e.object_type.name)),
        generic.Column("object_label", "Record", sort="object_label"),
        generic.Column("parent_label", "Part of"),
        generic.Column("changes", "Changes", template="core/includes/audit_changes_cell.html", export=False),
        generic.Column(
            "changed_fields",
            "Fields (names as recorded)",
            value=lambda e: ", ".join(e.changed_fields),
            shown=False,
        ),
        generic.Column(
            "before",
            "Before (as recorded, JSON)",
            value=lambda e: _json(e.before),
            template="core/includes/audit_hidden_cell.html",
            shown=False,
        ),
        generic.Column(
            "after",
            "After (as recorded, JSON)",
            value=lambda e: _json(e.after),
            template="core/includes/audit_hidden_cell.html",
            shown=False,
        ),
        generic.Column(
            "request_id",
            "Request ID",
            value=lambda e: str(e.request_id or ""),
            template="core/includes/audit_hidden_cell.html",
            shown=False,
        ),
    )

    def get_queryset(self):
        return AuditEntry.objects.select_related("object_type")

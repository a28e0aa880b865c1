"""The global audit log: auditors and administrators browse, filter and export every change."""

import json

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
    columns = (
        generic.Column("timestamp", "When", sort="timestamp", template="core/includes/audit_when_cell.html"),
        generic.Column("user_name", "Changed by", sort="user_name"),
        generic.Column("action", "Change", sort="action"),
        generic.Column("object_type", "Kind of record", value=lambda e: e.object_type.name),
        generic.Column("object_label", "Record", sort="object_label"),
        generic.Column("parent_label", "Part of"),
        generic.Column("changed_fields", "Fields", value=lambda e: ", ".join(e.changed_fields)),
        generic.Column(
            "before", "Before", value=lambda e: _json(e.before), template="core/includes/audit_hidden_cell.html"
        ),
        generic.Column(
            "after", "After", value=lambda e: _json(e.after), template="core/includes/audit_hidden_cell.html"
        ),
        generic.Column(
            "request_id",
            "Request",
            value=lambda e: str(e.request_id or ""),
            template="core/includes/audit_hidden_cell.html",
        ),
    )

    def get_queryset(self):
        return AuditEntry.objects.select_related("object_type")

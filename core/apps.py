from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Accord core"

    def ready(self):
        from core import audit, registry, views_reference
        from core.permissions import ADMIN_ONLY, ALL, REGISTER_KEEPERS, A, U, rows

        from .models import AuditEntry, BafRiskTheme, ServiceArea, StrategicObjective, TierThresholds

        for model in (StrategicObjective, BafRiskTheme, ServiceArea, TierThresholds):
            audit.register(model)

        reference_lists = ("core.strategicobjective", "core.bafrisktheme", "core.servicearea")
        registry.rights(
            {
                ("core.auditentry", "view"): {A: ALL, U: ALL},
                **rows(reference_lists, ("view", "add", "change", "delete"), ADMIN_ONLY),
                **rows(["core.tierthresholds"], ("view", "change"), ADMIN_ONLY),
                # The register's keepers add a directorate a register they import names; the list
                # itself (its pages: edit, retire, delete) stays the administrator's.
                ("core.servicearea", "add_from_import"): REGISTER_KEEPERS,
            }
        )
        views_reference.register_administration()
        registry.menu_item("Audit log", "core:audit_log", AuditEntry, order=80)
        registry.menu_item("Administration", "core:administration", StrategicObjective, order=90)
        registry.urls(self.label, "", "core.urls")
        registry.urls("api", "api/", "core.api_urls")
        # The audit log, read only, to those who may read it (the log page's own view).
        from core.views_audit import AuditLogView

        registry.api(
            "audit-log",
            AuditEntry,
            list_view=AuditLogView,
            fields=(
                "timestamp",
                "user",
                "user_name",
                "source",
                "token_id",
                "token_name",
                "request_id",
                "action",
                "object_type",
                "object_id",
                "object_label",
                "parent_type",
                "parent_id",
                "parent_label",
                "changed_fields",
                "before",
                "after",
            ),
        )
        registry.test_rows(self.label, "core.tests.rows")

from django.apps import AppConfig


class BoardReportsConfig(AppConfig):
    name = "board_reports"
    verbose_name = "Board reports"

    def ready(self):
        from core import audit, registry
        from core.permissions import OWN, REGISTER_KEEPERS
        from core.roles import Role

        from . import demo, models, panels

        audit.register(models.BoardReport)
        audit.register(
            models.ReportVersion,
            parent="report",
            exclude=("snapshot", "step", "progress"),
            codes=("docx_sha256", "pdf_sha256"),
        )

        # The register's keepers write, generate and issue reports and read every version; everyone
        # else in the trust (leads, executives, board members, auditors) reads the issued
        # reports only (``owned_by``: issued). Partner contributors are named by no right.
        issued_only = {
            **REGISTER_KEEPERS,
            **dict.fromkeys((Role.LEAD, Role.EXECUTIVE, Role.BOARD_MEMBER, Role.AUDITOR), OWN),
        }
        registry.rights(
            {
                ("board_reports.boardreport", "view"): issued_only,
                ("board_reports.boardreport", "add"): REGISTER_KEEPERS,
                ("board_reports.boardreport", "change"): REGISTER_KEEPERS,
                ("board_reports.reportversion", "view"): issued_only,
                ("board_reports.reportversion", "add"): REGISTER_KEEPERS,
            }
        )
        registry.menu_item("Board reports", "board_reports:list", models.BoardReport, order=3)
        registry.panel("reporting.dashboard", "movement", "board_reports/includes/movement.html", panels.movement)
        registry.demo_step("board_reports", demo.demo_step)
        from . import api as api_registration

        api_registration.register()
        registry.urls(self.label, "board-reports/", "board_reports.urls")
        registry.test_rows(self.label, "board_reports.tests.rows")

from django.apps import AppConfig


class ReportingConfig(AppConfig):
    """The coordinator's work queue and each person's "My work", on the "needs attention" items
    every app registers (``core.attention``)."""

    name = "reporting"
    verbose_name = "Reporting"

    def ready(self):
        from core import registry
        from core.permissions import ALL, EVERYONE, REGISTER_KEEPERS
        from core.roles import Role

        from .views import DASHBOARD, WORK

        registry.rights(
            {
                (WORK, "view"): {**EVERYONE, Role.PARTNER_CONTRIBUTOR: ALL},
                (WORK, "view_all"): REGISTER_KEEPERS,
                (DASHBOARD, "view"): EVERYONE,
            }
        )
        registry.menu_item("My work", "reporting:work", WORK, order=1, partners=True)
        registry.menu_item("Dashboard", "reporting:dashboard", DASHBOARD, order=2)
        registry.home("reporting:work", _works_on_the_register, order=10)
        registry.home("reporting:dashboard", _governs, order=20)
        registry.urls(self.label, "work/", "reporting.urls")
        registry.test_rows(self.label, "reporting.tests.rows")


def _works_on_the_register(user):
    """Leads, the register's keepers and partner contributors start on their work (the executive
    and the board on the dashboard, auditors on the register)."""
    from core.roles import Role

    return user.role in (Role.LEAD, Role.COORDINATOR, Role.ADMINISTRATOR, Role.PARTNER_CONTRIBUTOR)


def _governs(user):
    """The executive and the board start on the dashboard."""
    from core.roles import Role

    return user.role in (Role.EXECUTIVE, Role.BOARD_MEMBER)

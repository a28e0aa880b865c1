from django.apps import AppConfig


class RemindersConfig(AppConfig):
    """E-mail reminders of the "needs attention" items (7 days before, on the day, weekly while
    overdue) and a weekly digest, sent by the background worker; each person's choice of them."""

    name = "reminders"
    verbose_name = "E-mail reminders"

    def ready(self):
        from core import audit, registry
        from core.permissions import OWN
        from core.roles import Role

        from . import demo, models, panels

        audit.register(models.ReminderPreference, parent="user")
        audit.register(models.ReminderRun)
        audit.register(models.SentReminder)  # claims are bulk-written (no entry each); the run's entry counts them

        # Everyone, partner contributors too, chooses their own reminders; nobody anyone else's.
        registry.rights({("reminders.reminderpreference", "change"): dict.fromkeys(Role, OWN)})
        registry.menu_item(
            "E-mail reminders",
            "reminders:preferences",
            models.ReminderPreference,
            action="change",
            order=90,
            partners=True,
        )
        registry.panel(
            "accounts.user", "reminders", "reminders/includes/user_reminders.html", panels.user_reminders, order=90
        )
        registry.demo_step("reminders", demo.demo_step)
        registry.urls(self.label, "reminders/", "reminders.urls")
        registry.test_rows(self.label, "reminders.tests.rows")

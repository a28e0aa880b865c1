from django.apps import AppConfig


class ScratchConfig(AppConfig):
    name = "tests.scratch_app"
    label = "scratch"
    verbose_name = "Site visits"

    def ready(self):
        from core import audit, registry
        from core.permissions import EVERYONE, KEEPERS_AND_OWN_LEADS

        from . import panels
        from .models import Visit

        audit.register(Visit, parent="partnership")
        registry.rights({("scratch.visit", "view"): EVERYONE, ("scratch.visit", "add"): KEEPERS_AND_OWN_LEADS})
        registry.menu_item("Site visits", "scratch:list", Visit, order=70)
        registry.panel(
            "partnerships.partnership", "visits", "scratch/partnership_visits.html", panels.partnership_visits
        )
        registry.attention(
            "visit_follow_ups", "Visit follow-ups due", panels.follow_ups, panels.FollowUp, partnership="partnership"
        )
        registry.urls(self.label, "visits/", "tests.scratch_app.urls")
        registry.test_rows(self.label, "tests.scratch_app.tests.rows")

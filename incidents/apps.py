from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = "Incidents"

    def ready(self):
        from django.urls import reverse_lazy

        from core import audit, registry, report_parts
        from core.permissions import EVERYONE, KEEPERS_AND_OWN_LEADS, PARTY, P

        from . import demo, models, panels, report, selectors, synthetic

        audit.register(models.Incident, parent="partnership")

        # Everyone in the trust reads the incidents and their learning (the point is to spread it);
        # the register's keepers record and change any, a partnership's own leads those reported
        # into their partnerships. A partner contributor reads the incidents shared with their
        # organisation (one by one, on their partnership's page: no list, no history) and reports
        # one into a partnership their organisation is a party to; the trust changes it.
        registry.rights(
            {
                ("incidents.incident", "view"): {**EVERYONE, P: PARTY},
                ("incidents.incident", "add"): {**KEEPERS_AND_OWN_LEADS, P: PARTY},
                ("incidents.incident", "change"): KEEPERS_AND_OWN_LEADS,
            }
        )
        registry.menu_item("Incidents", "incidents:list", models.Incident, order=38)
        registry.panel(
            "partnerships.partnership",
            "incidents",
            "incidents/includes/partnership_incidents.html",
            panels.partnership_incidents,
            order=28,
            partners=True,  # to a partner contributor: only the incidents shared with their organisation
        )
        registry.attention(
            "incidents_open",
            "Incidents open over 28 days",
            selectors.open_too_long_rows,
            selectors.open_too_long_item,
            partnership="partnership",
            owner="partnership__lead",
            more=[
                ("the incidents", reverse_lazy("incidents:list")),
                ("the learning digest", reverse_lazy("incidents:learning")),
            ],
        )
        report_parts.register(report, "incidents", "governance", order=60)
        registry.demo_step("incidents", demo.demo_step)
        registry.bench_step("incidents", synthetic.bench_step, arguments=synthetic.BENCH_ARGUMENTS)
        from . import api as api_registration

        api_registration.register()
        registry.urls(self.label, "incidents/", "incidents.urls")
        registry.test_rows(self.label, "incidents.tests.rows")

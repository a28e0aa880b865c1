from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = "Contract monitoring"

    def ready(self):
        from core import audit, registry
        from core.permissions import EVERYONE, KEEPERS_AND_OWN_LEADS, PARTY, P, rows

        from . import api, demo, models, panels, selectors, synthetic

        audit.register(models.Measure, parent="indicator")
        audit.register(models.IndicatorValue, parent="measure")

        # Read like the agreement's indicators (agreements/apps.py: everyone); measured and
        # given values by the register's keepers and the partnership's own leads. A value is
        # corrected, never deleted. A partner contributor reads the measures shared with partners
        # of their organisation's partnerships (each on its page: no list of values) and adds a
        # period's value to one; correcting it is the trust's.
        labels = ["monitoring.measure", "monitoring.indicatorvalue"]
        registry.rights(
            {
                **rows(labels, ["view"], {**EVERYONE, P: PARTY}),
                **rows(labels, ("add", "change"), KEEPERS_AND_OWN_LEADS),
                ("monitoring.indicatorvalue", "add"): {**KEEPERS_AND_OWN_LEADS, P: PARTY},
            }
        )
        api.register()
        registry.panel(
            "partnerships.partnership",
            "indicators",
            "monitoring/includes/partnership_indicators.html",
            panels.partnership_indicators,
            order=15,
        )
        registry.panel(
            "partnerships.partnership",
            "indicators_for_partners",
            "monitoring/includes/partnership_indicators.html",
            panels.indicators_for_partners,
            order=15,
            partners=True,
        )
        registry.attention(
            "indicator_values_overdue",
            "Indicator values overdue",
            selectors.overdue_value_rows,
            selectors.overdue_value_item,
            partnership="indicator__agreement__partnership",
            owner="indicator__agreement__partnership__lead",
        )
        registry.demo_step("monitoring", demo.demo_step)
        registry.bench_step("monitoring", synthetic.bench_step, arguments=synthetic.BENCH_ARGUMENTS)
        registry.urls(self.label, "monitoring/", "monitoring.urls")
        registry.test_rows(self.label, "monitoring.tests.rows")

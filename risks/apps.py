from django.apps import AppConfig


class RisksConfig(AppConfig):
    name = "risks"
    verbose_name = "Risk profiles"

    def ready(self):
        from core import audit, registry
        from core.permissions import ADMIN_ONLY, EVERYONE, KEEPERS_AND_OWN_LEADS, rows
        from core.views import Column

        from . import api, demo, display, filters, highest, models, panels, profile_state, report, selectors, synthetic

        audit.register(models.Risk, parent="partnership")
        audit.register(models.RiskAction, parent="risk")
        audit.register(models.NoSignificantRisk, parent="partnership")
        audit.register(models.RiskMatrix)
        audit.register(models.HighestScore, parent="partnership")
        highest.connect()
        registry.derived_table("Highest current scores", highest.rebuild)
        audit.register(models.ProfileState, parent="partnership")
        profile_state.connect()
        registry.derived_table("Risk profile states", profile_state.rebuild)

        # Everyone reads risk profiles; the register's keepers and a partnership's own leads change
        # its risks, their further actions and its "no significant risk" records. A risk is closed,
        # never deleted (it stays in the history). Only the administrator edits the matrix.
        registry.rights(
            {
                **rows(["risks.risk", "risks.riskaction", "risks.nosignificantrisk"], ["view"], EVERYONE),
                **rows(["risks.risk"], ("add", "change", "close"), KEEPERS_AND_OWN_LEADS),
                **rows(["risks.riskaction"], ("add", "change", "delete"), KEEPERS_AND_OWN_LEADS),
                **rows(["risks.nosignificantrisk"], ("add", "delete"), KEEPERS_AND_OWN_LEADS),
                **rows(["risks.riskmatrix"], ("view", "change"), ADMIN_ONLY),
            }
        )
        registry.menu_item("Risks", "risks:heatmap", models.Risk, order=30)
        api.register()
        registry.administration_card(
            "Risk matrix",
            "risks:matrix",
            "The 5×5 matrix partnership risks are scored on: likelihood and consequence descriptors, "
            "bands and their colours, and the score at which a risk is escalated.",
            models.RiskMatrix,
            order=40,
        )
        registry.panel(
            "partnerships.partnership",
            "risks",
            "risks/includes/partnership_profile.html",
            panels.partnership_risk_profile,
            order=20,
        )
        registry.list_filter("partnerships.partnership", "risk_profile", filters.REGISTER_FILTER, order=30)
        registry.list_column(
            "partnerships.partnership",
            Column(
                "risk_profile_status",
                "Risk profile",
                value=lambda p: selectors.PROFILE_LABELS.get(p.risk_profile_status, ""),
                html=lambda p: display.profile_tag(p.risk_profile_status),
            ),
            attach=panels.register_risk_columns,
            order=10,
        )
        registry.list_column(
            "partnerships.partnership",
            Column(
                "risk_highest_score",
                "Highest current score",
                sort="risk_highest_sort",
                html=display.highest_score,
                shown=False,
            ),
            sort_by=lambda partnerships: partnerships.alias(risk_highest_sort=selectors.highest_score_sort_sql()),
            order=20,
        )
        registry.attention(
            "risk_profiles_incomplete",
            "Risk profiles incomplete",
            selectors.incomplete_profile_rows,
            selectors.incomplete_profile_item,
            partnership="pk",
            owner="lead",
        )
        registry.attention(
            "escalated_without_theme",
            "Escalated risks without a BAF theme",
            selectors.unthemed_escalation_rows,
            selectors.unthemed_escalation_item,
            partnership="partnership",
            owner="partnership__lead",
        )
        registry.report_part(
            "risks",
            "risk",
            report.collect,
            report.write,
            changes=report.changes,
            figures=report.figures,
            summary=report.summary,
        )
        registry.demo_step("risks", demo.demo_step)
        registry.bench_step("risks", synthetic.bench_step, arguments=synthetic.BENCH_ARGUMENTS)
        registry.urls(self.label, "", "risks.urls")
        registry.test_rows(self.label, "risks.tests.rows")

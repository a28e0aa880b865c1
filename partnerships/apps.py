from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = "Partnership register"

    def ready(self):
        from django.urls import reverse_lazy

        from core import audit, registry
        from core.permissions import (
            ADMIN_ONLY,
            EVERYONE,
            EVERYONE_AND_PARTNERS,
            KEEPERS_AND_OWN_LEADS,
            REGISTER_KEEPERS,
            rows,
        )
        from core.views import Column

        from . import api, demo, panels, partner_totals, report, selectors
        from .models import Headline, PartnerRole, Partnership, PartnerTotal, RegisterImport

        audit.register(Partnership)
        audit.register(PartnerRole, parent="partnership")
        audit.register(Headline, parent="partnership")
        audit.register(PartnerTotal, parent="organisation")
        # Who started an import, of which file, and how it ended; never the rows it carries.
        audit.register(RegisterImport, exclude=("rows", "mapping", "step", "progress", "updated_at"))
        partner_totals.connect()
        registry.derived_table("Partner organisations' totals", partner_totals.rebuild)
        registry.rights(
            {
                # A partner contributor: their organisation's partnerships, on the partners' page.
                ("partnerships.partnership", "view"): EVERYONE_AND_PARTNERS,
                ("partnerships.partnership", "add"): REGISTER_KEEPERS,
                ("partnerships.partnership", "change"): KEEPERS_AND_OWN_LEADS,
                ("partnerships.partnership", "close"): REGISTER_KEEPERS,
                ("partnerships.partnership", "delete"): ADMIN_ONLY,
                ("partnerships.partnership", "import"): REGISTER_KEEPERS,
                # Link the user a recorded lead ("Head of Adult Services") names: "Leads to confirm".
                ("partnerships.partnership", "confirm_lead"): REGISTER_KEEPERS,
                **rows(["partnerships.partnerrole", "partnerships.headline"], ["view"], EVERYONE),
                **rows(
                    ["partnerships.partnerrole", "partnerships.headline"],
                    ("add", "change", "delete"),
                    KEEPERS_AND_OWN_LEADS,
                ),
            }
        )
        registry.menu_item("Register", "partnerships:list", Partnership, order=10, partners=True)
        api.register()
        registry.menu_item("Import", "partnerships:import", Partnership, action="import", order=60)
        registry.panel(
            "organisations.organisation",
            "partnerships",
            "partnerships/includes/organisation_partnerships.html",
            panels.organisation_partnerships,
        )
        registry.panel(
            "accounts.user", "partnerships", "partnerships/includes/user_partnerships.html", panels.user_partnerships
        )
        registry.list_column(
            "organisations.organisation",
            Column("partnership_count", "Partnerships", sort="partnership_count"),
            annotate=panels.with_partnership_count,
        )
        registry.attention(
            "reviews_overdue",
            "Partnership reviews overdue",
            selectors.review_overdue_rows,
            selectors.review_overdue_item,
            partnership="pk",
            owner="lead",
            more=[("the register", reverse_lazy("partnerships:list"))],
        )
        registry.attention(
            "leads_to_confirm",
            "Leads to confirm",
            selectors.leads_to_confirm_rows,
            selectors.lead_to_confirm_item,
            partnership="pk",
            more=[("the leads to confirm", reverse_lazy("partnerships:leads_to_confirm"))],
        )
        registry.home("partnerships:list", lambda user: True, order=1000)  # unless an app offers better
        registry.report_part(
            "register",
            "governance",
            report.collect_register,
            report.write_register,
            changes=report.register_changes,
            figures=report.register_figures,
            summary=report.register_summary,
            order=10,
        )
        registry.report_part(
            "headlines", "headlines", report.collect_headlines, report.write_headlines, figures=report.headline_figures
        )
        registry.report_part("tier1_register", "appendix", report.collect_tier1, report.write_tier1, order=10)
        registry.demo_step("partnerships", demo.demo_step)
        registry.urls(self.label, "partnerships/", "partnerships.urls")
        registry.test_rows(self.label, "partnerships.tests.rows")

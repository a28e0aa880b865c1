from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "agreements"

    def ready(self):
        from django.urls import reverse_lazy
        from django.utils.text import format_lazy

        from core import audit, registry, report_parts
        from core.permissions import ALL, EVERYONE, KEEPERS_AND_OWN_LEADS, OWN, A, B, C, E, L, U, rows

        from . import api, demo, filters, models, panels, report, selectors

        audit.register(models.Agreement, parent="partnership")
        children = (models.AgreementParty, models.Consultation, models.ScopeItem, models.Milestone, models.Indicator)
        for child in children:
            audit.register(child, parent="agreement")
        # A checksum is hex digits, not text: ten of them in a row can pass for an NHS number.
        audit.register(models.AgreementDocument, parent="agreement", codes=("sha256",))

        child_labels = [child._meta.label_lower for child in children]
        registry.rights(
            {
                ("agreements.agreement", "view"): EVERYONE,
                # Lifecycle steps (send for comment, approve, sign, bring into force, vary, supersede,
                # end): who may ask; agreements.lifecycle decides whether the step is allowed at all.
                **rows(["agreements.agreement"], ("add", "change", "transition"), KEEPERS_AND_OWN_LEADS),
                **rows(child_labels, ["view"], EVERYONE),
                **rows(child_labels, ("add", "change", "delete"), KEEPERS_AND_OWN_LEADS),
                # Documents may be commercially sensitive: leads see those of their own partnerships.
                ("agreements.agreementdocument", "view"): {A: ALL, C: ALL, L: OWN, E: ALL, B: ALL, U: ALL},
                ("agreements.agreementdocument", "add"): KEEPERS_AND_OWN_LEADS,
            }
        )
        registry.menu_item("Agreements", "agreements:list", models.Agreement, order=20)
        api.register()
        registry.panel(
            "partnerships.partnership",
            "agreements",
            "agreements/includes/partnership_agreements.html",
            panels.partnership_agreements,
            order=10,
        )
        registry.panel(
            "partnerships.partnership",
            "agreements_for_partners",
            "agreements/includes/agreements_for_partners.html",
            panels.agreements_for_partners,
            order=10,
            partners=True,
        )
        registry.list_filter("partnerships.partnership", "agreements", filters.REGISTER_FILTER, order=10)
        agreements_list = reverse_lazy("agreements:list")
        registry.attention(
            "agreements_expiring",
            "Agreements expiring",
            selectors.expiring_rows,
            selectors.expiring_item,
            partnership="partnership",
            owner="partnership__lead",
            more=[
                (
                    "the agreements expiring within 90 days",
                    format_lazy("{}?condition=expiring_90_days", agreements_list),
                )
            ],
        )
        registry.attention(
            "milestones_overdue",
            "Milestones overdue",
            selectors.milestone_rows,
            selectors.milestone_item,
            partnership="agreement__partnership",
            owner="agreement__partnership__lead",
            more=[("those with a milestone overdue", format_lazy("{}?condition=milestone_overdue", agreements_list))],
        )
        registry.attention(
            "agreements_unsigned",
            "Agreements awaiting signature",
            selectors.unsigned_rows,
            selectors.unsigned_item,
            partnership="partnership",
            owner="partnership__lead",
            more=[("those awaiting a signature", format_lazy("{}?condition=unsigned_by_a_party", agreements_list))],
        )
        report_parts.register(report, "agreements", "governance", order=20)
        registry.demo_step("agreements", demo.demo_step)
        registry.urls(self.label, "agreements/", "agreements.urls")
        registry.test_rows(self.label, "agreements.tests.rows")

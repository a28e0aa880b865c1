from django.apps import AppConfig


class AssuranceConfig(AppConfig):
    name = "assurance"
    verbose_name = "Information-governance assurance"

    def ready(self):
        from django.urls import reverse_lazy

        from core import audit, registry, report_parts
        from core.permissions import ADMIN_ONLY, ALL, EVERYONE, KEEPERS_AND_OWN_LEADS, OWN, A, B, C, E, L, U, rows

        from . import api, demo, filters, ig_state, models, panels, report, selectors, synthetic

        ig_state.connect()
        registry.derived_table("IG state", ig_state.rebuild)
        audit.register(models.IGRequirement)
        audit.register(models.IGItem, parent="partnership")
        audit.register(models.IGState, parent="partnership")
        audit.register(models.IGGap, parent="partnership")
        # A checksum is hex digits, not text: ten of them in a row can pass for an NHS number.
        audit.register(models.IGDocument, parent="item", codes=("sha256",))

        # Everyone who reads the register reads IG status and the IG gaps page; a partnership's own
        # leads, the coordinator and administrators record its IG items. IG documents are seen like
        # agreement documents (leads only those of their own partnerships). The requirements matrix
        # is the administrator's alone.
        registry.rights(
            {
                ("assurance.igitem", "view"): EVERYONE,
                **rows(["assurance.igitem"], ("add", "change"), KEEPERS_AND_OWN_LEADS),
                ("assurance.igdocument", "view"): {A: ALL, C: ALL, L: OWN, E: ALL, B: ALL, U: ALL},
                ("assurance.igdocument", "add"): KEEPERS_AND_OWN_LEADS,
                **rows(["assurance.igrequirement"], ("view", "change"), ADMIN_ONLY),
            }
        )
        registry.menu_item("IG gaps", "assurance:gaps", models.IGItem, order=40)
        api.register()
        registry.administration_card(
            "IG requirements",
            "assurance:requirements",
            "Which information governance documents each type of partnership needs at each level of data sharing.",
            models.IGRequirement,
            order=50,
        )
        registry.panel(
            "partnerships.partnership",
            "information_governance",
            "assurance/includes/partnership_ig.html",
            panels.partnership_information_governance,
            order=30,
        )
        registry.list_filter("partnerships.partnership", "ig_gaps", filters.REGISTER_FILTER, order=20)
        registry.attention(
            "ig_gaps",
            "IG gaps",
            selectors.gap_attention_rows,
            selectors.gap_item,
            partnership="pk",
            owner="lead",
            more=[("the IG gaps", reverse_lazy("assurance:gaps"))],
        )
        registry.attention(
            "ig_reviews_due",
            "IG items to review",
            selectors.expiring_item_rows,
            selectors.expiring_ig_item,
            partnership="partnership",
            owner="partnership__lead",
        )
        report_parts.register(report, "assurance", "governance", order=30)
        registry.demo_step("assurance", demo.demo_step)
        registry.bench_step("assurance", synthetic.bench_step)
        registry.urls(self.label, "", "assurance.urls")
        registry.test_rows(self.label, "assurance.tests.rows")

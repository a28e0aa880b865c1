from django.apps import AppConfig


class PeerReviewsConfig(AppConfig):
    name = "peer_reviews"
    verbose_name = "Peer quality reviews"

    def ready(self):
        from django.urls import reverse_lazy

        from core import audit, registry, report_parts
        from core.permissions import EVERYONE, KEEPERS_AND_OWN_LEADS, rows

        from . import demo, models, panels, report, selectors

        audit.register(models.ReviewRound, parent="partnership")
        audit.register(models.ReviewArea, parent="round")
        audit.register(models.ReviewAction, parent="area")

        # Everyone signed in reads the rounds (executives, board members and auditors for
        # assurance, leads as they read the register); the register's keepers manage any round and
        # a partnership's own leads (lead or delegate) the rounds of their partnerships.
        labels = ["peer_reviews.reviewround", "peer_reviews.reviewarea", "peer_reviews.reviewaction"]
        registry.rights(
            {
                **rows(labels, ["view"], EVERYONE),
                **rows(labels, ["add", "change"], KEEPERS_AND_OWN_LEADS),
                **rows(["peer_reviews.reviewarea"], ["delete"], KEEPERS_AND_OWN_LEADS),
            }
        )
        registry.menu_item("Peer reviews", "peer_reviews:list", models.ReviewRound, order=45)
        registry.panel(
            "partnerships.partnership",
            "peer_reviews",
            "peer_reviews/includes/partnership_rounds.html",
            panels.partnership_rounds,
            order=40,
        )
        registry.attention(
            "peer_review_actions_overdue",
            "Peer review actions overdue",
            selectors.overdue_action_rows,
            selectors.overdue_action_item,
            partnership="area__round__partnership",
            owner="owner",
            more=[("the peer review rounds", reverse_lazy("peer_reviews:list"))],
        )
        report_parts.register(report, "peer_reviews", "governance", order=50)
        registry.demo_step("peer_reviews", demo.demo_step)
        from . import api as api_registration

        api_registration.register()
        registry.urls(self.label, "peer-reviews/", "peer_reviews.urls")
        registry.test_rows(self.label, "peer_reviews.tests.rows")

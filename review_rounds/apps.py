from django.apps import AppConfig


class ReviewRoundsConfig(AppConfig):
    name = "review_rounds"
    verbose_name = "Review rounds"

    def ready(self):
        from django.urls import reverse_lazy

        from core import audit, registry, report_parts
        from core.permissions import EVERYONE, KEEPERS_AND_OWN_LEADS, REGISTER_KEEPERS

        from . import demo, models, panels, report, selectors

        audit.register(models.ReviewRound)
        audit.register(models.ReviewTask, parent="round")

        # Everyone in the trust reads the rounds and their tasks (executives, board members and
        # auditors for assurance, leads as they read the register); the register's keepers launch
        # and close rounds; a lead responds to their own tasks only (assigned to them, or of a
        # partnership they lead or are delegated on: ``TaskQuerySet.owned_by``), the keepers to
        # any. Partner contributors are named by no right: every page refuses them.
        registry.rights(
            {
                ("review_rounds.reviewround", "view"): EVERYONE,
                ("review_rounds.reviewround", "add"): REGISTER_KEEPERS,
                ("review_rounds.reviewround", "change"): REGISTER_KEEPERS,
                ("review_rounds.reviewtask", "view"): EVERYONE,
                ("review_rounds.reviewtask", "change"): KEEPERS_AND_OWN_LEADS,
            }
        )
        registry.menu_item("Review rounds", "review_rounds:list", models.ReviewRound, order=47)
        registry.panel(
            "partnerships.partnership",
            "review_rounds",
            "review_rounds/includes/partnership_review.html",
            panels.partnership_review,
            order=15,
        )
        registry.attention(
            "review_tasks_due",
            "Register review tasks",
            selectors.task_rows,
            selectors.task_item,
            partnership="partnership",
            owner="assignee",
            more=[("the review tasks", reverse_lazy("review_rounds:tasks"))],
        )
        report_parts.register(report, "review_rounds", "coordination", order=20)
        registry.demo_step("review_rounds", demo.demo_step)
        from . import api as api_registration

        api_registration.register()
        registry.urls(self.label, "review-rounds/", "review_rounds.urls")
        registry.test_rows(self.label, "review_rounds.tests.rows")

from django.apps import AppConfig


class SelfAssessmentsConfig(AppConfig):
    name = "self_assessments"
    verbose_name = "Self-assessments"

    def ready(self):
        from django.urls import reverse_lazy

        from core import audit, registry, report_parts
        from core.permissions import ALL, EVERYONE, PARTY, REGISTER_KEEPERS, rows
        from core.roles import Role

        from . import demo, models, panels, report, selectors, synthetic

        audit.register(models.Template)
        audit.register(models.TemplateVersion, parent="template")
        audit.register(models.Section, parent="version")
        audit.register(models.Question, parent="section")
        audit.register(models.Issue, parent="version")
        audit.register(models.Assessment, parent="organisation")
        audit.register(models.Answer, parent="assessment")
        audit.register(models.AssessmentAction, parent="assessment")
        audit.register(models.Evidence, parent="answer")

        # The questionnaires are the trust's: everyone in it reads them, the register's keepers
        # write and issue them. An organisation's assessment, its answers, evidence and actions are
        # read by everyone in the trust and by that organisation's partner contributors (``PARTY``:
        # their organisation's only), who answer it; the keepers review it.
        keepers_and_partners = {**REGISTER_KEEPERS, Role.PARTNER_CONTRIBUTOR: PARTY}
        trust_and_partners = {**EVERYONE, Role.PARTNER_CONTRIBUTOR: PARTY}
        questionnaire = [
            "self_assessments.template",
            "self_assessments.templateversion",
            "self_assessments.section",
            "self_assessments.question",
        ]
        registry.rights(
            {
                **rows([*questionnaire, "self_assessments.issue"], ["view"], EVERYONE),
                **rows([*questionnaire, "self_assessments.issue"], ["add"], REGISTER_KEEPERS),
                **rows(questionnaire, ["change"], REGISTER_KEEPERS),
                **rows(
                    [
                        "self_assessments.assessment",
                        "self_assessments.answer",
                        "self_assessments.evidence",
                        "self_assessments.assessmentaction",
                    ],
                    ["view"],
                    trust_and_partners,
                ),
                ("self_assessments.assessment", "answer"): keepers_and_partners,
                ("self_assessments.assessment", "review"): {Role.ADMINISTRATOR: ALL, Role.COORDINATOR: ALL},
                ("self_assessments.evidence", "add"): keepers_and_partners,
                ("self_assessments.assessmentaction", "change"): REGISTER_KEEPERS,
            }
        )
        registry.menu_item("Self-assessments", "self_assessments:list", models.Assessment, order=36, partners=True)
        registry.panel(
            "organisations.organisation",
            "self_assessments",
            "self_assessments/includes/organisation_assessments.html",
            panels.organisation_assessments,
            order=60,
        )
        assessments = [("the self-assessments", reverse_lazy("self_assessments:list"))]
        registry.attention(
            "assessments_overdue",
            "Self-assessments overdue",
            selectors.overdue_rows,
            selectors.overdue_item,
            more=assessments,
            partners=True,
        )
        registry.attention(
            "assessments_to_review",
            "Self-assessments to review",
            selectors.to_review_rows,
            selectors.to_review_item,
            more=assessments,
        )
        registry.attention(
            "assessment_actions_overdue",
            "Self-assessment actions overdue",
            selectors.overdue_action_rows,
            selectors.overdue_action_item,
            more=assessments,
            partners=True,
        )
        report_parts.register(report, "self_assessments", "governance", order=40)
        registry.demo_step("self_assessments", demo.demo_step)
        registry.bench_step("self_assessments", synthetic.bench_step, arguments=synthetic.BENCH_ARGUMENTS)
        from . import api as api_registration

        api_registration.register()
        registry.urls(self.label, "self-assessments/", "self_assessments.urls")
        registry.test_rows(self.label, "self_assessments.tests.rows")

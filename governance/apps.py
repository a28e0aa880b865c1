from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = "Governance"

    def ready(self):
        from django.urls import reverse_lazy

        from core import audit, registry
        from core.permissions import ALL, EVERYONE, OWN, REGISTER_KEEPERS, A, B, C, E, L, U, rows

        from . import demo, models, panels, report, selectors, synthetic

        # Every model is audited; a body's records show in the body's history.
        audit.register(models.Body)
        audit.register(models.TermsOfReference, parent="body")
        audit.register(models.Membership, parent="body")
        audit.register(models.Meeting, parent="body")
        audit.register(models.AgendaItem, parent="meeting")
        audit.register(models.Attendance, parent="meeting")
        audit.register(models.ItemDeclaration, parent="item")
        audit.register(models.Minutes, parent="meeting")
        audit.register(models.Decision, parent="body")
        audit.register(models.EligibilityRecord, parent="decision")
        audit.register(models.Ballot, parent="decision")
        audit.register(models.Binding, parent="decision")
        audit.register(models.Interest)
        audit.register(models.Programme, parent="body")
        audit.register(models.GatewayDecision, parent="programme")
        audit.register(models.ReopenRequest, parent="programme")
        audit.register(models.ReopenOutcome, parent="request")
        audit.register(models.Supersession, parent="original")
        audit.register(models.Dispute, parent="decision")
        audit.register(models.DisputeEscalation, parent="dispute")
        audit.register(models.Action, parent="meeting")
        audit.register(models.DeclarationReview, parent="meeting")

        # Bodies: the executives, board members and auditors read every body; a partnership lead
        # reads the bodies governing the partnerships they lead (or are delegated on). The
        # register's keepers (coordinator, administrator) act as the bodies' secretary for now.
        registry.rights(
            {
                **rows(
                    [
                        "governance.body",
                        "governance.termsofreference",
                        "governance.membership",
                        "governance.meeting",
                        "governance.agendaitem",
                        "governance.attendance",
                        "governance.itemdeclaration",
                        "governance.decision",
                        "governance.minutes",
                        "governance.action",
                        "governance.declarationreview",
                    ],
                    ["view"],
                    {A: ALL, C: ALL, E: ALL, B: ALL, U: ALL, L: OWN},
                ),
                **rows(["governance.body", "governance.membership"], ["add", "change"], REGISTER_KEEPERS),
                **rows(
                    [
                        "governance.termsofreference",
                        "governance.meeting",
                        "governance.agendaitem",
                        "governance.attendance",
                        "governance.itemdeclaration",
                        "governance.decision",
                    ],
                    ["add"],
                    REGISTER_KEEPERS,
                ),
                # The register of interests is published to everyone signed in; the secretary adds
                # declarations (an entry is never changed: a correction is a new declaration).
                **rows(["governance.interest"], ["view"], EVERYONE),
                **rows(["governance.interest"], ["add"], REGISTER_KEEPERS),
                # Running a meeting and its votes (the secretary): open, record votes, close.
                **rows(["governance.meeting"], ["close"], REGISTER_KEEPERS),
                **rows(["governance.minutes"], ["add", "change"], REGISTER_KEEPERS),
                **rows(["governance.decision"], ["vote"], REGISTER_KEEPERS),
                # Locked gateways and disputes: read by whoever reads the body; the secretary adds a
                # programme, raises its stages' decisions, records and decides reopen requests,
                # records disputes (for the organisation raising one), escalates and resolves them.
                **rows(
                    ["governance.programme", "governance.reopenrequest", "governance.dispute"],
                    ["view"],
                    {A: ALL, C: ALL, E: ALL, B: ALL, U: ALL, L: OWN},
                ),
                **rows(["governance.programme"], ["add", "gateway"], REGISTER_KEEPERS),
                **rows(["governance.reopenrequest"], ["decide"], REGISTER_KEEPERS),
                **rows(["governance.decision"], ["dispute"], REGISTER_KEEPERS),
                **rows(["governance.dispute"], ["change"], REGISTER_KEEPERS),
                # The secretary keeps the action log and records the review of declarations made
                # at an earlier meeting.
                **rows(["governance.action"], ["add", "change"], REGISTER_KEEPERS),
                **rows(["governance.declarationreview"], ["add"], REGISTER_KEEPERS),
            }
        )
        registry.menu_item("Governance", "governance:list", models.Body, order=35)
        registry.menu_item("Decisions", "governance:decisions", models.Decision, order=36)
        registry.menu_item("Interests", "governance:interests", models.Interest, order=37)
        registry.panel(
            "partnerships.partnership",
            "governance",
            "governance/includes/partnership_governed_by.html",
            panels.partnership_governed_by,
            order=25,
        )
        bodies = [("the governance bodies", reverse_lazy("governance:list"))]
        interests = [("the register of interests", reverse_lazy("governance:interests"))]
        registry.attention(
            "meetings_due", "Meetings not held", selectors.meetings_due_rows, selectors.meetings_due_item, more=bodies
        )
        registry.attention(
            "disputes_open", "Disputes open", selectors.disputes_open_rows, selectors.dispute_item, more=bodies
        )
        registry.attention(
            "governance_actions_overdue",
            "Governance actions overdue",
            selectors.overdue_action_rows,
            selectors.overdue_action_item,
            owner="owner",
        )
        registry.attention(
            "declarations_due",
            "Declarations of interests due",
            selectors.declaration_rows,
            selectors.declaration_item,
            owner="pk",
            more=interests,
        )
        registry.attention(
            "member_declarations_due",
            "Members' declarations due",
            selectors.member_declaration_rows,
            selectors.declaration_item,
            more=interests,
        )
        registry.panel(
            "governance.body", "programmes", "governance/includes/body_programmes.html", panels.body_programmes
        )
        registry.panel("governance.decision", "links", "governance/includes/decision_links.html", panels.decision_links)
        registry.report_part(
            "governance_decisions",
            "governance",
            report.collect_decisions,
            report.write_decisions,
            changes=report.decision_changes,
            figures=report.decision_figures,
            summary=report.decision_summary,
            order=10,
        )
        registry.report_part(
            "register_of_interests",
            "appendix",
            report.collect_register,
            report.write_register,
            changes=report.register_changes,
            order=90,
        )
        registry.demo_step("governance", demo.demo_step)
        registry.bench_step("governance", synthetic.bench_step, arguments=synthetic.BENCH_ARGUMENTS)
        from . import api as api_registration

        api_registration.register()
        registry.urls(self.label, "governance/", "governance.urls")
        registry.test_rows(self.label, "governance.tests.rows")

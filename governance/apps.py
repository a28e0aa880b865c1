from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = "Governance"

    def ready(self):
        from core import audit, registry

        from . import models

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
        registry.test_rows(self.label, "governance.tests.rows")

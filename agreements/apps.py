from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "agreements"

    def ready(self):
        from core import audit

        from . import models

        audit.register(models.Agreement, parent="partnership")
        for child in (
            models.AgreementParty,
            models.Consultation,
            models.AgreementDocument,
            models.ScopeItem,
            models.Milestone,
            models.Indicator,
        ):
            audit.register(child, parent="agreement")

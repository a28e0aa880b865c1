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
            models.ScopeItem,
            models.Milestone,
            models.Indicator,
        ):
            audit.register(child, parent="agreement")
        # A checksum is hex digits, not text: ten of them in a row can pass for an NHS number.
        audit.register(models.AgreementDocument, parent="agreement", codes=("sha256",))

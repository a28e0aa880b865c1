from django.apps import AppConfig


class RisksConfig(AppConfig):
    name = "risks"
    verbose_name = "Risk profiles"

    def ready(self):
        from core import audit

        from . import models

        audit.register(models.Risk, parent="partnership")
        audit.register(models.RiskAction, parent="risk")
        audit.register(models.NoSignificantRisk, parent="partnership")
        audit.register(models.RiskMatrix)

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Accord core"

    def ready(self):
        from core import audit

        from .models import BafRiskTheme, ServiceArea, StrategicObjective, TierThresholds

        for model in (StrategicObjective, BafRiskTheme, ServiceArea, TierThresholds):
            audit.register(model)

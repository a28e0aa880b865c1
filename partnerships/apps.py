from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = "Partnership register"

    def ready(self):
        from core import audit

        from .models import Headline, PartnerRole, Partnership

        audit.register(Partnership)
        audit.register(PartnerRole, parent="partnership")
        audit.register(Headline, parent="partnership")

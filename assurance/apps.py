from django.apps import AppConfig


class AssuranceConfig(AppConfig):
    name = "assurance"
    verbose_name = "Information-governance assurance"

    def ready(self):
        from core import audit

        from . import models

        audit.register(models.IGRequirement)
        audit.register(models.IGItem, parent="partnership")
        # A checksum is hex digits, not text: ten of them in a row can pass for an NHS number.
        audit.register(models.IGDocument, parent="item", codes=("sha256",))

from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "organisations"

    def ready(self):
        from core import audit

        from .models import Organisation

        audit.register(Organisation, exclude=("name_key",))

from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "organisations"

    def ready(self):
        from core import audit, registry
        from core.permissions import ADMIN_ONLY, EVERYONE, REGISTER_KEEPERS

        from . import api
        from .models import Organisation

        audit.register(Organisation, exclude=("name_key",))
        registry.rights(
            {
                ("organisations.organisation", "view"): EVERYONE,
                ("organisations.organisation", "add"): REGISTER_KEEPERS,
                ("organisations.organisation", "change"): REGISTER_KEEPERS,
                ("organisations.organisation", "delete"): ADMIN_ONLY,
            }
        )
        registry.menu_item("Organisations", "organisations:list", Organisation, order=50)
        api.register()
        registry.urls(self.label, "organisations/", "organisations.urls")
        registry.test_rows(self.label, "organisations.tests.rows")

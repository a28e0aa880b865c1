from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Users and roles"

    def ready(self):
        from core import audit, registry
        from core.permissions import ADMIN_ONLY, EVERYONE, OWN, REGISTER_KEEPERS, rows

        from . import panels
        from .models import ApiToken, User

        audit.register(User, sensitive=("password",), exclude=("last_login",))
        # A token's key is never stored; its digest and prefix are codes, not anyone's words.
        audit.register(ApiToken, parent="user", exclude=("last_used_at",), codes=("digest", "prefix"))
        everyone_own = dict.fromkeys(EVERYONE, OWN)
        registry.rights(rows(["accounts.apitoken"], ("view", "add", "delete"), everyone_own))
        registry.menu_item("API tokens", "accounts_own:api_tokens", ApiToken, order=95)
        registry.urls("accounts.own", "account/", "accounts.urls_own")
        registry.rights(rows(["accounts.user"], ("view", "add", "change", "set_password", "unlock"), ADMIN_ONLY))
        registry.rights({("accounts.user", "invite"): REGISTER_KEEPERS})  # partner contributors
        registry.administration_card(
            "Users",
            "accounts:list",
            "Add people, give them a role, set a new password, unlock or deactivate an account.",
            User,
            action="view",
            summary=lambda: _active_users(User),
            order=10,
        )
        registry.panel(
            "organisations.organisation",
            "contributors",
            "accounts/includes/organisation_contributors.html",
            panels.organisation_contributors,
            order=200,
        )
        registry.urls(self.label, "administration/users/", "accounts.urls")
        registry.test_rows(self.label, "accounts.tests.rows")


def _active_users(user_model):
    n = user_model.objects.filter(is_active=True).count()
    return f"{n} active user{'s' if n != 1 else ''}."

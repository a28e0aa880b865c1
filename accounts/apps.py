from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Users and roles"

    def ready(self):
        from core import audit

        from .models import User

        audit.register(User, sensitive=("password",), exclude=("last_login",))

"""Accord's URLs: the sign-in pages, the home page, and every app's own URLconf, which each app
registers from its ``AppConfig.ready`` (``core.registry.urls``)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from core import registry, views_attention

urlpatterns = [
    path("", views_attention.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    *registry.url_patterns(),
]

handler403 = "core.views.forbidden"
# A plain page, never a traceback; 503 "briefly unavailable" when the database cannot be reached.
handler500 = "core.errors.server_error"

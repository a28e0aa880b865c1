from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="partnerships:list"), name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("partnerships/", include("partnerships.urls")),
    path("agreements/", include("agreements.urls")),
    path("", include("risks.urls")),
    path("", include("assurance.urls")),
    path("organisations/", include("organisations.urls")),
    path("administration/users/", include("accounts.urls")),
    path("", include("core.urls")),
]

handler403 = "core.views.forbidden"

from django.urls import path

from accounts import views_tokens

app_name = "accounts_own"

urlpatterns = [
    path("api-tokens/", views_tokens.ApiTokensView.as_view(), name="api_tokens"),
    path("api-tokens/<int:pk>/revoke/", views_tokens.RevokeApiTokenView.as_view(), name="api_token_revoke"),
]

from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.UserListView.as_view(), name="list"),
    path("add/", views.UserCreateView.as_view(), name="add"),
    path("invite/", views.InviteContributorView.as_view(), name="invite"),
    path("invitations/", views.PendingInvitationsView.as_view(), name="invitations"),
    path("<int:pk>/invitation/resend/", views.ResendInvitationView.as_view(), name="invitation_resend"),
    path("<int:pk>/invitation/cancel/", views.CancelInvitationView.as_view(), name="invitation_cancel"),
    path("invitation/<str:token>/", views.AcceptInvitationView.as_view(), name="accept_invitation"),
    path("<int:pk>/", views.UserDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.UserEditView.as_view(), name="edit"),
    path("<int:pk>/password/", views.UserSetPasswordView.as_view(), name="password"),
    path("<int:pk>/unlock/", views.UserUnlockView.as_view(), name="unlock"),
    path("<int:pk>/history/", views.UserHistoryView.as_view(), name="history"),
]

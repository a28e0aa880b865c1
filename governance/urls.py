from django.urls import path

from governance import views

app_name = "governance"

urlpatterns = [
    path("", views.BodyListView.as_view(), name="list"),
    path("add/", views.BodyEditView.as_view(), name="add"),
    path("<int:pk>/", views.BodyDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.BodyEditView.as_view(), name="edit"),
    path("<int:pk>/history/", views.BodyHistoryView.as_view(), name="history"),
    path("<int:parent_pk>/terms/add/", views.TermsOfReferenceAddView.as_view(), name="terms_add"),
    path("<int:parent_pk>/members/add/", views.MembershipEditView.as_view(), name="member_add"),
    path("members/<int:pk>/edit/", views.MembershipEditView.as_view(), name="member_edit"),
    path("<int:parent_pk>/meetings/add/", views.MeetingScheduleView.as_view(), name="meeting_add"),
    path("meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting"),
]

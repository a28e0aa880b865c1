from django.urls import path

from organisations import views

app_name = "organisations"

urlpatterns = [
    path("", views.OrganisationListView.as_view(), name="list"),
    path("add/", views.OrganisationEditView.as_view(), name="add"),
    path("<int:pk>/", views.OrganisationDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.OrganisationEditView.as_view(), name="edit"),
    path("<int:pk>/delete/", views.OrganisationDeleteView.as_view(), name="delete"),
    path("<int:pk>/history/", views.OrganisationHistoryView.as_view(), name="history"),
]

from django.urls import path

from tests.scratch_app import views

app_name = "scratch"

urlpatterns = [
    path("", views.VisitListView.as_view(), name="list"),
    path("add/<int:parent_pk>/", views.VisitAddView.as_view(), name="add"),
]

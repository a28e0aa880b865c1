from django.urls import path

from governance import views

app_name = "governance"

urlpatterns = [
    path("", views.BodyListView.as_view(), name="list"),
    path("add/", views.BodyEditView.as_view(), name="add"),
    path("<int:pk>/", views.BodyDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.BodyEditView.as_view(), name="edit"),
    path("<int:pk>/history/", views.BodyHistoryView.as_view(), name="history"),
]

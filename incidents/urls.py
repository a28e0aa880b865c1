from django.urls import path

from incidents import views

app_name = "incidents"

urlpatterns = [
    path("", views.IncidentListView.as_view(), name="list"),
    path("learning/", views.LearningDigestView.as_view(), name="learning"),
    path("partnership/<int:parent_pk>/add/", views.IncidentEditView.as_view(), name="add"),
    path("<int:pk>/", views.IncidentDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.IncidentEditView.as_view(), name="edit"),
    path("<int:pk>/status/", views.IncidentMoveView.as_view(), name="move"),
    path("<int:pk>/history/", views.IncidentHistoryView.as_view(), name="history"),
]

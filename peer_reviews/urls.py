from django.urls import path

from peer_reviews import views

app_name = "peer_reviews"

urlpatterns = [
    path("", views.RoundListView.as_view(), name="list"),
    path("partnership/<int:parent_pk>/add/", views.RoundEditView.as_view(), name="add"),
    path("<int:pk>/", views.RoundDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.RoundEditView.as_view(), name="edit"),
    path("<int:pk>/history/", views.RoundHistoryView.as_view(), name="history"),
    path("<int:parent_pk>/areas/add/", views.AreaEditView.as_view(), name="area_add"),
    path("areas/<int:pk>/edit/", views.AreaEditView.as_view(), name="area_edit"),
    path("areas/<int:pk>/ratings/", views.AreaRatingsView.as_view(), name="ratings"),
    path("areas/<int:pk>/remove/", views.AreaRemoveView.as_view(), name="area_remove"),
    path("areas/<int:parent_pk>/actions/add/", views.ActionEditView.as_view(), name="action_add"),
    path("actions/<int:pk>/edit/", views.ActionEditView.as_view(), name="action_edit"),
]

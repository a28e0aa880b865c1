from django.urls import path

from review_rounds import views

app_name = "review_rounds"

urlpatterns = [
    path("", views.RoundListView.as_view(), name="list"),
    path("launch/", views.LaunchView.as_view(), name="launch"),
    path("<int:pk>/", views.RoundDetailView.as_view(), name="detail"),
    path("<int:pk>/close/", views.CloseRoundView.as_view(), name="close"),
    path("tasks/", views.TaskListView.as_view(), name="tasks"),
    path("tasks/<int:pk>/", views.TaskDetailView.as_view(), name="task"),
    path("tasks/<int:pk>/respond/", views.RespondView.as_view(), name="respond"),
]

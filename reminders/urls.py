from django.urls import path

from reminders import views

app_name = "reminders"

urlpatterns = [
    path("", views.OwnPreferencesView.as_view(), name="preferences"),
    path("<int:pk>/", views.PreferencesView.as_view(), name="user_preferences"),
]

from django.urls import path

from reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.WorkView.as_view(), name="work"),
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
]

from django.urls import path, re_path

from board_reports import views

app_name = "board_reports"

urlpatterns = [
    path("", views.ReportListView.as_view(), name="list"),
    path("add/", views.ReportEditView.as_view(), name="add"),
    path("<int:pk>/", views.ReportDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.ReportEditView.as_view(), name="edit"),
    path("<int:pk>/generate/", views.GenerateView.as_view(), name="generate"),
    path("<int:pk>/issue/", views.IssueView.as_view(), name="issue"),
    path("versions/<int:pk>/", views.VersionView.as_view(), name="version"),
    path("versions/<int:pk>/figures/<int:n>.png", views.FigureView.as_view(), name="figure"),
    re_path(r"^versions/(?P<pk>[0-9]+)/(?P<fmt>docx|pdf)/$", views.DownloadView.as_view(), name="download"),
]

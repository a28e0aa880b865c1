from django.urls import path

from core import views_audit

app_name = "core"

urlpatterns = [
    path("audit/", views_audit.AuditLogView.as_view(), name="audit_log"),
]

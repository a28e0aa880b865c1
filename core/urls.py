from django.urls import path

from core import views_attention, views_audit, views_reference

app_name = "core"

urlpatterns = [
    path("attention/", views_attention.AttentionView.as_view(), name="attention"),
    path("audit/", views_audit.AuditLogView.as_view(), name="audit_log"),
    path("administration/", views_reference.AdministrationView.as_view(), name="administration"),
    path(
        "administration/tier-thresholds/",
        views_reference.TierThresholdsEditView.as_view(),
        name="tierthresholds_edit",
    ),
    path(
        "administration/tier-thresholds/history/",
        views_reference.TierThresholdsHistoryView.as_view(),
        name="tierthresholds_history",
    ),
    *views_reference.reference_urls(),
]

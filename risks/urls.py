from django.urls import path

from risks import views

app_name = "risks"

urlpatterns = [
    path("risks/", views.HeatmapView.as_view(), name="heatmap"),
    path("risks/all/", views.RiskListView.as_view(), name="list"),
    path("risks/escalated/", views.EscalatedListView.as_view(), name="escalated"),
    path("risks/partnership/<int:pk>/", views.ProfileView.as_view(), name="profile"),
    path("risks/partnership/<int:parent_pk>/add/", views.RiskEditView.as_view(), name="add"),
    path(
        "risks/partnership/<int:parent_pk>/no-significant-risk/<str:domain>/",
        views.NoSignificantRiskView.as_view(),
        name="no_significant_risk",
    ),
    path(
        "risks/no-significant-risk/<int:pk>/withdraw/",
        views.NoSignificantRiskWithdrawView.as_view(),
        name="no_significant_risk_withdraw",
    ),
    path("risks/<int:pk>/", views.RiskDetailView.as_view(), name="detail"),
    path("risks/<int:pk>/edit/", views.RiskEditView.as_view(), name="edit"),
    path("risks/<int:pk>/close/", views.RiskCloseView.as_view(), name="close"),
    path("risks/<int:pk>/history/", views.RiskHistoryView.as_view(), name="history"),
    path("risks/<int:parent_pk>/actions/add/", views.RiskActionEditView.as_view(), name="action_add"),
    path("risks/actions/<int:pk>/edit/", views.RiskActionEditView.as_view(), name="action_edit"),
    path("risks/actions/<int:pk>/delete/", views.RiskActionDeleteView.as_view(), name="action_delete"),
    # The administration: the matrix every score is banded and escalated by.
    path("administration/risk-matrix/", views.RiskMatrixEditView.as_view(), name="matrix"),
    path("administration/risk-matrix/history/", views.RiskMatrixHistoryView.as_view(), name="matrix_history"),
]

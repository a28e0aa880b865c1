from django.urls import path

from partnerships import views, views_import

app_name = "partnerships"

urlpatterns = [
    path("", views.PartnershipListView.as_view(), name="list"),
    path("import/", views_import.ImportUploadView.as_view(), name="import"),
    path("import/<str:token>/", views_import.ImportPreviewView.as_view(), name="import_preview"),
    path("imports/<int:pk>/", views_import.ImportRunView.as_view(), name="import_run"),
    path("imports/<int:pk>/again/", views_import.ImportAgainView.as_view(), name="import_again"),
    path("leads-to-confirm/", views.LeadsToConfirmView.as_view(), name="leads_to_confirm"),
    path("<int:pk>/lead/", views.ConfirmLeadView.as_view(), name="confirm_lead"),
    path("add/", views.PartnershipEditView.as_view(), name="add"),
    path("<int:pk>/", views.PartnershipDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.PartnershipEditView.as_view(), name="edit"),
    path("<int:pk>/close/", views.PartnershipCloseView.as_view(), name="close"),
    path("<int:pk>/delete/", views.PartnershipDeleteView.as_view(), name="delete"),
    path("<int:pk>/history/", views.PartnershipHistoryView.as_view(), name="history"),
    path("<int:parent_pk>/partners/add/", views.PartnerRoleEditView.as_view(), name="partner_add"),
    path("partners/<int:pk>/edit/", views.PartnerRoleEditView.as_view(), name="partner_edit"),
    path("partners/<int:pk>/delete/", views.PartnerRoleDeleteView.as_view(), name="partner_delete"),
    path("<int:parent_pk>/headlines/add/", views.HeadlineEditView.as_view(), name="headline_add"),
    path("headlines/<int:pk>/edit/", views.HeadlineEditView.as_view(), name="headline_edit"),
    path("headlines/<int:pk>/delete/", views.HeadlineDeleteView.as_view(), name="headline_delete"),
]

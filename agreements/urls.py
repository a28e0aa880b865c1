from django.urls import path

from agreements import forms, views
from agreements.models import AgreementDocument
from core.views_documents import DocumentAddView, DocumentDownloadView

app_name = "agreements"

urlpatterns = [
    path("", views.AgreementListView.as_view(), name="list"),
    path("add/<int:parent_pk>/", views.AgreementEditView.as_view(), name="add"),
    path("<int:pk>/", views.AgreementDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.AgreementEditView.as_view(), name="edit"),
    path("<int:pk>/history/", views.AgreementHistoryView.as_view(), name="history"),
    # Lifecycle steps: each a confirmation page whose POST takes the step (agreements.services).
    path("<int:pk>/send-for-comment/", views.SendForCommentView.as_view(), name="send_for_comment"),
    path("<int:pk>/return-to-draft/", views.ReturnToDraftView.as_view(), name="return_to_draft"),
    path("<int:pk>/approve/", views.ApproveView.as_view(), name="approve"),
    path("<int:pk>/bring-into-force/", views.BringIntoForceView.as_view(), name="bring_into_force"),
    path("<int:pk>/vary/", views.StartVariationView.as_view(), name="start_variation"),
    path("<int:pk>/supersede/", views.SupersedeView.as_view(), name="supersede"),
    path("<int:pk>/expire/", views.ExpireView.as_view(), name="expire"),
    path("<int:pk>/terminate/", views.TerminateView.as_view(), name="terminate"),
    path("parties/<int:pk>/sign/", views.SignatureView.as_view(), name="sign"),
    # The agreement's records.
    path("<int:parent_pk>/parties/add/", views.PartyEditView.as_view(), name="party_add"),
    path("parties/<int:pk>/edit/", views.PartyEditView.as_view(), name="party_edit"),
    path("parties/<int:pk>/delete/", views.PartyDeleteView.as_view(), name="party_delete"),
    path("<int:parent_pk>/comments/add/", views.ConsultationEditView.as_view(), name="consultation_add"),
    path("comments/<int:pk>/edit/", views.ConsultationEditView.as_view(), name="consultation_edit"),
    path("comments/<int:pk>/delete/", views.ConsultationDeleteView.as_view(), name="consultation_delete"),
    path("<int:parent_pk>/scope/add/", views.ScopeItemEditView.as_view(), name="scope_add"),
    path("scope/<int:pk>/edit/", views.ScopeItemEditView.as_view(), name="scope_edit"),
    path("scope/<int:pk>/delete/", views.ScopeItemDeleteView.as_view(), name="scope_delete"),
    path("<int:parent_pk>/milestones/add/", views.MilestoneEditView.as_view(), name="milestone_add"),
    path("milestones/<int:pk>/edit/", views.MilestoneEditView.as_view(), name="milestone_edit"),
    path("milestones/<int:pk>/delete/", views.MilestoneDeleteView.as_view(), name="milestone_delete"),
    path("<int:parent_pk>/indicators/add/", views.IndicatorEditView.as_view(), name="indicator_add"),
    path("indicators/<int:pk>/edit/", views.IndicatorEditView.as_view(), name="indicator_edit"),
    path("indicators/<int:pk>/delete/", views.IndicatorDeleteView.as_view(), name="indicator_delete"),
    # Documents: upload the next version, download through a permission check (core.views_documents).
    path(
        "<int:pk>/documents/add/",
        DocumentAddView.as_view(
            model=AgreementDocument,
            form_class=forms.AgreementDocumentForm,
            intro="Add a draft, the final version, a signed copy or a supporting document to this agreement.",
            back_label="Back to the agreement",
        ),
        name="document_add",
    ),
    path(
        "documents/<int:pk>/",
        DocumentDownloadView.as_view(model=AgreementDocument, back_label="Go back to the agreement"),
        name="document",
    ),
]

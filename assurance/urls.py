from django.urls import path

from assurance import views
from assurance.models import IGDocument
from core.views_documents import DocumentDownloadView

app_name = "assurance"

urlpatterns = [
    path("information-governance/gaps/", views.GapListView.as_view(), name="gaps"),
    path("information-governance/add/<int:parent_pk>/", views.IGItemEditView.as_view(), name="item_add"),
    path("information-governance/items/<int:pk>/edit/", views.IGItemEditView.as_view(), name="item_edit"),
    path(
        "information-governance/documents/<int:pk>/",
        DocumentDownloadView.as_view(model=IGDocument, back_label="Go back to the partnership"),
        name="document",
    ),
    path("administration/ig-requirements/", views.RequirementsView.as_view(), name="requirements"),
    path(
        "administration/ig-requirements/history/",
        views.RequirementsHistoryView.as_view(),
        name="requirements_history",
    ),
]

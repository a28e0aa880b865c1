"""Agreements in the API (``core.api``): agreements and what their page lets one add or edit
(parties, rounds of comment, scope, milestones, indicators of success), served through those
pages' own views, so their rules, refusals and messages are the API's.

The lifecycle steps (send for comment, approve, record a signature, bring into force, vary,
supersede, expire, terminate) are confirmation pages of their own (``views.TransitionView``), not
edit forms, and the documents are uploaded and downloaded through ``core.views_documents``: neither
is served here. A party's signed copy is a document, so its link is not shown either.
"""

from core import registry

from . import forms, views
from .models import Agreement, AgreementParty, Consultation, Indicator, Milestone, ScopeItem

AGREEMENT_FIELDS = (
    "partnership",
    *forms.AgreementForm.Meta.fields,
    "version",
    "varies",
    "status",
    "status_changed_at",
    "superseded_by",
    "ended_on",
    "created_at",
)

# The records the agreement's page adds, edits and removes: (model, edit view, delete view,
# fields shown: the edit form's when none are named).
CHILDREN = {
    "agreement-parties": (
        AgreementParty,
        views.PartyEditView,
        views.PartyDeleteView,
        ("organisation", "address", "signatory_name", "signatory_position", "signed_on", "recorded_by"),
    ),
    "agreement-comments": (Consultation, views.ConsultationEditView, views.ConsultationDeleteView, ()),
    "scope-items": (ScopeItem, views.ScopeItemEditView, views.ScopeItemDeleteView, ()),
    "milestones": (Milestone, views.MilestoneEditView, views.MilestoneDeleteView, ()),
    "indicators": (Indicator, views.IndicatorEditView, views.IndicatorDeleteView, ()),
}


def register():
    registry.api(
        "agreements",
        Agreement,
        list_view=views.AgreementListView,
        edit_view=views.AgreementEditView,
        fields=AGREEMENT_FIELDS,
        parent="partnership",
    )
    for name, (model, edit_view, delete_view, fields) in CHILDREN.items():
        registry.api(name, model, edit_view=edit_view, delete_view=delete_view, fields=fields, parent="agreement")

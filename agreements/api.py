"""Agreements in the API (``core.api``): agreements and what their page lets one add or edit
(parties, rounds of comment, scope, milestones, indicators of success), served through those
pages' own views, so their rules, refusals and messages are the API's.

The lifecycle steps (send for comment, return to draft, approve, bring into force, start a
variation, supersede, expire, terminate) are actions on an agreement and recording a signature
an action on a party (``POST /api/agreements/<id>/approve/``, ``/api/agreement-parties/<id>/sign/``),
run through the steps' own pages (``views.TransitionView``): the lifecycle's refusals, checked again
under the agreement's row lock, are the API's. Starting a variation answers the new draft. The
agreement's documents are uploaded and downloaded through ``core.views_documents`` and are not
served here; a party's signed copy is a document, so its link is not shown either.
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


STEPS = {
    "send-for-comment": views.SendForCommentView,
    "return-to-draft": views.ReturnToDraftView,
    "approve": views.ApproveView,
    "bring-into-force": views.BringIntoForceView,
    "start-variation": views.StartVariationView,
    "supersede": views.SupersedeView,
    "expire": views.ExpireView,
    "terminate": views.TerminateView,
}


def register():
    registry.api(
        "agreements",
        Agreement,
        list_view=views.AgreementListView,
        edit_view=views.AgreementEditView,
        fields=AGREEMENT_FIELDS,
        parent="partnership",
        actions=STEPS,
    )
    for name, (model, edit_view, delete_view, fields) in CHILDREN.items():
        actions = {"sign": views.SignatureView} if model is AgreementParty else None
        registry.api(
            name,
            model,
            edit_view=edit_view,
            delete_view=delete_view,
            fields=fields,
            parent="agreement",
            actions=actions,
        )

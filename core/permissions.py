"""Who may do what: one table of role rights, and object access as queryset filters.

A right is either granted for every object (``ALL``) or only for the objects the user is
responsible for (``OWN``); the model's queryset decides what "own" means through its
``owned_by(user)`` method (a partnership lead's own partnerships, for example). Pages, exports
and commands all ask :func:`permitted` / :func:`scope`, so a URL typed by hand gets the same
answer as a button.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import Role

ALL = "all"
OWN = "own"

A, C, L, E, B, U = (
    Role.ADMINISTRATOR,
    Role.COORDINATOR,
    Role.LEAD,
    Role.EXECUTIVE,
    Role.BOARD_MEMBER,
    Role.AUDITOR,
)
EVERYONE = {A: ALL, C: ALL, L: ALL, E: ALL, B: ALL, U: ALL}
REGISTER_KEEPERS = {A: ALL, C: ALL}
ADMIN_ONLY = {A: ALL}

# (model label, action) -> {role: ALL | OWN}. Anything absent is refused.
RIGHTS = {
    ("partnerships.partnership", "view"): EVERYONE,
    ("partnerships.partnership", "add"): REGISTER_KEEPERS,
    ("partnerships.partnership", "change"): {A: ALL, C: ALL, L: OWN},
    ("partnerships.partnership", "close"): REGISTER_KEEPERS,
    ("partnerships.partnership", "delete"): ADMIN_ONLY,
    ("partnerships.partnership", "import"): REGISTER_KEEPERS,
    # Link the user a recorded lead ("Head of Adult Services") names: the "Leads to confirm" page.
    ("partnerships.partnership", "confirm_lead"): REGISTER_KEEPERS,
    ("partnerships.partnerrole", "view"): EVERYONE,
    ("partnerships.partnerrole", "add"): {A: ALL, C: ALL, L: OWN},
    ("partnerships.partnerrole", "change"): {A: ALL, C: ALL, L: OWN},
    ("partnerships.partnerrole", "delete"): {A: ALL, C: ALL, L: OWN},
    ("partnerships.headline", "view"): EVERYONE,
    ("partnerships.headline", "add"): {A: ALL, C: ALL, L: OWN},
    ("partnerships.headline", "change"): {A: ALL, C: ALL, L: OWN},
    ("partnerships.headline", "delete"): {A: ALL, C: ALL, L: OWN},
    ("organisations.organisation", "view"): EVERYONE,
    ("organisations.organisation", "add"): REGISTER_KEEPERS,
    ("organisations.organisation", "change"): REGISTER_KEEPERS,
    ("organisations.organisation", "delete"): ADMIN_ONLY,
    ("accounts.user", "view"): ADMIN_ONLY,
    ("accounts.user", "add"): ADMIN_ONLY,
    ("accounts.user", "change"): ADMIN_ONLY,
    ("accounts.user", "set_password"): ADMIN_ONLY,
    ("accounts.user", "unlock"): ADMIN_ONLY,
    ("core.auditentry", "view"): {A: ALL, U: ALL},
    ("agreements.agreement", "view"): EVERYONE,
    ("agreements.agreement", "add"): {A: ALL, C: ALL, L: OWN},
    ("agreements.agreement", "change"): {A: ALL, C: ALL, L: OWN},
    # Lifecycle steps (send for comment, approve, sign, bring into force, vary, supersede, end):
    # who may ask; agreements.lifecycle decides whether the step is allowed at all.
    ("agreements.agreement", "transition"): {A: ALL, C: ALL, L: OWN},
    # Agreement documents may be commercially sensitive: leads see those of their own partnerships.
    ("agreements.agreementdocument", "view"): {A: ALL, C: ALL, L: OWN, E: ALL, B: ALL, U: ALL},
    ("agreements.agreementdocument", "add"): {A: ALL, C: ALL, L: OWN},
}
# Risk profiles: everyone reads them; the register's keepers and a partnership's own leads
# change its risks, their further actions and its "no significant risk" records. A risk is
# closed, never deleted (it stays in the history). Only the administrator edits the matrix.
RIGHTS[("risks.risk", "view")] = EVERYONE
for _action in ("add", "change", "close"):
    RIGHTS[("risks.risk", _action)] = {A: ALL, C: ALL, L: OWN}
RIGHTS[("risks.riskaction", "view")] = EVERYONE
RIGHTS[("risks.nosignificantrisk", "view")] = EVERYONE
for _action in ("add", "change", "delete"):
    RIGHTS[("risks.riskaction", _action)] = {A: ALL, C: ALL, L: OWN}
for _action in ("add", "delete"):
    RIGHTS[("risks.nosignificantrisk", _action)] = {A: ALL, C: ALL, L: OWN}
RIGHTS[("risks.riskmatrix", "view")] = ADMIN_ONLY
RIGHTS[("risks.riskmatrix", "change")] = ADMIN_ONLY
# Information governance: everyone who reads the register reads IG status and the IG gaps page;
# a partnership's own leads, the coordinator and administrators record its IG items. IG documents
# are seen like agreement documents (leads only those of their own partnerships). The
# requirements matrix is the administrator's alone.
RIGHTS[("assurance.igitem", "view")] = EVERYONE
for _action in ("add", "change"):
    RIGHTS[("assurance.igitem", _action)] = {A: ALL, C: ALL, L: OWN}
RIGHTS[("assurance.igdocument", "view")] = {A: ALL, C: ALL, L: OWN, E: ALL, B: ALL, U: ALL}
RIGHTS[("assurance.igdocument", "add")] = {A: ALL, C: ALL, L: OWN}
RIGHTS[("assurance.igrequirement", "view")] = ADMIN_ONLY
RIGHTS[("assurance.igrequirement", "change")] = ADMIN_ONLY
for _label in ("agreementparty", "consultation", "scopeitem", "milestone", "indicator"):
    RIGHTS[(f"agreements.{_label}", "view")] = EVERYONE
    for _action in ("add", "change", "delete"):
        RIGHTS[(f"agreements.{_label}", _action)] = {A: ALL, C: ALL, L: OWN}
for _label in ("core.strategicobjective", "core.bafrisktheme", "core.servicearea", "core.tierthresholds"):
    for _action in ("view", "add", "change", "delete"):
        RIGHTS[(_label, _action)] = ADMIN_ONLY
# The register's keepers add a directorate a register they import names; the list itself (its
# pages: edit, retire, delete) stays the administrator's.
RIGHTS[("core.servicearea", "add_from_import")] = REGISTER_KEEPERS
RIGHTS[("core.tierthresholds", "add")] = {}
RIGHTS[("core.tierthresholds", "delete")] = {}


def _label(model_or_obj):
    return model_or_obj._meta.label_lower


def grant(user, action, model):
    """ALL, OWN or None: the extent of ``user``'s right to ``action`` on ``model``."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return RIGHTS.get((_label(model), action), {}).get(user.role)


def scope(user, action, queryset):
    """The part of ``queryset`` the user may ``action``: all of it, their own, or none."""
    extent = grant(user, action, queryset.model)
    if extent == ALL:
        return queryset
    if extent == OWN:
        return queryset.owned_by(user)
    return queryset.none()


def permitted(user, action, obj_or_model):
    """May ``user`` do ``action`` to this object (or to the model in general)?"""
    extent = grant(user, action, obj_or_model)
    if extent is None:
        return False
    if extent == ALL or isinstance(obj_or_model, type):
        return True
    model = type(obj_or_model)
    return model._default_manager.owned_by(user).filter(pk=obj_or_model.pk).exists()


def require(user, action, obj_or_model):
    """Raise 403 unless permitted (use after the object was found in the user's view scope)."""
    if not permitted(user, action, obj_or_model):
        raise PermissionDenied


def get_visible_or_404(user, queryset, **lookup):
    """The object if the user may see it; 404 otherwise, so its existence is not disclosed."""
    obj = scope(user, "view", queryset).filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj

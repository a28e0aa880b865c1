"""Who may do what: one table of role rights, and object access as queryset filters.

A right is either granted for every object (``ALL``) or only for the objects the user is
responsible for (``OWN``); the model's queryset decides what "own" means through its
``owned_by(user)`` method (a partnership lead's own partnerships, for example). Pages, exports
and commands all ask :func:`permitted` / :func:`scope`, so a URL typed by hand gets the same
answer as a button.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from core.roles import Role

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
KEEPERS_AND_OWN_LEADS = {A: ALL, C: ALL, L: OWN}
ADMIN_ONLY = {A: ALL}

# (model label, action) -> {role: ALL | OWN}. Anything absent is refused. Each app adds its own
# rows from its AppConfig.ready (``core.registry.rights``); ``core`` adds those of its models.
RIGHTS = {}


class ConflictingRight(Exception):
    """Two registrations give the same (model, action) different rights."""


def add_rights(table):
    """Add an app's rows to ``RIGHTS``; the same row twice is fine, a different one is refused."""
    for key, extents in table.items():
        if key in RIGHTS and RIGHTS[key] != extents:
            raise ConflictingRight(f"{key} is already granted as {RIGHTS[key]}, not {extents}")
        RIGHTS[key] = dict(extents)


def _label(model_or_obj):
    """ "app_label.modelname" of a model, an object of it, or that label itself."""
    return model_or_obj if isinstance(model_or_obj, str) else model_or_obj._meta.label_lower


def rows(labels, actions, extents):
    """The same extents for every (label, action): a compact way to write an app's rights."""
    return {(label, action): extents for label in labels for action in actions}


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
    """May ``user`` do ``action`` to this object (or to the model, or model label, in general)?"""
    extent = grant(user, action, obj_or_model)
    if extent is None:
        return False
    if extent == ALL or isinstance(obj_or_model, (type, str)):
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

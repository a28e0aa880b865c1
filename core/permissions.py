"""Who may do what: one table of role rights, and object access as queryset filters.

A right is granted for every object (``ALL``), only for the objects the user is responsible
for (``OWN``), or only for those of the partnerships the user's organisation is a party to
(``PARTY``, for partner contributors); the model's queryset decides what each means through its
``owned_by(user)`` and ``party_to(user)`` methods (a partnership lead's own partnerships, a
partner organisation's partnerships). Pages, exports
and commands all ask :func:`permitted` / :func:`scope`, so a URL typed by hand gets the same
answer as a button.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from core.roles import Role

ALL = "all"
OWN = "own"
PARTY = "party"
LIMITED = {OWN: "owned_by", PARTY: "party_to"}  # an extent short of ALL -> the queryset method

A, C, L, E, B, U, P = (
    Role.ADMINISTRATOR,
    Role.COORDINATOR,
    Role.LEAD,
    Role.EXECUTIVE,
    Role.BOARD_MEMBER,
    Role.AUDITOR,
    Role.PARTNER_CONTRIBUTOR,
)
# Everyone in the trust; partner contributors are outside it and get only what names them.
EVERYONE = {A: ALL, C: ALL, L: ALL, E: ALL, B: ALL, U: ALL}
EVERYONE_AND_PARTNERS = {**EVERYONE, P: PARTY}  # partners: their organisation's partnerships only
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
    """ALL, OWN, PARTY or None: the extent of ``user``'s right to ``action`` on ``model``."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return RIGHTS.get((_label(model), action), {}).get(user.role)


def scope(user, action, queryset):
    """The part of ``queryset`` the user may ``action``: all of it, their own, or none."""
    extent = grant(user, action, queryset.model)
    if extent == ALL:
        return queryset
    if extent in LIMITED:
        return getattr(queryset, LIMITED[extent])(user)
    return queryset.none()


def scope_through(user, action, queryset, lookup, related):
    """``queryset`` narrowed to the rows whose ``lookup`` is one of the ``related`` records the user
    may ``action``. Left as it is when they may act on every one of them: an ``IN`` over the whole
    related table selects nothing out, yet made the database read it all (the work queue's counts)."""
    if grant(user, action, related.model) == ALL and not related.query.has_filters():
        return queryset
    return queryset.filter(**{f"{lookup}__in": scope(user, action, related).values("pk")})


def permitted(user, action, obj_or_model):
    """May ``user`` do ``action`` to this object (or to the model, or model label, in general)?"""
    extent = grant(user, action, obj_or_model)
    if extent is None:
        return False
    if extent == ALL or isinstance(obj_or_model, (type, str)):
        return True
    mine = getattr(type(obj_or_model)._default_manager, LIMITED[extent])(user)
    return mine.filter(pk=obj_or_model.pk).exists()


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

"""A record's version, so that no save silently overwrites somebody else's change.

A version is a fingerprint of what is stored: every field the audit trail records, the links of
its many-to-many fields included (as the linked records' ids), but not the timestamps that saving
alone moves. It is derived, never stored, so every path that writes (a page, the import, a
command, the shell) moves it without having to remember to, and a change to a child (a new
headline) leaves its partnership's version as it was. (Not to be confused with an agreement's
version number or a document's: those are versions of the paper, this is of the database row.)

An edit page carries, in a hidden field, a signed *token* of the values it showed; the save reads
the record again under a row lock and refuses to write when its version is no longer the one in
the token. The token's values let the page show what changed meanwhile, field by field. An API
uses the same two functions: :func:`record_version` for an ETag, :func:`check_version` for
If-Match.
"""

import copy
import datetime
import hashlib
import json
from dataclasses import dataclass

from django.core import signing
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from core.audit import recorded_fields, registered_models, registration

VERSION_FIELD = "record_version"
_SALT = "accord.record-version"


class StaleVersion(Exception):
    """The record is no longer at the version the writer read (or the writer did not say which)."""


def _json_ready(value):
    if isinstance(value, FieldFile):  # a stored file (an issued report's PDF): its name
        value = value.name
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def record_values(record):
    """{field name: stored value} of ``record``, ready for JSON: a link as the linked record's id,
    a many-to-many field as the sorted ids it links to, a secret (a password hash) as a digest of it."""
    model = type(record)
    if model not in registered_models():  # a record never edited, only read (an audit entry)
        return {f.name: _json_ready(f.value_from_object(record)) for f in model._meta.concrete_fields}
    reg = registration(model)
    values = {}
    for f in recorded_fields(model):
        value = f.value_from_object(record)
        if f.name in reg.sensitive:
            value = hashlib.sha256(str(value).encode()).hexdigest() if value else ""
        values[f.name] = _json_ready(value)
    for name in reg.m2m:
        values[name] = sorted(linked.pk for linked in getattr(record, name).all())
    return values


def record_as(record, values):
    """An unsaved copy of ``record`` holding the stored ``values`` (from :func:`record_values`):
    the record as it was, to show it so. Its many-to-many links are not set (they are the ids in
    ``values``); nor are secrets, of which ``values`` holds only a digest."""
    model = type(record)
    sensitive = registration(model).sensitive
    earlier = copy.copy(record)
    earlier._state.fields_cache = {}
    earlier.__dict__.pop("_prefetched_objects_cache", None)
    for f in recorded_fields(model):
        if f.name in values and f.name not in sensitive:
            setattr(earlier, f.attname, f.to_python(values[f.name]))
    return earlier


def values_version(values):
    """The version of a set of stored values: the same values always give the same version."""
    canonical = json.dumps(values, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:32]


def record_version(record):
    """The version of ``record`` as it is stored: what an ETag would carry."""
    return values_version(record_values(record))


def check_values(values, version):
    """Refuse (:class:`StaleVersion`) unless ``values`` are still at ``version``."""
    if version is None or values_version(values) != version:
        raise StaleVersion


def check_version(record, version):
    """Refuse (:class:`StaleVersion`) a write to ``record`` unless it is still at ``version``.

    ``record`` must have been read after :func:`lock`, in the write's transaction, so that nobody
    can change it between this check and the write.
    """
    check_values(record_values(record), version)


def lock(queryset):
    """Hold the rows of ``queryset`` until the transaction ends; a writer that locks them first waits.

    On PostgreSQL this is ``SELECT … FOR UPDATE``. SQLite has no row locks: there, writers are
    serialised by the database itself (one writing transaction at a time), and a read made inside
    the write's transaction sees the last committed write.
    """
    list(queryset.select_for_update().values_list("pk", flat=True))


def lock_record(record):
    lock(type(record)._base_manager.filter(pk=record.pk))


# --- the token an edit page carries --------------------------------------------------------------


@dataclass(frozen=True)
class Opened:
    """What a page showed when it was opened: the stored values, and when."""

    values: dict
    at: datetime.datetime

    @property
    def version(self):
        return values_version(self.values)


def record_key(record):
    """What a token is bound to, so that one record's token is worthless on another's page."""
    return f"{record._meta.label_lower}:{record.pk}"


def make_token(key, values):
    """A signed token of ``values`` as read now, for a hidden field of the page about ``key``."""
    return signing.dumps({"values": values, "at": timezone.now().timestamp()}, salt=f"{_SALT}:{key}", compress=True)


def read_token(key, token):
    """The :class:`Opened` a token stands for, or ``None`` when it is missing, altered or another page's."""
    try:
        data = signing.loads(token or "", salt=f"{_SALT}:{key}")
        return Opened(values=data["values"], at=datetime.datetime.fromtimestamp(data["at"], tz=datetime.UTC))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def record_token(record, values=None):
    """The token of ``record`` as stored now (its ``values`` when already read): what its edit page carries."""
    return make_token(record_key(record), record_values(record) if values is None else values)


def read_record_token(record, token):
    """What the edit page of ``record`` showed, from the token it sent back (``None``: not known)."""
    return read_token(record_key(record), token)


# --- a page that edits many rows at once -------------------------------------------------------------


class ChangedMeanwhile(StaleVersion):
    """Rows of a many-row page that someone else changed, after it was opened, to something other
    than what the user now sends: ``conflicts`` {key: (as opened, as stored now, the user's)};
    ``moved`` the keys that changed meanwhile but that the user left as they were (their current
    value stands and should be shown); ``opened`` is ``None`` when the page did not say what it
    showed (an old page, a request not made by the page)."""

    def __init__(self, conflicts, moved, opened):
        super().__init__("changed since the page was opened")
        self.conflicts, self.moved, self.opened = conflicts, moved, opened


def rows_to_write(opened, now, yours):
    """The keys of ``yours`` to write, on a page that edits many rows at once (a questionnaire's
    answers): a row the user left as the page showed it is not written, so that somebody else's
    change to it stands; a row the user changed is written unless somebody else changed it to
    something else meanwhile, which is refused (:class:`ChangedMeanwhile`), nothing written.

    ``opened`` is what the page showed ({key: value}, from its token; ``None`` when not known: then
    every change is refused, since it cannot be told from somebody else's), ``now`` is the rows as
    stored, read under the write's lock, and ``yours`` the user's values.
    """
    write, conflicts, moved = [], {}, []
    for key, mine in yours.items():
        stored = now.get(key)
        if opened is None:
            if mine != stored:
                conflicts[key] = (None, stored, mine)
            continue
        shown = opened.get(key, stored)
        if mine == shown:
            if stored != shown:
                moved.append(key)
        elif stored in (shown, mine):
            if stored != mine:
                write.append(key)
        else:
            conflicts[key] = (shown, stored, mine)
    if conflicts:
        raise ChangedMeanwhile(conflicts, moved, opened)
    return write

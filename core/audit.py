"""The append-only audit trail: every create, update and delete of every registered model.

Writes are captured by model signals, so pages, importers, commands and the shell are all
covered; bulk paths (the register import) call :func:`record_bulk` explicitly. Who made the
change comes from the :func:`audit_context` the caller opened (the middleware opens one per
request). Each model registers once, naming its parent so that a partner role or a headline
change shows in its partnership's history.
"""

import contextlib
import contextvars
import datetime
import uuid
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import partial

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connections, models, router
from django.db.models import prefetch_related_objects
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.utils import timezone
from django.utils.formats import date_format

from core.money import pounds
from core.nhs_number import contains_nhs_number
from core.signals import bulk_created
from core.validators import NHS_NUMBER_MESSAGE

REDACTED = "(changed, not shown)"
HIDDEN = "(not shown)"


@dataclass(frozen=True)
class AuditContext:
    user: object = None
    source: str = "system"
    request_id: uuid.UUID = field(default_factory=uuid.uuid4)
    token: object = None  # the API token the change came through (``accounts.ApiToken``), if any


_context = contextvars.ContextVar("accord_audit_context", default=None)


@contextlib.contextmanager
def audit_context(user=None, source="system", token=None):
    """Attribute every change made inside the block to ``user`` and one request id (and to the
    API ``token`` it came through)."""
    token = _context.set(AuditContext(user=user, source=source, token=token))
    try:
        yield _context.get()
    finally:
        _context.reset(token)


def current_context():
    """The open context, or a fresh "system" one (its own request id) outside any block."""
    return _context.get() or AuditContext()


@dataclass
class Registration:
    model: type
    parent: str | None
    exclude: frozenset
    sensitive: frozenset
    m2m: tuple
    codes: frozenset = frozenset()


_registry: dict[type, Registration] = {}


def register(model, parent=None, exclude=(), sensitive=(), codes=()):
    """Audit ``model``. ``parent`` names the foreign key whose history should show its changes.

    ``codes`` names text fields that hold machine-made codes, not anyone's words (a checksum):
    they are audited like any other but not searched for NHS numbers, which a long run of hex
    digits can resemble by chance.
    """
    m2m = tuple(f.name for f in model._meta.many_to_many if f.name not in exclude)
    _registry[model] = Registration(model, parent, frozenset(exclude), frozenset(sensitive), m2m, frozenset(codes))
    uid = f"audit-{model._meta.label}"
    pre_save.connect(_before_save, sender=model, dispatch_uid=f"{uid}-pre")
    post_save.connect(_after_save, sender=model, dispatch_uid=f"{uid}-post")
    pre_delete.connect(_before_delete, sender=model, dispatch_uid=f"{uid}-predel")
    post_delete.connect(_after_delete, sender=model, dispatch_uid=f"{uid}-del")
    for name in m2m:
        through = model._meta.get_field(name).remote_field.through
        m2m_changed.connect(_m2m_changed, sender=through, dispatch_uid=f"{uid}-{name}-m2m")


def registered_models():
    return set(_registry)


def parent_field(model):
    """The name of the foreign key whose history shows ``model``'s changes, or ``None``."""
    registration = _registry.get(model)
    return registration.parent if registration else None


def is_audited(model):
    return model in _registry


def _display(value):
    # A JSON field's value stays JSON, so that it compares as data: PostgreSQL's jsonb reorders the
    # keys of an object, which would make its text differ when nothing changed.
    if value is None or isinstance(value, (bool, int, str, list, dict)):
        return value
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return str(value)


def registration(model):
    """How ``model`` is audited: its parent, excluded and sensitive fields, many-to-many fields."""
    return _registry[model]


def recorded_fields(model):
    """The concrete fields that make up a record of ``model``: not its id, not the fields it
    excludes, not the timestamps that saving alone moves (``updated_at``)."""
    reg = _registry[model]
    return [
        f
        for f in model._meta.concrete_fields
        if not (
            f.primary_key or f.name in reg.exclude or getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        )
    ]


def readable(model_field, value):
    """A snapshot's value as the pages show it: "6 Dec 2026", "6 Dec 2026 14:05", "£1,234", "Yes".

    Snapshots keep dates as ISO text and amounts as plain numbers, exact for the audit export;
    pages read them in the trust's formats. ``model_field`` is the field the value was taken from,
    or ``None`` when the model no longer has it (the value is then shown as stored). Every
    decimal field in Accord is an amount in pounds (annual values, tier thresholds).
    """
    if value in (None, "", []):
        return None
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if model_field is None or not isinstance(value, str):
        return value
    try:
        if isinstance(model_field, models.DateTimeField):
            moment = datetime.datetime.fromisoformat(value)
            return date_format(timezone.localtime(moment) if timezone.is_aware(moment) else moment, "j M Y H:i")
        if isinstance(model_field, models.DateField):
            return date_format(datetime.date.fromisoformat(value), "j M Y")
        if isinstance(model_field, models.DecimalField):
            return pounds(Decimal(value))
    except (ValueError, InvalidOperation):
        return value  # a placeholder such as "(changed, not shown)", or a value from before a change of type
    if model_field.choices:
        return dict(model_field.flatchoices).get(value, value)
    return value


_SNAPSHOT_PLANS = {}  # model -> (its registration, [(field, kind, choice labels)]), worked out once


def _snapshot_plan(model):
    reg = _registry[model]
    cached = _SNAPSHOT_PLANS.get(model)
    if cached is None or cached[0] is not reg:
        plan = []
        for f in recorded_fields(model):
            if f.name in reg.sensitive:
                plan.append((f, "sensitive", None))
            elif f.is_relation:
                plan.append((f, "link", None))
            elif f.choices:
                plan.append((f, "choice", dict(f.flatchoices)))
            else:
                plan.append((f, "value", None))
        cached = _SNAPSHOT_PLANS[model] = (reg, plan)
    return cached[1]


def snapshot(instance):
    """A JSON-ready picture of ``instance``: labels for links, readable names for choices."""
    data = {}
    for f, kind, labels in _snapshot_plan(type(instance)):
        if kind == "link":
            related = getattr(instance, f.name)
            data[f.name] = str(related) if related is not None else None
            continue
        raw = f.value_from_object(instance)
        if kind == "sensitive":
            data[f.name] = REDACTED if raw else ""
        elif kind == "choice":
            data[f.name] = labels.get(raw, raw) if raw not in (None, "") else raw
        else:
            data[f.name] = _display(raw)
    return data


def _m2m_labels(instance, name):
    if instance.pk is None:
        return []
    return sorted(str(o) for o in getattr(instance, name).all())


def guard_free_text(instance):
    """Refuse to save any text field holding a valid NHS number (defence below the forms)."""
    reg = _registry[type(instance)]
    for f in instance._meta.concrete_fields:
        if not isinstance(f, (models.CharField, models.TextField)) or f.name in reg.sensitive | reg.codes:
            continue
        if contains_nhs_number(f.value_from_object(instance)):
            raise ValidationError({f.name: NHS_NUMBER_MESSAGE}, code="nhs_number")


def _parent_of(instance):
    reg = _registry[type(instance)]
    if not reg.parent:
        return None
    return getattr(instance, reg.parent, None)


def _entry(instance, action, before, after, changed, label=None):
    from core.models import AuditEntry

    return AuditEntry(**_entry_values(instance, action, before, after, changed, label))


class _Common(dict):
    """What a batch of entries shares (the context, the user, each model's content type): read once."""

    def __init__(self):
        ctx = current_context()
        user = ctx.user if getattr(ctx.user, "pk", None) else None
        super().__init__(
            user_id=user.pk if user else None,
            user_name=str(user) if user else "system",
            request_id=ctx.request_id,
            source=ctx.source,
            token_id=getattr(ctx.token, "pk", None),
            token_name=str(ctx.token)[:120] if ctx.token is not None else None,
        )
        self.types = {}

    def type_id(self, model):
        if model not in self.types:
            self.types[model] = ContentType.objects.get_for_model(model).pk
        return self.types[model]


def _entry_values(instance, action, before, after, changed, label=None, common=None):
    """An audit entry's values by column (``attname``), without building the model (bulk paths:
    ``common`` is their :class:`_Common`)."""
    common = common if common is not None else _Common()
    parent = _parent_of(instance)
    return {
        **common,
        "action": action,
        "object_type_id": common.type_id(type(instance)),
        "object_id": instance.pk,
        "object_label": (label or str(instance))[:300],
        "parent_type_id": common.type_id(type(parent)) if parent is not None else None,
        "parent_id": parent.pk if parent is not None else None,
        "parent_label": str(parent)[:300] if parent is not None else "",
        "changed_fields": changed,
        "before": before,
        "after": after,
    }


def _before_save(sender, instance, raw=False, update_fields=None, **kwargs):
    guard_free_text(instance)
    instance._audit_before = None
    instance._audit_sensitive_changed = set()
    if raw or instance._state.adding or instance.pk is None:
        return
    fks = [f.name for f in sender._meta.concrete_fields if f.is_relation]
    old = sender._base_manager.select_related(*fks).filter(pk=instance.pk).first()
    instance._audit_before = snapshot(old) if old is not None else None
    # Snapshots redact sensitive fields, so a change to one (a new password hash) is detected
    # here, on the raw values, which are kept in memory only and never written to the entry.
    if old is not None:
        saved = _registry[sender].sensitive if update_fields is None else _registry[sender].sensitive & update_fields
        instance._audit_sensitive_changed = {name for name in saved if getattr(old, name) != getattr(instance, name)}


def _after_save(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    after = snapshot(instance)
    before = getattr(instance, "_audit_before", None)
    if created or before is None:
        _entry(instance, "create", None, after, sorted(k for k, v in after.items() if v not in (None, "", []))).save()
        return
    sensitive_changed = getattr(instance, "_audit_sensitive_changed", set())
    for name in sensitive_changed:
        before[name] = HIDDEN
    changed = [k for k in after if before.get(k) != after.get(k) or k in sensitive_changed]
    if changed:
        _entry(instance, "update", before, after, changed).save()


def _before_delete(sender, instance, **kwargs):
    before = snapshot(instance)
    for name in _registry[sender].m2m:
        before[name] = _m2m_labels(instance, name)
    instance._audit_delete = (before, str(instance))


def _after_delete(sender, instance, **kwargs):
    before, label = getattr(instance, "_audit_delete", (snapshot(instance), str(instance)))
    _entry(instance, "delete", before, None, sorted(before), label=label).save()


def _m2m_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if reverse:
        _m2m_changed_from_other_side(sender, instance, action, model, pk_set)
        return
    if type(instance) not in _registry:
        return
    name = next(f.name for f in type(instance)._meta.many_to_many if f.remote_field.through is sender)
    if action.startswith("pre_"):
        instance.__dict__.setdefault("_audit_m2m", {})[name] = _m2m_labels(instance, name)
        return
    before = instance.__dict__.get("_audit_m2m", {}).pop(name, None)
    after = _m2m_labels(instance, name)
    if before is not None and before != after:
        _entry(instance, "update", {name: before}, {name: after}, [name]).save()


def _m2m_changed_from_other_side(sender, instance, action, model, pk_set):
    """``user.delegated_partnerships.add(p)`` changes p's delegates: audit it on each record changed."""
    if model not in _registry:
        return
    name = next(f.name for f in model._meta.many_to_many if f.remote_field.through is sender)
    key = f"_audit_m2m_other_side_{name}"
    if action.startswith("pre_"):
        records = model._base_manager.filter(**{name: instance} if pk_set is None else {"pk__in": pk_set})
        instance.__dict__[key] = [(record, _m2m_labels(record, name)) for record in records]
        return
    for record, before in instance.__dict__.pop(key, []):
        after = _m2m_labels(record, name)
        if before != after:
            _entry(record, "update", {name: before}, {name: after}, [name]).save()


def record_bulk(instances, action="create", extra=None):
    """Audit objects written with ``bulk_create`` (signals do not fire for those).

    ``extra(obj)``, when given, returns values to add to that object's "after" snapshot: what
    ``bulk_create`` cannot write itself, such as the labels of a new record's many-to-many links.
    """

    instances = list(instances)
    prefetch_links(instances)
    common = _Common()
    entries = []
    for obj in instances:
        after = snapshot(obj)
        if extra is not None:
            after.update(extra(obj))
        entries.append(
            _entry_values(
                obj, action, None, after, sorted(k for k, v in after.items() if v not in (None, "", [])), common=common
            )
        )
    insert_entries(entries)
    if action == "create" and instances:
        bulk_created.send(sender=type(instances[0]), instances=instances)


def insert_entries(entries, batch_size=2000):
    """Insert audit entries (their values by column, :func:`_entry_values`) as ``bulk_create``
    would, without building a model and its SQL per row: an import writes tens of thousands, and
    the ORM's insert compiler cost more than the database."""
    from core.models import AuditEntry

    if not entries:
        return
    connection = connections[router.db_for_write(AuditEntry)]
    fields = [f for f in AuditEntry._meta.concrete_fields if not f.primary_key]
    defaults = {f.attname: f.get_default() for f in fields if f.attname not in entries[0]}
    quote = connection.ops.quote_name
    # The table and columns are the model's own, quoted; the values are parameters.
    table = quote(AuditEntry._meta.db_table)
    columns = ", ".join(quote(f.column) for f in fields)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
    # Text, whole numbers and ids go to the database as they are; the rest through their field.
    plain = (models.CharField, models.BigIntegerField, models.ForeignKey)
    prepare = [
        (
            f.attname,
            None if isinstance(f, plain) and not f.choices else partial(f.get_db_prep_save, connection=connection),
        )
        for f in fields
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(entries), batch_size):
            rows = []
            for values in entries[start : start + batch_size]:
                row = []
                for name, prep in prepare:
                    value = values.get(name, defaults.get(name))
                    row.append(value if prep is None else prep(value))
                rows.append(row)
            cursor.executemany(sql, rows)


PREFETCH_CHUNK = 500


def prefetch_links(instances):
    """Read the records that ``instances`` (all of one model) link to and have not read yet, one
    query per link, so that their snapshots (which name each linked record) ask nothing per row."""
    if not instances:
        return
    model = type(instances[0])
    names = [f.name for f in recorded_fields(model) if f.is_relation and (f.many_to_one or f.one_to_one)]
    reg = _registry.get(model)
    if reg is not None and reg.parent and reg.parent not in names:
        names.append(reg.parent)
    # A chunk at a time: Django asks for the linked records as one "id = …" term per record, ORed,
    # and SQLite refuses an expression of more than 1,000 terms (2,000 derived rows, one per
    # partnership, failed to seed the benchmark).
    for start in range(0, len(instances) if names else 0, PREFETCH_CHUNK):
        prefetch_related_objects(instances[start : start + PREFETCH_CHUNK], *names)


def record_bulk_updates(changes):
    """Audit objects written with ``bulk_update``: ``changes`` is ``[(obj, its snapshot before)]``,
    each audited as its own save would have been (only the fields that changed), in one insert."""

    changes = list(changes)
    prefetch_links([obj for obj, _ in changes])
    common = _Common()
    entries = []
    for obj, before in changes:
        after = snapshot(obj)
        changed = [k for k in after if before.get(k) != after.get(k)]
        if changed:
            entries.append(_entry_values(obj, "update", before, after, changed, common=common))
    insert_entries(entries)


def record_change(instance, before, after):
    """Audit a change to ``instance`` made outside Accord's tables (an account's login lock, kept by
    django-axes); no-op when nothing changed."""
    changed = [k for k in after if before.get(k) != after.get(k)]
    if changed:
        _entry(instance, "update", {k: before.get(k) for k in changed}, {k: after[k] for k in changed}, changed).save()

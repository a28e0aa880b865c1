"""The audit trail: every model audited, every change recorded, nothing editable.

The list of models is taken from Django's app registry, so a model added to an Accord app
without registering it with ``core.audit`` (and without a row in its app's ``AUDIT`` rows,
``tests/rows.py``, saying how to create, change and delete one) fails here. Documents are only
ever added (a new version), never changed or deleted by the app: their rows say so.
"""

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from accounts.models import User
from core import audit
from core.audit import audit_context
from core.models import AppendOnlyError, AuditEntry
from core.roles import Role
from organisations.models import Organisation
from partnerships.models import Partnership
from tests.rows import collect
from tests.urls import url_patterns, view_class
from tests.world import accord_models, build_world, make_user

CHANGES = collect("AUDIT")


@pytest.fixture
def world(db):
    return build_world(everything=True)


def entries_about(obj, after_id=0):
    ct = ContentType.objects.get_for_model(type(obj))
    return list(AuditEntry.objects.filter(object_type=ct, object_id=obj.pk, id__gt=after_id).order_by("id"))


def last_entry_id():
    return AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def own_models():
    return sorted(
        (m for m in accord_models(include_auto_created=False) if m is not AuditEntry), key=lambda m: m._meta.label
    )


def test_every_model_of_accords_apps_is_audited():
    models = own_models()
    assert {m._meta.label for m in models} >= {
        "accounts.User",
        "partnerships.Partnership",
        "agreements.Agreement",
        "agreements.AgreementDocument",
    }
    assert [m._meta.label for m in models if not audit.is_audited(m)] == []
    assert audit.registered_models() == set(models)


def test_every_model_has_a_change_row():
    """So the create / update / delete test below runs for every model, new ones included."""
    assert sorted(CHANGES) == [m._meta.label for m in own_models()]


@pytest.mark.parametrize("label", sorted(CHANGES))
def test_create_update_and_delete_are_recorded(world, label):
    change = CHANGES[label]
    actor = world.user("coordinator")
    if change.prepare:
        change.prepare(world)
    start = last_entry_id()
    with audit_context(user=actor, source="test"):
        obj = change.create(world)
        created_label = updated_label = str(obj)
        obj_id = obj.pk
        if "update" in change.actions:
            setattr(obj, change.field, change.new_value)
            obj.save()
            updated_label = str(obj)
        if "delete" in change.actions:
            obj.delete()
    obj.pk = obj_id

    entries = entries_about(obj, after_id=start)
    assert [e.action for e in entries] == list(change.actions)
    for entry in entries:
        assert entry.user == actor
        assert entry.user_name == "Ben Cahill"
        assert entry.source == "test"
    if "create" in change.actions:
        create = entries[0]
        assert create.object_label == created_label
        assert create.before is None
        assert create.after[change.field] == change.shown_before
        assert change.field in create.changed_fields or change.shown_before in (None, "")

    if "update" in change.actions:
        update = entries[change.actions.index("update")]
        assert update.object_label == updated_label
        assert update.changed_fields == [change.field]
        assert update.before[change.field] == change.shown_before
        assert update.after[change.field] == change.shown_after

    if "delete" in change.actions:
        delete = entries[-1]
        assert delete.object_label == updated_label
        assert delete.after is None
        last_shown = change.shown_after if "update" in change.actions else change.shown_before
        assert delete.before[change.field] == last_shown

    if change.parent:
        parent = change.parent(world)
        for entry in entries:
            assert (entry.parent_type.model_class(), entry.parent_id, entry.parent_label) == (
                type(parent),
                parent.pk,
                str(parent),
            )


def partnership_children():
    """Every audited model whose parent (``audit.register(..., parent=...)``) is a partnership."""

    return sorted(
        label
        for label in CHANGES
        if (parent := audit.parent_field(apps.get_model(label)))
        and apps.get_model(label)._meta.get_field(parent).related_model is Partnership
    )


@pytest.mark.parametrize("label", partnership_children())
def test_a_childs_changes_show_in_its_partnerships_history(client, world, label):
    change = CHANGES[label]
    with audit_context(user=world.user("owner"), source="web"):
        obj = change.create(world)
        if "update" in change.actions:
            setattr(obj, change.field, change.new_value)
            obj.save()
        shown = str(obj)
    client.force_login(world.user("auditor"))
    history = client.get(reverse("partnerships:history", args=[world.partnership.pk])).content.decode()
    other = client.get(reverse("partnerships:history", args=[world.other_partnership.pk])).content.decode()
    name = type(obj)._meta.verbose_name
    assert f"{name}: {shown}" in history
    recorded = change.shown_after if "update" in change.actions else change.shown_before
    assert str(audit.readable(type(obj)._meta.get_field(change.field), recorded)) in history
    assert shown not in other


# --- who and what survive ------------------------------------------------------------------------


def test_the_users_name_and_the_records_label_survive_their_deletion(client, world):
    temp = make_user("xsmith", role=Role.COORDINATOR, first_name="Xavier", last_name="Smith")
    with audit_context(user=temp, source="web"):
        org = Organisation.objects.create(name="Banbury Community Hub", kind="vcse")
        org.notes = "Closed in 2024"
        org.save()
        org_id = org.pk
        org.delete()
    with audit_context(user=world.user("administrator"), source="web"):
        temp.delete()
    assert not User.objects.filter(username="xsmith").exists()

    ct = ContentType.objects.get_for_model(Organisation)
    entries = AuditEntry.objects.filter(object_type=ct, object_id=org_id).order_by("id")
    assert [(e.action, e.user_name, e.object_label) for e in entries] == [
        ("create", "Xavier Smith", "Banbury Community Hub"),
        ("update", "Xavier Smith", "Banbury Community Hub"),
        ("delete", "Xavier Smith", "Banbury Community Hub"),
    ]
    user_deleted = AuditEntry.objects.get(object_type=ContentType.objects.get_for_model(User), action="delete")
    assert user_deleted.object_label == "Xavier Smith"

    client.force_login(world.user("auditor"))
    page = client.get(reverse("core:audit_log"), {"q": "Banbury"}).content.decode()
    assert page.count("Xavier Smith") >= 3
    assert "Banbury Community Hub" in page


# --- append-only ----------------------------------------------------------------------------------


def test_audit_entries_cannot_be_changed_or_removed_through_the_orm(world):
    entry = AuditEntry.objects.order_by("id").first()
    original = (entry.user_name, entry.object_label, entry.before, entry.after)
    entry.user_name = "Someone else"
    attempts = [
        entry.save,
        entry.delete,
        lambda: AuditEntry.objects.filter(pk=entry.pk).update(user_name="Someone else"),
        lambda: AuditEntry.objects.filter(pk=entry.pk).delete(),
        lambda: AuditEntry.objects.all().delete(),
        lambda: AuditEntry.objects.bulk_update([entry], ["user_name"]),
        lambda: AuditEntry._base_manager.filter(pk=entry.pk).delete(),
        lambda: AuditEntry._base_manager.all().update(user_name="Someone else"),
    ]
    count = AuditEntry.objects.count()
    for attempt in attempts:
        with pytest.raises(AppendOnlyError), transaction.atomic():
            attempt()
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert (entry.user_name, entry.object_label, entry.before, entry.after) == original
    assert AuditEntry.objects.count() == count


# What the database itself refuses, below the ORM. PostgreSQL's trigger refuses both; SQLite's
# refuses UPDATE (its deletes are refused by the application, see core/migrations/0002).
REFUSED_BY_THE_DATABASE = {
    "postgresql": ["UPDATE core_auditentry SET user_name = 'Someone else'", "DELETE FROM core_auditentry"],
    "sqlite": ["UPDATE core_auditentry SET user_name = 'Someone else'"],
}


def test_the_database_refuses_raw_sql_changes_to_audit_entries(world):
    assert connection.vendor in REFUSED_BY_THE_DATABASE, f"say what {connection.vendor} refuses"
    before = list(AuditEntry.objects.order_by("id").values_list("id", "user_name"))
    assert before
    for sql in REFUSED_BY_THE_DATABASE[connection.vendor]:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert list(AuditEntry.objects.order_by("id").values_list("id", "user_name")) == before


def test_no_page_offers_to_edit_or_delete_audit_entries(client, world):
    """The only page about audit entries is the log, and it answers nothing but GET."""
    audit_pages = [
        name
        for name, pattern in url_patterns()
        if view_class(pattern) is not None and getattr(view_class(pattern), "model", None) is AuditEntry
    ]
    assert audit_pages == ["core:audit_log"]
    for name in audit_pages:
        cls = view_class(url_patterns_by_name()[name])
        assert not {"post", "put", "patch", "delete"} & set(dir(cls))
    count = AuditEntry.objects.count()
    for role in ("administrator", "auditor", "coordinator"):
        client.force_login(world.user(role))
        for method in ("post", "put", "patch", "delete"):
            response = getattr(client, method)(reverse("core:audit_log"), {"user_name": "x"})
            assert response.status_code in (403, 405)
    assert AuditEntry.objects.count() == count


def url_patterns_by_name():
    return dict(url_patterns())


def test_nothing_in_the_app_purges_the_audit_trail():
    """No model's delete cascades into audit entries: their links have no database constraint."""
    for field in AuditEntry._meta.concrete_fields:
        if field.is_relation:
            assert field.db_constraint is False, field.name
            assert field.remote_field.on_delete.__name__ == "DO_NOTHING", field.name

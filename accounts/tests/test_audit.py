"""A user's audit trail: changes recorded, passwords never shown."""

import json

import pytest
from django.contrib.contenttypes.models import ContentType

from core.audit import audit_context
from core.models import AuditEntry
from core.roles import Role
from tests.world import build_world


@pytest.fixture
def world(db):
    return build_world(everything=True)


def entries_about(obj, after_id=0):
    ct = ContentType.objects.get_for_model(type(obj))
    return list(AuditEntry.objects.filter(object_type=ct, object_id=obj.pk, id__gt=after_id).order_by("id"))


def last_entry_id():
    return AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def test_user_changes_are_audited_and_passwords_never_appear(world):
    user = world.user("executive")
    with audit_context(user=world.user("administrator"), source="web"):
        user.set_password("an-entirely-new-passphrase")
        user.save()
        new_hash = user.password
        user.role = Role.BOARD_MEMBER
        user.save()
    entries = entries_about(user)
    everything = json.dumps([(e.before, e.after) for e in entries])
    assert new_hash not in everything
    assert "an-entirely-new-passphrase" not in everything
    password_change = [e for e in entries if e.changed_fields == ["password"]]
    assert len(password_change) == 1
    role_change = entries[-1]
    assert role_change.changed_fields == ["role"]
    assert (role_change.before["role"], role_change.after["role"]) == ("Executive", "Board member")

"""``tests.world.database_state``, the picture thousands of tests compare to show that a request
changed nothing: it must see any change to any row, and only changes."""

import pytest
from django.db import connection
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from core.audit import audit_context
from partnerships.models import Headline, Partnership
from tests.world import database_state

pytestmark = pytest.mark.django_db


def test_nothing_written_reads_the_same(world):
    assert database_state() == database_state()


def test_one_field_of_one_row_changed_is_seen_in_its_table_only(world):
    before = database_state()
    partnership = Partnership.objects.order_by("pk").first()
    Partnership.objects.filter(pk=partnership.pk).update(title=partnership.title + ".")
    after = database_state()
    assert after != before
    assert [label for label in before if before[label] != after[label]] == ["partnerships.Partnership"]


def test_a_row_added_or_deleted_is_seen(world):
    before = database_state()
    with audit_context(source="test"):
        headline = Headline.objects.create(
            partnership=Partnership.objects.order_by("pk").first(), text="A new headline", date=timezone.localdate()
        )
    added = database_state()
    assert {label for label in before if before[label] != added[label]} == {"partnerships.Headline", "core.AuditEntry"}
    Headline.objects.filter(pk=headline.pk)._raw_delete(Headline.objects.db)
    deleted = database_state()
    assert [label for label in added if added[label] != deleted[label]] == ["partnerships.Headline"]


def test_a_change_to_a_user_is_seen(world):
    before = database_state()
    User.objects.filter(pk=world.user("owner").pk).update(first_name="Changed")
    assert database_state() != before


def test_a_write_of_the_values_already_stored(world):
    """Seen on PostgreSQL, which counts the writes of the test's transaction; not on SQLite, which
    compares every row: either way a request that changes something is caught."""
    before = database_state()
    Partnership.objects.filter(pk=world.partnership.pk).update(title=F("title"))
    assert (database_state() != before) == (connection.vendor == "postgresql")


def test_signing_in_is_not_a_change(world, client):
    before = database_state()
    client.force_login(world.user("coordinator"))
    assert database_state() == before

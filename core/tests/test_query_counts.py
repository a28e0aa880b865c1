"""The audit log costs the same number of queries however many entries it holds."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry
from core.roles import Role
from organisations.models import Organisation
from partnerships.models import Headline, PartnerRole, Partnership
from tests.counting import PAGE_SIZE, measure, table_rows
from tests.world import make_user


def add_audit_entries(total, users):
    """Real entries of several kinds, by several people (bulk-inserted: the log only reads them)."""
    kinds = [ContentType.objects.get_for_model(m) for m in (Partnership, Organisation, PartnerRole, Headline)]
    start = AuditEntry.objects.count()
    AuditEntry.objects.bulk_create(
        AuditEntry(
            timestamp=timezone.now() - datetime.timedelta(hours=i),
            user=users[i % len(users)],
            user_name=str(users[i % len(users)]),
            action=["create", "update", "delete"][i % 3],
            object_type=kinds[i % len(kinds)],
            object_id=i,
            object_label=f"Record {i:04d}",
            changed_fields=["title"],
            before={"title": "Old"},
            after={"title": "New"},
        )
        for i in range(start, total)
    )


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (lambda u: {}, lambda u: AuditEntry.objects.all()),
        (lambda u: {"action": "update", "sort": "user_name"}, lambda u: AuditEntry.objects.filter(action="update")),
        (
            lambda u: {
                "object_type": ContentType.objects.get_for_model(Headline).pk,
                "user_name": "Lead1",
                "sort": "-object_label",
            },
            lambda u: AuditEntry.objects.filter(object_type__model="headline", user_name__contains="Lead1"),
        ),
    ],
    ids=["everything", "action, sorted by user", "kind and user, sorted by record"],
)
def test_the_audit_log_costs_the_same_for_10_and_200_entries(client, db, params, expected):
    users = [make_user(f"lead{i}", role=Role.LEAD, first_name=f"Lead{i}", last_name="Person") for i in range(3)]
    client.force_login(make_user("auditor", role=Role.AUDITOR))
    url = reverse("core:audit_log")
    counts = []
    for size in (10, 200):
        add_audit_entries(size, users)
        assert AuditEntry.objects.count() == size
        queries, response = measure(client, url, params(users))
        matching = expected(users).count()
        assert matching > 0
        assert table_rows(response) == min(matching, PAGE_SIZE)
        counts.append(queries)
    assert counts[0] == counts[1]

"""The auditor's global audit log: filters, exports, dates."""

import datetime
import json
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from core.audit import audit_context
from core.models import AuditEntry
from organisations.models import Organisation
from partnerships.models import Headline
from tests.spreadsheets import is_download, read_records
from tests.world import build_world


@pytest.fixture
def world(db):
    return build_world(everything=True)


def entries_about(obj, after_id=0):
    ct = ContentType.objects.get_for_model(type(obj))
    return list(AuditEntry.objects.filter(object_type=ct, object_id=obj.pk, id__gt=after_id).order_by("id"))


def last_entry_id():
    return AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


# --- the auditor's global log -----------------------------------------------------------------------


@pytest.fixture
def activity(world):
    """Changes by three people, and two older entries, for the log's filters to pick from."""
    with audit_context(user=world.user("coordinator"), source="web"):
        world.other_partnership.title = "Talking Space Plus (Oxfordshire)"
        world.other_partnership.save()
    with audit_context(user=world.user("owner"), source="web"):
        Headline.objects.create(partnership=world.partnership, text="Recruitment on track.")
    with audit_context(user=world.user("administrator"), source="web"):
        world.spare_org.delete()
    ct = ContentType.objects.get_for_model(Organisation)
    for day, label in ((datetime.date(2023, 1, 15), "Abingdon Hub"), (datetime.date(2024, 6, 30), "Witney Hub")):
        AuditEntry.objects.create(
            timestamp=timezone.make_aware(datetime.datetime.combine(day, datetime.time(12))),
            user_name="Ben Cahill",
            action="create",
            object_type=ct,
            object_id=10_000 + day.year,
            object_label=label,
            changed_fields=["name"],
            after={"name": label},
        )
    return world


def shown_count(response):
    text = " ".join(response.content.decode().split())
    if "No audit entries match" in text:
        return 0
    return int(re.search(r"Showing \d+ to \d+ of (\d+) audit entr", text).group(1))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"user_name": "Cahill"}, lambda: AuditEntry.objects.filter(user_name="Ben Cahill")),
        ({"user_name": "clarke"}, lambda: AuditEntry.objects.filter(user_name="Anne Clarke")),
        (
            {"object_type": lambda: ContentType.objects.get_for_model(Headline).pk},
            lambda: AuditEntry.objects.filter(object_type__model="headline"),
        ),
        ({"action": "delete"}, lambda: AuditEntry.objects.filter(action="delete")),
        (
            {"date_from": "01/01/2024", "date_to": "31/12/2024"},
            lambda: AuditEntry.objects.filter(object_label="Witney Hub"),
        ),
        ({"date_to": "31/12/2023"}, lambda: AuditEntry.objects.filter(object_label="Abingdon Hub")),
        (
            {"date_from": lambda: timezone.localdate().strftime("%d/%m/%Y")},
            lambda: AuditEntry.objects.filter(timestamp__date=timezone.localdate()),
        ),
        ({"q": "P-0002"}, lambda: AuditEntry.objects.filter(object_label__startswith="P-0002 ")),
        (
            {"q": "P-0002", "user_name": "Cahill", "action": "update"},
            lambda: AuditEntry.objects.filter(
                object_label__startswith="P-0002 ", user_name="Ben Cahill", action="update"
            ),
        ),
    ],
)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_audit_log_filters_and_exports_only_the_filtered_rows(client, activity, query, expected, fmt):
    query = {k: v() if callable(v) else v for k, v in query.items()}
    wanted = list(expected().order_by("-timestamp", "-id"))
    assert wanted, "the fixture has rows for every filter"
    assert len(wanted) < AuditEntry.objects.count(), "every filter leaves some rows out"
    client.force_login(activity.user("auditor"))

    page = client.get(reverse("core:audit_log"), query)
    assert page.status_code == 200
    assert shown_count(page) == len(wanted)

    download = client.get(reverse("core:audit_log"), {**query, "export": fmt})
    assert is_download(download)
    rows = read_records(download)
    assert [(r["Record"], r["Changed by"], r["Change"]) for r in rows] == [
        (e.object_label, e.user_name, e.get_action_display()) for e in wanted
    ]


def test_the_audit_log_export_holds_before_and_after(client, activity):
    client.force_login(activity.user("administrator"))
    download = client.get(reverse("core:audit_log"), {"q": "Talking Space Plus (Oxfordshire)", "export": "csv"})
    (row,) = read_records(download)
    assert json.loads(row["Before (as recorded, JSON)"])["title"] == "Talking Space Plus"
    assert json.loads(row["After (as recorded, JSON)"])["title"] == "Talking Space Plus (Oxfordshire)"
    assert row["Fields (names as recorded)"] == "title"


def test_an_impossible_date_range_is_explained_not_ignored(client, activity):
    client.force_login(activity.user("auditor"))
    response = client.get(reverse("core:audit_log"), {"date_from": "31/12/2024", "date_to": "01/01/2024"})
    assert "The end of the period must be the same as or after its start." in response.content.decode()
    assert shown_count(response) == 0


def test_the_audit_log_spreadsheet_gives_each_change_its_local_date_and_time(client, activity):
    """Excel has no time zones: the XLSX shows the time as the trust's clocks showed it."""
    client.force_login(activity.user("auditor"))
    download = client.get(reverse("core:audit_log"), {"q": "Witney Hub", "export": "xlsx"})
    (row,) = read_records(download)
    entry = AuditEntry.objects.get(object_label="Witney Hub")
    assert row["When"] == timezone.localtime(entry.timestamp).replace(tzinfo=None)
    assert row["When"].hour == 12

"""The incidents' part of the board report: counts by type and status since the last report, and
those open too long; never an incident's summary."""

import datetime

import pytest

from incidents.models import Incident
from incidents.tests import builders as b
from tests.report_parts import assert_json_ready, assert_pure, collect_bounded, part, text_of

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2019, 10, 2)
SINCE = datetime.date(2019, 4, 24)
SUMMARY = "A tenant said a visitor was taking their money."


def recorded(p, on, kind="safeguarding", status="open", agreed_on=None):
    """An incident recorded on ``on`` in ``status`` (the services' tests check how each is reached)."""
    i = b.incident(p, kind=kind, summary=SUMMARY)
    learning = "Check visitors' identity." if agreed_on else ""
    Incident.objects.filter(pk=i.pk).update(
        recorded_on=on, status=status, learning=learning, learning_agreed_on=agreed_on
    )
    return i


@pytest.fixture
def omhp():
    p = b.partnership(partners=["Oxfordshire Mind"])
    recorded(p, datetime.date(2019, 3, 1))  # before the last report, still open: too long
    recorded(p, datetime.date(2019, 5, 1), kind="incident", status="under_review")  # too long
    recorded(p, datetime.date(2019, 9, 20))  # open 12 days
    recorded(
        p, datetime.date(2019, 6, 1), kind="serious_complaint", status="closed", agreed_on=datetime.date(2019, 7, 1)
    )
    return p


def test_collect_counts_by_type_and_status_since_the_last_report(omhp):
    data = part("incidents").collect(AS_OF, SINCE)
    assert_json_ready(data)
    assert data["reported"] == [
        {"type": "Incident", "status": "Under review", "count": 1},
        {"type": "Safeguarding concern", "status": "Open", "count": 1},
        {"type": "Serious complaint", "status": "Closed", "count": 1},
    ]
    assert (data["still_open"], data["open_too_long"], data["learning_agreed"]) == (3, 2, 1)
    assert sum(r["count"] for r in part("incidents").collect(AS_OF, None)["reported"]) == 4


def test_write_gives_counts_and_no_patient_detail(omhp):
    data = part("incidents").collect(AS_OF, SINCE)
    text = text_of(part("incidents").write(data))
    assert (
        "3 incidents, safeguarding concerns and serious complaints were reported into partnerships since 24 April 2019"
        in text
    )
    assert "3 reports are open or under review, 2 of them for more than 28 days" in text
    assert "Type | Open | Under review | Closed | Total" in text
    assert "Safeguarding concern | 1 | 0 | 0 | 1" in text
    assert SUMMARY not in text and SUMMARY not in str(data)
    assert part("incidents").summary(data) == [
        "3 incidents, safeguarding concerns and serious complaints were reported into partnerships since "
        "24 April 2019; 2 have been open more than 28 days."
    ]
    assert part("incidents").figures(data) == [("Incidents reported", "3"), ("Incidents open more than 28 days", "2")]
    assert_pure("incidents", data)


def test_nothing_reported_reads_as_such(db):
    text = text_of(part("incidents").write(part("incidents").collect(AS_OF, None)))
    assert "no incidents, safeguarding concerns and serious complaints were reported" in text.lower()
    assert "None reported." in text


def test_changes_give_the_change_in_those_open(omhp):
    before = part("incidents").collect(AS_OF, SINCE)
    Incident.objects.filter(status="under_review").update(
        status="learning_agreed", learning="Escalate sooner.", learning_agreed_on=datetime.date(2019, 10, 10)
    )
    now = part("incidents").collect(datetime.date(2019, 10, 10), AS_OF)
    assert part("incidents").changes(before, now) == [
        "Incidents open or under review: 2 (at the last report, 3).",
        "Incidents open more than 28 days: 1 (at the last report, 2).",
    ]
    assert_pure("incidents", now, before)


def test_collect_costs_the_same_whatever_the_number_of_incidents(omhp, django_assert_max_num_queries):
    def grow():
        for n in range(10):
            on = datetime.date(2019, 5, 1) + datetime.timedelta(days=n * 10)
            recorded(omhp, on, kind=("incident", "near_miss")[n % 2])

    data = collect_bounded("incidents", (AS_OF, SINCE), grow, 2, django_assert_max_num_queries)
    assert sum(r["count"] for r in data["reported"]) == 13

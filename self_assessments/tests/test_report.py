"""The self-assessments' part of the board report: where each issue of a questionnaire stands."""

import datetime

import pytest

from organisations.models import Organisation, OrganisationKind
from self_assessments import services
from self_assessments.models import Assessment, Status
from self_assessments.tests.rows import make_version
from tests.report_parts import assert_json_ready, assert_pure, collect_bounded, part, text_of

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2025, 6, 1)
SINCE = datetime.date(2025, 3, 1)


def organisations(n, start=0):
    kind = OrganisationKind.VCSE
    return [Organisation.objects.create(name=f"Partner {i}", kind=kind) for i in range(start, start + n)]


def issue(version, orgs, due, issued_on=datetime.date(2025, 2, 1)):
    return services.issue(version, orgs, due, today=issued_on)[1]


def set_status(assessment, status, accepted_on=None):
    """The state a case needs (the services' own tests check how each is reached)."""
    Assessment.objects.filter(pk=assessment.pk).update(status=status, accepted_on=accepted_on)


@pytest.fixture
def assessments():
    """Five organisations asked, due 1 May 2025: two not answering (overdue), one submitted, one
    accepted since the last report and one accepted before it."""
    made = issue(make_version(), organisations(5), datetime.date(2025, 5, 1))
    set_status(made[2], Status.SUBMITTED)
    set_status(made[3], Status.ACCEPTED, datetime.date(2025, 4, 10))
    set_status(made[4], Status.ACCEPTED, datetime.date(2025, 2, 20))
    return made


def test_collect_counts_by_issue_and_respects_since(assessments):
    data = part("self_assessments").collect(AS_OF, SINCE)
    assert_json_ready(data)
    (row,) = data["issues"]
    assert row["questionnaire"] == "Partner governance check" and row["due_date"] == "2025-05-01"
    assert [row[k] for k in ("organisations", "outstanding", "overdue", "awaiting_review", "accepted_since")] == [
        5,
        2,
        2,
        1,
        1,
    ]
    first = part("self_assessments").collect(AS_OF, None)
    assert first["issues"][0]["accepted_since"] == 2


def test_write_gives_the_figures(assessments):
    data = part("self_assessments").collect(AS_OF, SINCE)
    text = text_of(part("self_assessments").write(data))
    assert "2 partner organisations have still to submit a governance self-assessment, 2 of them past" in text
    assert "1 assessment awaits review, and 1 assessment was accepted since 1 March 2025" in text
    assert "Partner governance check | 1 February 2025 | 1 May 2025 | 5 | 2 | 2 | 1 | 1" in text
    assert part("self_assessments").summary(data) == [
        "2 partner organisations have still to submit a governance self-assessment, 2 of them past the due date."
    ]
    assert part("self_assessments").figures(data) == [
        ("Self-assessments outstanding", "2"),
        ("Self-assessments overdue", "2"),
    ]
    assert_pure("self_assessments", data)


def test_nothing_outstanding_reads_as_such(db):
    text = text_of(part("self_assessments").write(part("self_assessments").collect(AS_OF, None)))
    assert "No self-assessment is outstanding or awaiting review." in text


def test_changes_name_a_new_issue_and_the_change_in_those_overdue(assessments):
    before = part("self_assessments").collect(AS_OF, SINCE)
    set_status(assessments[0], Status.SUBMITTED)
    issue(make_version("Partner IG check"), organisations(2, start=10), datetime.date(2025, 9, 1), AS_OF)
    later = datetime.date(2025, 7, 1)
    now = part("self_assessments").collect(later, AS_OF)
    assert part("self_assessments").changes(before, now) == [
        "Self-assessment issued: Partner IG check, to 2 organisations on 1 June 2025, due 1 September 2025.",
        "Self-assessments past their due date: 1 (at the last report, 2).",
    ]
    assert_pure("self_assessments", now, before)


def test_collect_costs_the_same_whatever_the_number_of_assessments(assessments, django_assert_max_num_queries):
    def grow():
        issue(make_version("Partner IG check"), organisations(8, start=20), datetime.date(2025, 5, 20))

    data = collect_bounded("self_assessments", (AS_OF, SINCE), grow, 2, django_assert_max_num_queries)
    assert len(data["issues"]) == 2

"""The peer reviews' part of the board report: the latest round of each partnership, its ratings
counted by CQC key question, and the actions overdue."""

import datetime

import pytest

from partnerships.models import ArrangementType, Partnership, Status
from peer_reviews.models import ReviewAction, ReviewArea, ReviewRound
from tests.report_parts import assert_json_ready, assert_pure, collect_bounded, part, text_of
from tests.world import make_user

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2020, 3, 1)
SINCE = datetime.date(2019, 10, 2)


def partnership(reference):
    return Partnership.objects.create(
        reference=reference,
        title=f"Partnership {reference}",
        arrangement_type=ArrangementType.MOU,
        status=Status.ACTIVE,
    )


def review(p, title, start, end=None, areas=(("Crisis", "good", "requires_improvement"),)):
    """A round of ``p`` with ``areas`` of (name, safe, well-led) ratings."""
    r = ReviewRound.objects.create(partnership=p, title=title, start_date=start, end_date=end)
    for position, (name, safe, well_led) in enumerate(areas):
        ReviewArea.objects.create(round=r, name=name, position=position, safe=safe, well_led=well_led)
    return r


def action(r, due, owner):
    return ReviewAction.objects.create(
        area=r.areas.first(),
        key_question="well_led",
        description="Agree the escalation route",
        owner=owner,
        due_date=due,
    )


@pytest.fixture
def rounds():
    owner = make_user("anne")
    omhp = partnership("OMHP")
    review(omhp, "OMHP 2018/19", datetime.date(2018, 10, 1), datetime.date(2019, 3, 1), (("Crisis", "inadequate", ""),))
    latest = review(
        omhp,
        "OMHP October 2019",
        datetime.date(2019, 10, 1),
        datetime.date(2019, 11, 30),
        (("Crisis", "good", "requires_improvement"), ("Housing", "outstanding", "")),
    )
    action(latest, datetime.date(2020, 1, 31), owner)
    action(latest, datetime.date(2020, 6, 30), owner)
    tsp = review(partnership("TSP"), "TalkingSpace Plus 2020", datetime.date(2020, 2, 1))
    return {"latest": latest, "tsp": tsp, "owner": owner}


def test_collect_counts_the_latest_rounds_ratings_and_overdue_actions(rounds):
    data = part("peer_reviews").collect(AS_OF, SINCE)
    assert_json_ready(data)
    assert [r["title"] for r in data["rounds"]] == ["OMHP October 2019", "TalkingSpace Plus 2020"]
    assert data["ratings"]["safe"] == {
        "outstanding": 1,
        "good": 2,
        "requires_improvement": 0,
        "inadequate": 0,
        "not_rated": 0,
    }
    assert data["ratings"]["well_led"]["requires_improvement"] == 2
    assert data["ratings"]["well_led"]["not_rated"] == 1
    assert data["actions_overdue"] == 1
    earlier = part("peer_reviews").collect(datetime.date(2019, 1, 1), None)
    assert [r["title"] for r in earlier["rounds"]] == ["OMHP 2018/19"]
    assert earlier["rounds"][0]["end_date"] is None  # not yet ended on that day


def test_write_gives_the_counts_by_key_question(rounds):
    data = part("peer_reviews").collect(AS_OF, SINCE)
    text = text_of(part("peer_reviews").write(data))
    assert "The latest peer-to-peer quality review of 2 partnerships" in text
    assert "1 action following the reviews' findings is overdue" in text
    assert "Safe | 1 | 2 | 0 | 0 | 0" in text
    assert "Well-led | 0 | 0 | 2 | 0 | 1" in text
    assert "OMHP: OMHP October 2019 (started 1 October 2019, ended 30 November 2019)." in text
    assert part("peer_reviews").summary(data) == [
        "Of the 5 ratings the latest peer quality reviews gave (an operational area on a CQC key question), "
        "3 were good or outstanding."
    ]
    assert part("peer_reviews").figures(data) == [("Peer review actions overdue", "1")]
    assert_pure("peer_reviews", data)


def test_no_rounds_reads_as_such(db):
    text = text_of(part("peer_reviews").write(part("peer_reviews").collect(AS_OF, None)))
    assert "No partnership has had a peer quality review." in text


def test_changes_name_rounds_started_and_completed(rounds):
    before = part("peer_reviews").collect(AS_OF, SINCE)
    ReviewRound.objects.filter(pk=rounds["tsp"].pk).update(end_date=datetime.date(2020, 3, 20))
    review(partnership("CYP"), "CYP 2020", datetime.date(2020, 3, 10))
    action(rounds["latest"], datetime.date(2020, 3, 15), rounds["owner"])
    now = part("peer_reviews").collect(datetime.date(2020, 4, 1), AS_OF)
    assert part("peer_reviews").changes(before, now) == [
        "Peer review round started: CYP: CYP 2020 (started 10 March 2020, under way).",
        "Peer review round completed: TSP: TalkingSpace Plus 2020 (started 1 February 2020, ended 20 March 2020).",
        "Peer review actions overdue: 2 (at the last report, 1).",
    ]
    assert_pure("peer_reviews", now, before)


def test_collect_costs_the_same_whatever_the_number_of_rounds(rounds, django_assert_max_num_queries):
    def grow():
        for n in range(6):
            p = partnership(f"P{n}")
            for year in (2018, 2019):
                earlier = review(p, f"P{n} {year}", datetime.date(year, 5, 1))
                action(earlier, datetime.date(2019, 12, 1), rounds["owner"])

    data = collect_bounded("peer_reviews", (AS_OF, SINCE), grow, 3, django_assert_max_num_queries)
    assert len(data["rounds"]) == 8 and data["actions_overdue"] == 7

"""The review rounds' part of the board report: each round open or closed since the last report,
with how the leads answered."""

import datetime

import pytest

from core.audit import audit_context
from core.roles import Role
from partnerships.models import Partnership
from review_rounds import services
from review_rounds.models import Outcome, ReviewRound, ReviewTask
from tests.report_parts import assert_json_ready, assert_pure, collect_bounded, part, text_of
from tests.world import make_user

pytestmark = pytest.mark.django_db

LAUNCHED = datetime.date(2019, 5, 1)
SINCE = datetime.date(2019, 4, 24)
AS_OF = datetime.date(2019, 10, 2)


@pytest.fixture
def coordinator():
    return make_user("ben", Role.COORDINATOR, "Ben", "Cahill")


def partnerships(n, prefix):
    Partnership.objects.bulk_create(
        Partnership(reference=f"{prefix}-{i:03d}", title=f"Partnership {i}", arrangement_type="informal")
        for i in range(n)
    )
    return Partnership.objects.filter(reference__startswith=f"{prefix}-")


def launch(user, title, chosen, on=LAUNCHED):
    with audit_context(user=user, source="test"):
        return services.launch_round(title, on + datetime.timedelta(days=30), chosen, "Test", user, today=on)


def answer(review_round, outcomes):
    """Set the first tasks' outcomes (the services' tests check how each is reached)."""
    for task, (outcome, late) in zip(review_round.tasks.order_by("pk"), outcomes, strict=False):
        ReviewTask.objects.filter(pk=task.pk).update(outcome=outcome, late=late, responded_on=AS_OF)


@pytest.fixture
def spring_clean(coordinator):
    r = launch(coordinator, "Register spring clean 2019", partnerships(6, "SC"))
    answer(
        r,
        [
            (Outcome.CONFIRMED, False),
            (Outcome.CONFIRMED, False),
            (Outcome.UPDATED, False),
            (Outcome.CLOSURE_PROPOSED, False),
            (Outcome.CONFIRMED, True),
        ],
    )
    with audit_context(user=coordinator, source="test"):
        services.close_round(r, coordinator, today=datetime.date(2019, 6, 30))
    launch(coordinator, "Earlier round", partnerships(2, "OLD"), on=datetime.date(2018, 5, 1))
    ReviewRound.objects.filter(title="Earlier round").update(status="closed", closed_on=datetime.date(2018, 7, 1))
    return r


def test_collect_counts_each_rounds_answers(spring_clean):
    data = part("review_rounds").collect(AS_OF, SINCE)
    assert_json_ready(data)
    (r,) = data["rounds"]  # the 2018 round closed before the last report
    assert r["title"] == "Register spring clean 2019" and r["closed_on"] == "2019-06-30"
    assert [r[k] for k in ("total", "confirmed", "updated", "closure_proposed", "pending", "late", "percent")] == [
        6,
        3,
        1,
        1,
        1,
        1,
        83,
    ]
    assert len(part("review_rounds").collect(AS_OF, None)["rounds"]) == 2


def test_write_gives_each_rounds_figures(spring_clean):
    data = part("review_rounds").collect(AS_OF, SINCE)
    text = text_of(part("review_rounds").write(data))
    assert "1 round of the register's review was open or closed since 24 April 2019" in text
    assert "Register spring clean 2019 | Closed 30 June 2019 | 6 | 3 | 1 | 1 | 1 | 1" in text
    assert (
        "of 6 partnerships, 3 confirmed, 1 updated, 1 proposed for closure and 1 not responded (83% responded" in text
    )
    assert "Register spring clean 2019 (closed 30 June 2019): of 6 partnerships" in text
    assert part("review_rounds").summary(data) == [
        "In the Register spring clean 2019, the leads of 83% of the partnerships reviewed responded; "
        "1 partnership was proposed for closure."
    ]
    assert part("review_rounds").figures(data) == [("Register spring clean 2019: responded", "83%")]
    assert_pure("review_rounds", data)


def test_no_round_reads_as_such(db):
    text = text_of(part("review_rounds").write(part("review_rounds").collect(AS_OF, None)))
    assert "No review round of the register was open or closed to date." in text


def test_changes_name_rounds_launched_and_closed(coordinator):
    first = launch(coordinator, "Spring clean 2019", partnerships(3, "A"))
    before = part("review_rounds").collect(datetime.date(2019, 5, 10), SINCE)
    with audit_context(user=coordinator, source="test"):
        services.close_round(first, coordinator, today=datetime.date(2019, 6, 30))
    launch(coordinator, "Tier 1 review", partnerships(2, "B"), on=datetime.date(2019, 9, 1))
    now = part("review_rounds").collect(AS_OF, datetime.date(2019, 5, 10))
    assert part("review_rounds").changes(before, now) == [
        "Review round launched: Tier 1 review on 1 September 2019.",
        "Review round closed: Spring clean 2019 on 30 June 2019, 0% responded.",
    ]
    assert_pure("review_rounds", now, before)


def test_collect_costs_the_same_whatever_the_number_of_rounds(spring_clean, coordinator, django_assert_max_num_queries):
    def grow():
        for n in range(4):
            launch(coordinator, f"Round {n}", partnerships(5, f"R{n}"), on=datetime.date(2019, 7, 1))

    data = collect_bounded("review_rounds", (AS_OF, SINCE), grow, 1, django_assert_max_num_queries)
    assert len(data["rounds"]) == 5

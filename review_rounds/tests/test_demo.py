"""The demo's 2019 "spring clean": one closed round over the demo register, most partnerships
confirmed, one closure proposed, a few confirmations after the close kept and marked late, all
through the services; a second run adds nothing."""

import pytest

from partnerships import demo as register_demo
from review_rounds import demo, selectors
from review_rounds.models import Outcome, ReviewRound, RoundStatus

pytestmark = pytest.mark.django_db


def test_the_2019_spring_clean_is_closed_with_late_confirmations():
    register_demo.seed()
    assert demo.demo_step().added == {("review round", "review rounds"): 1}
    review_round = ReviewRound.objects.get(title=demo.TITLE)
    assert (review_round.status, review_round.launched_on, review_round.closed_on) == (
        RoundStatus.CLOSED,
        demo.LAUNCHED,
        demo.CLOSED,
    )
    progress = selectors.progress(review_round)
    assert progress["total"] > 5 and progress["pending"] == 0
    assert progress["closure_proposed"] == 1 and progress["late"] == demo.LATE
    assert progress["confirmed"] + progress["updated"] == progress["total"] - 1
    late = review_round.tasks.filter(late=True)
    assert all(t.responded_on > demo.CLOSED and t.outcome == Outcome.CONFIRMED for t in late)
    assert demo.demo_step().added == {("review round", "review rounds"): 0}

"""The demo's two OMHP rounds: seeded through the services, showing improvement, with an overdue
action; a second run adds nothing."""

import datetime

import pytest

from core.models import AuditEntry
from partnerships import demo as register_demo
from peer_reviews import demo, selectors
from peer_reviews.models import ReviewAction, ReviewRound
from tests.attention import items_of

pytestmark = pytest.mark.django_db


def test_two_omhp_rounds_show_improvement_and_an_overdue_action():
    register_demo.seed()
    assert demo.demo_step().added == {("peer review round", "peer review rounds"): 2}
    first, second = ReviewRound.objects.filter(partnership__title=demo.OMHP).order_by("start_date")
    assert (first.title, second.title) == ("OMHP 2018/19", "OMHP October 2019")
    assert selectors.previous_round(second) == first
    counts = selectors.change_counts(selectors.grid(second, first))
    assert counts["better"] > counts["worse"] and counts["new"] == 0
    assert second.reviewing_organisations.filter(is_home_trust=True).exists()
    overdue = items_of("peer_review_actions_overdue", second.partnership.lead, datetime.date(2026, 12, 7))
    assert [i.action.area.round for i in overdue] == [second]
    assert ReviewAction.objects.filter(status="done").count() == 1
    assert AuditEntry.objects.filter(source="seed", object_label="OMHP October 2019").exists()
    assert demo.demo_step().added == {("peer review round", "peer review rounds"): 0}

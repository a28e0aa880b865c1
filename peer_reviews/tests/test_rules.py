"""The rules of peer quality reviews: who may review, the default areas, what a rating needs, what
an action follows, and the change from the previous round cell by cell."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from core.audit import audit_context
from peer_reviews import selectors, services
from peer_reviews.models import ReviewAction, ReviewArea, ReviewRound
from tests.attention import items_of

pytestmark = pytest.mark.django_db


def new_round(w, title="Forensic network 2020", start=datetime.date(2020, 10, 1), end=None, **kwargs):
    return ReviewRound(partnership=w.partnership, title=title, start_date=start, end_date=end, **kwargs)


def test_a_new_round_reviews_the_five_default_areas_in_order(world):
    review_round = services.save_round(new_round(world), [world.home_trust], [world.partner_org])
    assert [a.name for a in review_round.areas.all()] == list(services.DEFAULT_AREAS)
    assert [a.position for a in review_round.areas.all()] == [0, 1, 2, 3, 4]


def test_only_the_partnerships_partners_and_the_trust_review_or_are_reviewed(world):
    with pytest.raises(ValidationError) as refused:
        services.save_round(new_round(world), [world.other_org], [])
    assert refused.value.message_dict == {
        "reviewing_organisations": [f"Not a partner of P-0001: {world.other_org.name}."],
        "reviewed_organisations": ["Choose at least one reviewed organisation."],
    }
    assert not ReviewRound.objects.filter(title="Forensic network 2020").exists()


def test_the_end_is_not_before_the_start_and_nothing_is_written(world):
    bad = new_round(world, start=datetime.date(2020, 10, 1), end=datetime.date(2020, 9, 30))
    with pytest.raises(ValidationError) as refused:
        services.save_round(bad, [world.home_trust], [world.partner_org])
    assert "end_date" in refused.value.message_dict
    assert not ReviewArea.objects.filter(round__title="Forensic network 2020").exists()


def test_a_rating_short_of_good_needs_findings_and_findings_need_a_rating(world):
    area = ReviewArea.objects.get(pk=world.area.pk)
    with pytest.raises(ValidationError) as refused:
        services.rate(area, caring="inadequate", responsive="", responsive_findings="Calls not returned.")
    assert refused.value.message_dict == {
        "caring_findings": ["Record the findings that make caring inadequate."],
        "responsive": ["Choose a rating for responsive: the findings need one."],
    }
    assert ReviewArea.objects.get(pk=world.area.pk).caring == ""


def test_an_action_follows_a_rated_key_question(world):
    with pytest.raises(ValidationError) as refused:
        services.add_action(
            world.area, "caring", "Ask the service users", world.user("owner"), datetime.date(2027, 1, 1)
        )
    assert "key_question" in refused.value.message_dict
    assert not ReviewAction.objects.filter(description="Ask the service users").exists()


def test_an_area_with_ratings_or_actions_stays_in_the_round(world):
    with pytest.raises(ValidationError):
        services.remove_area(world.area)
    services.remove_area(ReviewArea.objects.get(pk=world.unrated_area.pk))
    assert not ReviewArea.objects.filter(pk=world.unrated_area.pk).exists()
    assert ReviewArea.objects.filter(pk=world.area.pk).exists()


@pytest.mark.parametrize(
    ("now", "before", "expected"),
    [
        ("good", "requires_improvement", "better"),
        ("outstanding", "good", "better"),
        ("good", "good", "same"),
        ("inadequate", "requires_improvement", "worse"),
        ("good", None, "new"),
        ("good", "", "new"),
        ("", "good", ""),
    ],
)
def test_the_change_of_a_cell(now, before, expected):
    assert selectors.change(now, before) == expected


def test_the_grid_compares_each_area_by_name_with_the_partnerships_previous_round(world):
    earlier = world.review_round  # its first area: safe good, well-led requires improvement
    later = services.save_round(new_round(world, title="Later"), [world.home_trust], [world.partner_org])
    first_name = earlier.areas.first().name
    services.rate(later.areas.get(name=first_name), safe="requires_improvement", safe_findings="x", well_led="good")
    last = later.areas.last()
    last.name = "Carers support"
    services.save_area(last)
    services.rate(later.areas.get(name="Carers support"), safe="good")
    # The area's name may change case between rounds: it is the same area.
    renamed = later.areas.get(name=first_name)
    renamed.name = first_name.upper()
    services.save_area(renamed)

    previous = selectors.previous_round(later)
    assert previous == earlier
    rows = {row.area.name: {c.question.value: c.change for c in row.cells} for row in selectors.grid(later, previous)}
    assert rows[first_name.upper()] == {
        "safe": "worse",
        "effective": "",
        "caring": "",
        "responsive": "",
        "well_led": "better",
    }
    assert rows["Carers support"]["safe"] == "new"
    assert selectors.change_counts(selectors.grid(later, previous)) == {"better": 1, "same": 0, "worse": 1, "new": 1}
    assert selectors.previous_round(earlier) is None


def test_an_overdue_action_needs_its_owners_attention_only(world):
    with audit_context(user=world.user("administrator"), source="test"):
        action = ReviewAction.objects.get(pk=world.review_action.pk)
        action.due_date = datetime.date(2020, 1, 31)
        services.save_action(action)
    items = items_of("peer_review_actions_overdue", world.user("owner"), datetime.date(2020, 2, 1))
    assert [(i.tag, i.reference, i.due) for i in items] == [("Action overdue", "P-0001", datetime.date(2020, 1, 31))]
    assert "Due on 31 January 2020" in items[0].message
    assert items_of("peer_review_actions_overdue", world.user("owner"), datetime.date(2020, 1, 31)) == []
    assert items_of("peer_review_actions_overdue", world.user("coordinator"), datetime.date(2020, 2, 1)) == []
    action.status = "done"
    services.save_action(action)
    assert items_of("peer_review_actions_overdue", world.user("owner"), datetime.date(2020, 2, 1)) == []

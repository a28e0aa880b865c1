"""The writes of peer quality reviews, for the pages, the demo and anything else that records
reviews. Each validates with the model's rules (and the partnership's partners), refuses with a
message that says why (``ValidationError``), writes everything or nothing, and is audited by
``core.audit``.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q

from organisations.models import Organisation
from peer_reviews.models import ReviewAction, ReviewArea

# The five operational areas a round reviews unless it is changed: the services of the Oxfordshire
# Mental Health Partnership's outcomes-based contract (the seed paper says "five operational
# areas" without naming them).
DEFAULT_AREAS = (
    "Access and assessment",
    "Community support",
    "Supported housing",
    "Employment support",
    "Crisis support",
)


def _save(obj):
    obj.full_clean()
    obj.save()
    return obj


def round_organisations(partnership):
    """The organisations that may review or be reviewed in a partnership's rounds: its partners and
    the home trust (a party to every partnership)."""
    return Organisation.objects.filter(Q(partner_roles__partnership=partnership) | Q(is_home_trust=True)).distinct()


def _check_organisations(partnership, reviewing, reviewed):
    allowed = set(round_organisations(partnership).values_list("pk", flat=True))
    errors = {}
    for field, chosen, what in (
        ("reviewing_organisations", reviewing, "reviewing"),
        ("reviewed_organisations", reviewed, "reviewed"),
    ):
        outsiders = [org.name for org in chosen if org.pk not in allowed]
        if not chosen:
            errors[field] = f"Choose at least one {what} organisation."
        elif outsiders:
            errors[field] = f"Not a partner of {partnership.reference}: {', '.join(sorted(outsiders))}."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_round(review_round, reviewing, reviewed, areas=DEFAULT_AREAS):
    """Add or change a round; a new round reviews ``areas`` (the five defaults unless told)."""
    created = review_round.pk is None
    _check_organisations(review_round.partnership, list(reviewing), list(reviewed))
    _save(review_round)
    review_round.reviewing_organisations.set(reviewing)
    review_round.reviewed_organisations.set(reviewed)
    if created:
        for name in areas:
            add_area(ReviewArea(round=review_round, name=name))
    return review_round


@transaction.atomic
def add_area(area):
    """Add an operational area to a round, after its others."""
    last = ReviewArea.objects.filter(round_id=area.round_id).aggregate(last=Max("position"))["last"]
    area.position = 0 if last is None else last + 1
    return _save(area)


@transaction.atomic
def save_area(area):
    """Rename an area or record its ratings and findings (all five key questions in one save)."""
    return _save(area)


def remove_area_refusal(area):
    """Why ``area`` cannot be taken out of its round, or ``None``."""
    if area.is_rated():
        return "This area has ratings: it stays in the round so that its ratings stay on record."
    if area.actions.exists():
        return "This area has actions: it stays in the round so that its actions stay on record."
    return None


@transaction.atomic
def remove_area(area):
    """Take an area the round will not review out of it (one never rated, with no actions)."""
    refusal = remove_area_refusal(area)
    if refusal:
        raise ValidationError(refusal)
    area.delete()


@transaction.atomic
def save_action(action):
    """Add or change an action following a finding (its key question must be rated)."""
    return _save(action)


def add_action(area, key_question, description, owner, due_date):
    """The demo's and the tests' way of recording an action."""
    return save_action(
        ReviewAction(area=area, key_question=key_question, description=description, owner=owner, due_date=due_date)
    )


def rate(area, **ratings):
    """Record an area's ratings and findings (``safe="good", safe_findings="…"``), then save."""
    for name, value in ratings.items():
        setattr(area, name, value)
    return save_area(area)

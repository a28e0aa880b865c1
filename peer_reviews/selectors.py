"""What the peer review pages read: a round's grid of areas × key questions with the change from
the partnership's previous round, the partnership page's rounds, and the overdue actions for
"needs attention". Each in a fixed number of queries, whatever the number of areas or rounds.
"""

from dataclasses import dataclass

from django.db.models import F, Q
from django.utils.text import Truncator

from core.dates import day
from core.permissions import scope
from peer_reviews.models import COLOUR, RANK, KeyQuestion, Rating, ReviewAction, ReviewArea, ReviewRound

BETTER, SAME, WORSE, NEW = "better", "same", "worse", "new"
CHANGE_LABELS = {BETTER: "Better", SAME: "Same", WORSE: "Worse", NEW: "New"}


@dataclass(frozen=True)
class Cell:
    """One key question of one area: its rating (``""`` when not rated) and the change since the
    previous round (``""`` when there is nothing to compare)."""

    question: KeyQuestion
    rating: str
    findings: str
    change: str = ""

    @property
    def label(self):
        return Rating(self.rating).label if self.rating else "Not rated"

    @property
    def colour(self):
        return COLOUR[self.rating] if self.rating else "white"

    @property
    def change_label(self):
        return CHANGE_LABELS.get(self.change, "")


@dataclass(frozen=True)
class GridRow:
    area: ReviewArea
    cells: list


def change(rating, before):
    """Better, same or worse than ``before`` (``None``: the area was not reviewed then); new when
    there was no rating to compare with; nothing while this one is not rated."""
    if not rating:
        return ""
    if not before:
        return NEW
    difference = RANK[rating] - RANK[before]
    return BETTER if difference > 0 else WORSE if difference < 0 else SAME


def previous_round(review_round):
    """The partnership's round before this one (by start date), or ``None``."""
    earlier = Q(start_date__lt=review_round.start_date) | Q(start_date=review_round.start_date, pk__lt=review_round.pk)
    return ReviewRound.objects.filter(earlier, partnership_id=review_round.partnership_id).first()


def grid(review_round, previous=None):
    """The round's areas, each with a cell per key question compared with ``previous`` (matched by
    the area's name, whatever its case). One query, with or without a previous round."""
    rounds = [review_round.pk] + ([previous.pk] if previous is not None else [])
    areas = list(ReviewArea.objects.filter(round_id__in=rounds).select_related("round"))
    before = {area.name.casefold(): area for area in areas if area.round_id != review_round.pk}
    rows = []
    for area in (area for area in areas if area.round_id == review_round.pk):
        earlier = before.get(area.name.casefold())
        cells = [
            Cell(q, rating, findings, change(rating, getattr(earlier, q.value, None) if earlier else None))
            for q, rating, findings in area.ratings()
        ]
        rows.append(GridRow(area, cells))
    return rows


def change_counts(rows):
    """{change: how many cells} of a grid: the headline of the comparison."""
    counts = dict.fromkeys((BETTER, SAME, WORSE, NEW), 0)
    for row in rows:
        for cell in row.cells:
            if cell.change:
                counts[cell.change] += 1
    return counts


def partnership_rounds(user, partnership):
    """The partnership's rounds the user may see, newest first, and the latest one's grid compared
    with the round before it."""
    rounds = list(scope(user, "view", ReviewRound.objects.filter(partnership=partnership)))
    if not rounds:
        return rounds, None, []
    latest, previous = rounds[0], rounds[1] if len(rounds) > 1 else None
    return rounds, previous, grid(latest, previous)


@dataclass(frozen=True)
class ActionOverdue:
    """An open peer review action past its due date (an item of "needs attention")."""

    action: ReviewAction
    tag: str = "Action overdue"
    colour: str = "red"

    @property
    def title(self):
        return f"{self.action.area.round.title}: {Truncator(self.action.description).chars(80)}"

    @property
    def url(self):
        return self.action.get_absolute_url()

    @property
    def reference(self):
        return self.action.area.round.partnership.reference

    @property
    def due(self):
        return self.action.due_date

    @property
    def message(self):
        a = self.action
        return f"Due on {day(a.due_date)}; {a.area.name}, {a.get_key_question_display().lower()}."


def overdue_action_rows(user, today):
    """The user's own open actions past their due date, on rounds they may see."""
    actions = scope(user, "view", ReviewAction.objects.overdue(today).filter(owner=user))
    return actions.select_related("area__round__partnership").annotate(attention_due=F("due_date"))


def overdue_action_item(action, today):
    return ActionOverdue(action)

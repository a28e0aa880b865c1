"""The peer reviews' part of the board report (section 1, "Governance of partnerships").

The seed paper told the board that OMHP would "carry out a second round of peer-to-peer reviews";
this part says what the latest round of each partnership found: how many operational areas were
rated outstanding, good, requires improvement or inadequate on each of the five CQC key
questions, and how many of the actions that followed are overdue. A partnership's latest round is
the one with no later start (as ``selectors.previous_round`` orders them). Three queries: the
rounds, the ratings counted in SQL, the overdue actions counted.
"""

from django.db.models import Count, Exists, F, OuterRef, Q

from core import pictures
from core.papers import Figure, Section, Table
from core.report_parts import added_and_removed, count, iso, stored, written
from peer_reviews.models import KeyQuestion, Rating, ReviewAction, ReviewArea, ReviewRound

QUESTIONS = [(q.value, q.label) for q in KeyQuestion]
RATINGS = [(r.value, r.label) for r in Rating]
NOT_RATED = "not_rated"
GOOD_OR_BETTER = (Rating.OUTSTANDING, Rating.GOOD)


def latest_rounds(as_of):
    """Each partnership's latest round started by ``as_of``, as a queryset."""
    started = ReviewRound.objects.filter(start_date__lte=as_of)
    later = started.filter(partnership=OuterRef("partnership")).filter(
        Q(start_date__gt=OuterRef("start_date")) | Q(start_date=OuterRef("start_date"), pk__gt=OuterRef("pk"))
    )
    return started.filter(~Exists(later))


def _rating_counts(rounds):
    """{key question: {rating or "not_rated": areas}} of the rounds' areas, in one query."""
    aggregates = {}
    for question, _ in QUESTIONS:
        for rating, _ in RATINGS:
            aggregates[f"{question}__{rating}"] = Count("pk", filter=Q(**{question: rating}))
        aggregates[f"{question}__{NOT_RATED}"] = Count("pk", filter=Q(**{question: ""}))
    totals = ReviewArea.objects.filter(round__in=rounds).aggregate(**aggregates)
    return {
        question: {rating: totals[f"{question}__{rating}"] for rating in [r for r, _ in RATINGS] + [NOT_RATED]}
        for question, _ in QUESTIONS
    }


def collect(as_of, since):
    rounds = latest_rounds(as_of)
    listed = rounds.order_by("partnership__reference", "pk").values(
        "id", "title", "start_date", "end_date", reference=F("partnership__reference")
    )
    overdue = ReviewAction.objects.overdue(as_of).filter(area__round__in=rounds).count()
    return {
        "as_of": iso(as_of),
        "since": iso(since),
        "rounds": [
            {
                **r,
                "start_date": iso(r["start_date"]),
                "end_date": iso(r["end_date"] if r["end_date"] and r["end_date"] <= as_of else None),
            }
            for r in listed
        ],
        "ratings": _rating_counts(rounds),
        "actions_overdue": overdue,
    }


def _rows(ratings):
    return [
        [
            label,
            *(ratings.get(question, {}).get(rating, 0) for rating, _ in RATINGS),
            ratings.get(question, {}).get(NOT_RATED, 0),
        ]
        for question, label in QUESTIONS
    ]


def _good_or_better(ratings, question):
    counts = ratings.get(question, {})
    return sum(counts.get(r, 0) for r in GOOD_OR_BETTER), sum(counts.get(r, 0) for r, _ in RATINGS)


def write(data):
    rounds, ratings = stored(data, "rounds", []), stored(data, "ratings", {})
    if not rounds:
        return [Section("Peer quality reviews", paragraphs=["No partnership has had a peer quality review."], level=3)]
    overdue = stored(data, "actions_overdue", 0)
    bars = [(label, *_shown(*_good_or_better(ratings, question))) for question, label in QUESTIONS]
    return [
        Section(
            "Peer quality reviews",
            paragraphs=[
                f"The latest peer-to-peer quality review of {count(len(rounds), 'partnership')} rated its "
                "operational areas on the five CQC key questions, as below. "
                f"{count(overdue, 'action').capitalize()} following the reviews' findings "
                f"{'is' if overdue == 1 else 'are'} overdue."
            ],
            bullets=[_round_text(r) for r in rounds],
            table=Table(
                ["Key question", *(label for _, label in RATINGS), "Not rated"],
                _rows(ratings),
                widths=(20, 16, 16, 16, 16, 16),
            ),
            figure=Figure(
                pictures.bars(bars),
                "Bar chart of the operational areas rated good or outstanding on each CQC key question; "
                "the numbers by rating are in the table below.",
            ),
            level=3,
        )
    ]


def _shown(good, rated):
    return good, f"{good} of {rated}"


def _round_text(r):
    ended = f"ended {written(r['end_date'])}" if r.get("end_date") else "under way"
    return f"{r['reference']}: {r['title']} (started {written(r['start_date'])}, {ended})."


def changes(before, now):
    """Rounds started or completed since the last report, and the change in actions overdue."""
    started, _ = added_and_removed(before, now, "rounds")
    lines = [f"Peer review round started: {_round_text(r)}" for r in started]
    if before is None:
        return lines
    ended_before = {r.get("id") for r in stored(before, "rounds", []) if r.get("end_date")}
    lines += [
        f"Peer review round completed: {_round_text(r)}"
        for r in stored(now, "rounds", [])
        if r.get("end_date") and r["id"] not in ended_before and r not in started
    ]
    was, is_now = stored(before, "actions_overdue"), stored(now, "actions_overdue", 0)
    if was is not None and was != is_now:
        lines.append(f"Peer review actions overdue: {is_now} (at the last report, {was}).")
    return lines


def figures(data):
    return [("Peer review actions overdue", str(stored(data, "actions_overdue", 0)))]


def summary(data):
    ratings = stored(data, "ratings", {})
    good, rated = (sum(pair) for pair in zip(*(_good_or_better(ratings, q) for q, _ in QUESTIONS), strict=True))
    if not rated:
        return []
    return [
        f"Of the {rated} ratings the latest peer quality reviews gave (an operational area on a CQC key question), "
        f"{good} {'was' if good == 1 else 'were'} good or outstanding."
    ]

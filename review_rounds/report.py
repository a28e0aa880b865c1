"""The review rounds' part of the board report (section 2, "Central coordination of partnerships").

The seed paper promised the board a "'Spring clean' of partnership register"; this part says how
each round of the register's review went: the rounds still open and those closed since the last
report, each with its partnerships and how their leads answered (confirmed, updated, closure
proposed, not responded, and answered late, after the round closed). The counts are the round
page's (``selectors.outcome_counts``), for every round at once: one query.
"""

from django.db.models import Q

from core import pictures
from core.papers import Figure, Section, Table
from core.report_parts import added_and_removed, count, iso, since_text, stored, written
from review_rounds.models import ReviewTask, RoundStatus
from review_rounds.selectors import outcome_counts, with_share

OUTCOMES = (
    ("confirmed", "Confirmed"),
    ("updated", "Updated"),
    ("closure_proposed", "Closure proposed"),
    ("pending", "Not responded"),
    ("late", "Late"),
)


def _reported(as_of, since):
    """Rounds launched by ``as_of`` that were open then, or closed since the last report."""
    launched = Q(round__launched_on__lte=as_of)
    open_then = Q(round__status=RoundStatus.OPEN) | Q(round__closed_on__gt=as_of)
    closed_since = Q(round__closed_on__lte=as_of) & (Q(round__closed_on__gte=since) if since else Q())
    return launched & (open_then | closed_since)


def collect(as_of, since):
    rows = (
        ReviewTask.objects.filter(_reported(as_of, since))
        .values("round_id", "round__title", "round__launched_on", "round__deadline", "round__closed_on")
        .annotate(**outcome_counts())
        .order_by("round__launched_on", "round_id")
    )
    rounds = []
    for row in rows:
        closed_on = row["round__closed_on"] if row["round__closed_on"] and row["round__closed_on"] <= as_of else None
        rounds.append(
            with_share(
                {
                    "id": row["round_id"],
                    "title": row["round__title"],
                    "launched_on": iso(row["round__launched_on"]),
                    "deadline": iso(row["round__deadline"]),
                    "closed_on": iso(closed_on),
                    **{name: row[name] for name in ("total", "responded", *(n for n, _ in OUTCOMES if n != "pending"))},
                }
            )
        )
    return {"as_of": iso(as_of), "since": iso(since), "rounds": rounds}


def _state(r, closed="Closed", due="Open, due"):
    return f"{closed} {written(r['closed_on'])}" if r.get("closed_on") else f"{due} {written(r['deadline'])}"


def write(data):
    rounds = stored(data, "rounds", [])
    since = since_text(stored(data, "since"))
    if not rounds:
        text = f"No review round of the register was open or closed {since}."
        return [Section("Review of the register", paragraphs=[text], level=3)]
    paragraphs = [
        f"{count(len(rounds), 'round').capitalize()} of the register's review {'was' if len(rounds) == 1 else 'were'} "
        f"open or closed {since}. Each asked the lead of every partnership it covered to confirm that the "
        "register is still accurate, to update it, or to propose closing the partnership."
    ]
    paragraphs += [_round_text(r) for r in rounds]
    return [
        Section(
            "Review of the register",
            paragraphs=paragraphs,
            table=Table(
                ["Round", "State", "Partnerships", *(label for _, label in OUTCOMES)],
                [[r["title"], _state(r), r["total"], *(r.get(name, 0) for name, _ in OUTCOMES)] for r in rounds],
                widths=(20, 18, 12, 10, 10, 10, 10, 10),
            ),
            figure=Figure(
                pictures.bars([(r["title"], r["percent"], f"{r['percent']}% responded") for r in rounds]),
                "Bar chart of the share of partnerships whose lead responded, by round; the numbers are in the "
                "table below.",
            ),
            level=3,
        )
    ]


def _round_text(r):
    return (
        f"{r['title']} ({_state(r, 'closed', 'open, due')}): of {count(r['total'], 'partnership')}, "
        f"{r['confirmed']} confirmed, {r['updated']} updated, {r['closure_proposed']} proposed for closure and "
        f"{r['pending']} not responded "
        f"({r['percent']}% responded; {r['late']} after the round closed)."
    )


def changes(before, now):
    """Rounds launched since the last report, and rounds closed since."""
    launched, _ = added_and_removed(before, now, "rounds")
    lines = [f"Review round launched: {r['title']} on {written(r['launched_on'])}." for r in launched]
    if before is not None:
        closed_before = {r.get("id") for r in stored(before, "rounds", []) if r.get("closed_on")}
        lines += [
            f"Review round closed: {r['title']} on {written(r['closed_on'])}, {r['percent']}% responded."
            for r in stored(now, "rounds", [])
            if r.get("closed_on") and r["id"] not in closed_before
        ]
    return lines


def figures(data):
    rounds = stored(data, "rounds", [])
    if not rounds:
        return []
    latest = rounds[-1]
    return [(f"{latest['title']}: responded", f"{latest['percent']}%")]


def summary(data):
    rounds = stored(data, "rounds", [])
    if not rounds:
        return []
    latest = rounds[-1]
    return [
        f"In the {latest['title']}, the leads of {latest['percent']}% of the partnerships reviewed responded; "
        f"{count(latest['closure_proposed'], 'partnership')} {'was' if latest['closure_proposed'] == 1 else 'were'} "
        "proposed for closure."
    ]

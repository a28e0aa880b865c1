"""The incidents' part of the board report (section 1, "Governance of partnerships").

The seed paper told the board of "a more robust process ... to report safeguarding, incidents and
serious complaints into the partnership so learning could be disseminated"; this part says what
that process recorded since the last report: how many of each type were reported and where each
stands, how many are still open more than 28 days after they were recorded (the rule of "needs
attention", ``selectors.ATTENTION_DAYS``) and how many had their learning agreed. Counts only: no
summary, reference or date of any incident reaches the board paper. Two queries.
"""

import datetime

from django.db.models import Count, Q

from core.papers import Section, Table
from core.report_parts import count, iso, since_text, stored
from incidents.models import STILL_OPEN, Incident, IncidentStatus, IncidentType
from incidents.selectors import ATTENTION_DAYS

TYPES = dict(IncidentType.choices)
STATUSES = dict(IncidentStatus.choices)


def _between(field, since, as_of):
    period = Q(**{f"{field}__lte": as_of})
    return period & Q(**{f"{field}__gte": since}) if since else period


def collect(as_of, since):
    reported = (
        Incident.objects.filter(_between("recorded_on", since, as_of))
        .values("kind", "status")
        .annotate(n=Count("pk"))
        .order_by("kind", "status")
    )
    late = as_of - datetime.timedelta(days=ATTENTION_DAYS)
    standing = Incident.objects.filter(recorded_on__lte=as_of).aggregate(
        still_open=Count("pk", filter=Q(status__in=STILL_OPEN)),
        open_too_long=Count("pk", filter=Q(status__in=STILL_OPEN, recorded_on__lt=late)),
        learning_agreed=Count("pk", filter=_between("learning_agreed_on", since, as_of)),
    )
    return {
        "as_of": iso(as_of),
        "since": iso(since),
        "reported": [
            {"type": TYPES.get(r["kind"], r["kind"]), "status": STATUSES.get(r["status"], r["status"]), "count": r["n"]}
            for r in reported
        ],
        **standing,
    }


def _table(reported):
    """Types down, statuses across (those of the one-way order that occur), with totals."""
    statuses = [s for s in STATUSES.values() if any(r["status"] == s for r in reported)]
    types = [t for t in TYPES.values() if any(r["type"] == t for r in reported)]
    cells = {(r["type"], r["status"]): r["count"] for r in reported}
    rows = [[t, *(cells.get((t, s), 0) for s in statuses), sum(cells.get((t, s), 0) for s in statuses)] for t in types]
    return Table(["Type", *statuses, "Total"], rows, empty="None reported.")


REPORTS = (
    "incident, safeguarding concern or serious complaint",
    "incidents, safeguarding concerns and serious complaints",
)


def _paragraph(data, total):
    since = since_text(stored(data, "since"))
    still_open, too_long = stored(data, "still_open", 0), stored(data, "open_too_long", 0)
    return (
        f"{count(total, *REPORTS).capitalize()} {'was' if total == 1 else 'were'} reported into partnerships "
        f"{since}. {count(still_open, 'report').capitalize()} {'is' if still_open == 1 else 'are'} open or under "
        f"review, {too_long} of them for more than {ATTENTION_DAYS} days; the learning from "
        f"{count(stored(data, 'learning_agreed', 0), 'report')} was agreed {since}."
    )


def write(data):
    reported = stored(data, "reported", [])
    total = sum(r["count"] for r in reported)
    return [
        Section(
            "Incidents, safeguarding concerns and serious complaints",
            paragraphs=[_paragraph(data, total)],
            table=_table(reported),
            level=3,
        )
    ]


def changes(before, now):
    """The change in reports open or under review, and in those open more than 28 days."""
    if before is None:
        return []
    lines = []
    for key, what in (
        ("still_open", "open or under review"),
        ("open_too_long", f"open more than {ATTENTION_DAYS} days"),
    ):
        was, is_now = stored(before, key), stored(now, key, 0)
        if was is not None and was != is_now:
            lines.append(f"Incidents {what}: {is_now} (at the last report, {was}).")
    return lines


def figures(data):
    return [
        ("Incidents reported", str(sum(r["count"] for r in stored(data, "reported", [])))),
        (f"Incidents open more than {ATTENTION_DAYS} days", str(stored(data, "open_too_long", 0))),
    ]


def summary(data):
    total = sum(r["count"] for r in stored(data, "reported", []))
    too_long = stored(data, "open_too_long", 0)
    return [
        f"{count(total, *REPORTS).capitalize()} {'was' if total == 1 else 'were'} reported into partnerships "
        f"{since_text(stored(data, 'since'))}; {too_long} {'has' if too_long == 1 else 'have'} been open more than "
        f"{ATTENTION_DAYS} days."
    ]

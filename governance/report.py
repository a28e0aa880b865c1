"""Governance's two parts of the board report.

``decisions`` (section 1, "Governance of partnerships"): the decisions the partnerships'
governance bodies closed since the last report, each with its body, the day it closed, its title
and its result, so the board sees what was decided on its behalf. One query.

``register_of_interests`` (the appendix): the register of interests of the members of the
partnerships' governance bodies, as the register publishes it (``documents.REGISTER_COLUMNS``: an
entry withheld from publication shows only that it is withheld, never why), for the entries
current on the day of the report. The published text of each entry is what the report stores, so
an issued report shows the register as it stood. One query.
"""

from django.db.models import F, Q
from django.db.models.functions import TruncDate

from core.papers import Section, Table
from core.report_parts import added_and_removed, count, iso, since_text, stored, written
from governance import documents, rules, selectors
from governance.models import Decision, DecisionStatus, Interest

OUTCOMES = {outcome.value: label for outcome, label in rules.OUTCOME_LABELS.items()}

# --- decisions ----------------------------------------------------------------------------------


def collect_decisions(as_of, since):
    closed = Decision.objects.filter(status=DecisionStatus.CLOSED).annotate(closed_on=TruncDate("closed_at"))
    period = Q(closed_on__lte=as_of) & (Q(closed_on__gte=since) if since else Q())
    rows = (
        closed.filter(period)
        .order_by("closed_on", "body__name", "pk")
        .values("id", "title", "outcome", "closed_on", body_name=F("body__name"))
    )
    return {
        "as_of": iso(as_of),
        "since": iso(since),
        "decisions": [
            {
                "id": r["id"],
                "body": r["body_name"],
                "closed_on": iso(r["closed_on"]),
                "title": r["title"],
                "outcome": OUTCOMES.get(r["outcome"], r["outcome"]),
            }
            for r in rows
        ],
    }


def write_decisions(data):
    decisions = stored(data, "decisions", [])
    since = since_text(stored(data, "since"))
    carried = sum(1 for d in decisions if d["outcome"] == rules.OUTCOME_LABELS[rules.Outcome.CARRIED])
    return [
        Section(
            "Decisions of the partnerships' governance bodies",
            paragraphs=[
                f"The partnerships' governance bodies took {count(len(decisions), 'decision')} {since}; "
                f"{carried} {'was' if carried == 1 else 'were'} carried."
            ],
            table=Table(
                ["Body", "Date", "Decision", "Outcome"],
                [[d["body"], written(d["closed_on"]), d["title"], d["outcome"]] for d in decisions],
                widths=(25, 15, 45, 15),
                empty="No decision was taken.",
            ),
            level=3,
        )
    ]


def decision_summary(data):
    decisions = stored(data, "decisions", [])
    since = since_text(stored(data, "since"))
    return [f"The partnerships' governance bodies took {count(len(decisions), 'decision')} {since}."]


def decision_figures(data):
    return [("Decisions taken by governance bodies", str(len(stored(data, "decisions", []))))]


# --- the register of interests (appendix) --------------------------------------------------------


def _members_interests(as_of):
    """Entries current on ``as_of`` of people who are members of a body then, nil returns included."""
    members = selectors.members_now(as_of)
    return Interest.objects.filter(
        Q(membership__in=members) | Q(user__in=members.filter(user__isnull=False).values("user")),
        Q(applies_to__isnull=True) | Q(applies_to__gte=as_of),
        declared_on__lte=as_of,
        superseded_by__isnull=True,
    )


def collect_register(as_of, since):
    entries = selectors.with_declaration_dates(_members_interests(as_of)).order_by("name", "-declared_on", "-pk")
    return {
        "as_of": iso(as_of),
        "since": iso(since),
        "headers": [heading for _, heading, _ in documents.REGISTER_COLUMNS],
        "entries": [{"id": i.pk, "row": documents.published_row(i)} for i in entries],
    }


def write_register(data):
    entries = stored(data, "entries", [])
    return [
        Section(
            "Register of interests of the partnerships' governance bodies",
            paragraphs=[
                f"The register of interests as published on {written(stored(data, 'as_of'))}: the current "
                f"declarations (and nil returns) of the members of the partnerships' governance bodies, "
                f"{count(len(entries), 'entry', 'entries')}. An entry withheld from publication shows only that it is "
                "withheld."
            ],
            table=Table(
                stored(data, "headers", []),
                [e["row"] for e in entries],
                widths=documents.REGISTER_WIDTHS,
                empty="No declarations.",
            ),
            level=3,
        )
    ]


def register_changes(before, now):
    """How many entries were added to the register, and how many are no longer current."""
    added, removed = added_and_removed(before, now, "entries")
    lines = []
    if added:
        lines.append(f"Register of interests: {count(len(added), 'entry', 'entries')} added.")
    if removed:
        lines.append(f"Register of interests: {count(len(removed), 'entry', 'entries')} no longer current.")
    return lines


def decision_changes(before, now):
    """Decisions the bodies took since the last report."""
    taken, _ = added_and_removed(before, now, "decisions")
    return [f"Decision taken: {d['body']}, {d['title']} ({d['outcome'].lower()})." for d in taken]

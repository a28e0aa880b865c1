"""The self-assessments' part of the board report (section 1, "Governance of partnerships").

The seed paper told the board that "all of the Trust's third sector partners completed a
governance self-assessment questionnaire"; this part says where each issue of a questionnaire
stands: how many organisations it went to, how many have still to answer (and how many of those
are past the due date), how many wait for the coordinator's review and how many were accepted
since the last report. One aggregate query by issue, and one count of the actions overdue.
Issues with nothing outstanding and nothing accepted since the last report are left out.
"""

from django.db.models import Count, Q

from core import pictures
from core.papers import Figure, Section, Table
from core.report_parts import added_and_removed, count, iso, since_text, stored, written
from self_assessments.models import ANSWERING, AWAITING_REVIEW, ActionStatus, Assessment, AssessmentAction, Status

COUNTS = ("outstanding", "overdue", "awaiting_review", "accepted_since")
LABELS = {
    "outstanding": "Not yet submitted",
    "overdue": "Past the due date",
    "awaiting_review": "Awaiting review",
    "accepted_since": "Accepted",
}


def _accepted_between(since, as_of):
    accepted = Q(status=Status.ACCEPTED, accepted_on__lte=as_of)
    return accepted & Q(accepted_on__gte=since) if since else accepted


def collect(as_of, since):
    issues = (
        Assessment.objects.values("issue_id", "issue__issued_on", "issue__due_date", "issue__version__template__name")
        .annotate(
            organisations=Count("pk"),
            outstanding=Count("pk", filter=Q(status__in=ANSWERING)),
            overdue=Count("pk", filter=Q(status__in=ANSWERING, issue__due_date__lt=as_of)),
            awaiting_review=Count("pk", filter=Q(status__in=AWAITING_REVIEW)),
            accepted_since=Count("pk", filter=_accepted_between(since, as_of)),
        )
        .filter(Q(outstanding__gt=0) | Q(awaiting_review__gt=0) | Q(accepted_since__gt=0))
        .order_by("issue__issued_on", "issue_id")
    )
    actions = AssessmentAction.objects.filter(status=ActionStatus.OPEN, due_date__lt=as_of).count()
    rows = [
        {
            "id": row["issue_id"],
            "questionnaire": row["issue__version__template__name"],
            "issued_on": iso(row["issue__issued_on"]),
            "due_date": iso(row["issue__due_date"]),
            "organisations": row["organisations"],
            **{name: row[name] for name in COUNTS},
        }
        for row in issues
    ]
    return {"as_of": iso(as_of), "since": iso(since), "issues": rows, "actions_overdue": actions}


def totals(data):
    """{count name: the sum over the issues}."""
    issues = stored(data, "issues", [])
    return {name: sum(issue.get(name, 0) for issue in issues) for name in COUNTS}


def write(data):
    t = totals(data)
    since = since_text(stored(data, "since"))
    issues = stored(data, "issues", [])
    return [
        Section(
            "Governance self-assessments",
            paragraphs=[
                f"{count(t['outstanding'], 'partner organisation').capitalize()} "
                f"{'has' if t['outstanding'] == 1 else 'have'} still to submit a governance self-assessment, "
                f"{t['overdue']} of them past the due date; {count(t['awaiting_review'], 'assessment')} "
                f"{'awaits' if t['awaiting_review'] == 1 else 'await'} review, and "
                f"{count(t['accepted_since'], 'assessment')} {'was' if t['accepted_since'] == 1 else 'were'} "
                f"accepted {since}. {count(data.get('actions_overdue', 0), 'action').capitalize()} following "
                "a standard not met " + ("is" if data.get("actions_overdue") == 1 else "are") + " overdue."
            ],
            table=Table(
                ["Questionnaire", "Issued", "Due", "Sent to", *(LABELS[name] for name in COUNTS)],
                [
                    [
                        issue["questionnaire"],
                        written(issue["issued_on"]),
                        written(issue["due_date"]),
                        issue["organisations"],
                        *(issue[name] for name in COUNTS),
                    ]
                    for issue in issues
                ],
                widths=(20, 14, 14, 8, 11, 11, 11, 11),
                empty="No self-assessment is outstanding or awaiting review.",
            ),
            figure=_figure(t) if any(t.values()) else None,
            level=3,
        )
    ]


def _figure(t):
    rows = [(LABELS[name], t[name], t[name]) for name in COUNTS]
    return Figure(
        pictures.bars(rows),
        "Bar chart of self-assessments not yet submitted, past the due date, awaiting review and accepted; "
        "the numbers are in the table below, by questionnaire.",
    )


def changes(before, now):
    """Questionnaires issued since the last report, and the change in those past their due date."""
    issued, _ = added_and_removed(before, now, "issues")
    lines = [
        f"Self-assessment issued: {issue['questionnaire']}, to {count(issue['organisations'], 'organisation')} "
        f"on {written(issue['issued_on'])}, due {written(issue['due_date'])}."
        for issue in issued
        if before is not None and issue["issued_on"] and issue["issued_on"] >= stored(before, "as_of", "")
    ]
    if before is not None:
        was, now_overdue = totals(before)["overdue"], totals(now)["overdue"]
        if was != now_overdue:
            lines.append(f"Self-assessments past their due date: {now_overdue} (at the last report, {was}).")
    return lines


def figures(data):
    t = totals(data)
    return [("Self-assessments outstanding", str(t["outstanding"])), ("Self-assessments overdue", str(t["overdue"]))]


def summary(data):
    t = totals(data)
    if not t["outstanding"]:
        return ["Every partner organisation asked has submitted its governance self-assessment."]
    return [
        f"{count(t['outstanding'], 'partner organisation').capitalize()} "
        f"{'has' if t['outstanding'] == 1 else 'have'} still to submit a governance self-assessment, "
        f"{t['overdue']} of them past the due date."
    ]

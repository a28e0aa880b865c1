"""What the board reports add to other pages: the dashboard's movement since the last report."""

from django.db.models import Count, Q, Sum

from board_reports.models import ReportVersion
from core.dates import day
from core.money import pounds
from partnerships.models import Partnership, Status
from risks.models import Risk, RiskStatus
from risks.scoring import Scoring


def _then(snapshot):
    """The figures the board was told, read from the issued report's snapshot."""
    parts = snapshot["parts"]
    rows = parts.get("register", {}).get("partnerships", [])
    return {
        "open": len(rows),
        "value": sum(float(row[4]) for row in rows if row[4] is not None),
        "tier1": sum(1 for row in rows if row[3] == 1),
        "escalated": len(parts["risks"]["escalated"]) if "risks" in parts else None,
    }


def _now():
    """Today's same figures: two aggregate queries."""
    register = (
        Partnership.objects.exclude(status=Status.CLOSED)
        .with_tier()
        .aggregate(open=Count("pk"), value=Sum("annual_value"), tier1=Count("pk", filter=Q(tier=1)))
    )
    escalated = Risk.objects.filter(status=RiskStatus.OPEN).filter(Scoring.current().escalated_condition()).count()
    return {**register, "value": float(register["value"] or 0), "escalated": escalated}


def _change(then, now, shown):
    if then is None:
        return "Not in that report"
    difference = round(now - then)
    if not difference:
        return "No change"
    return f"{'+' if difference > 0 else '−'}{shown(abs(difference))}"


def movement(request, obj):
    """The latest issued report's figures beside today's, or nothing before any report is issued."""
    last = ReportVersion.objects.issued().select_related("report").order_by("-report__meeting_date", "-number").first()
    if last is None:
        return None
    then, now = _then(last.snapshot), _now()
    rows = [
        ("Open partnerships", then["open"], now["open"], str),
        ("Their value a year (where known)", then["value"], now["value"], pounds),
        ("Tier 1 partnerships", then["tier1"], now["tier1"], str),
        ("Risks escalated to the Board", then["escalated"], now["escalated"], str),
    ]
    return {
        "last": last,
        "meeting": f"{last.report.meeting}, {day(last.report.meeting_date)}",
        "rows": [
            (label, "" if a is None else shown(round(a)), shown(round(b)), _change(a, b, shown))
            for label, a, b, shown in rows
        ],
    }

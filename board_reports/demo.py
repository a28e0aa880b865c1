"""The October 2019 partnerships update to the Board of Directors, issued, and a draft for the
next meeting that shows what changed since — told through ``board_reports.services`` like any
report the coordinator writes.

Source: the "Trust partnerships update report" (spring 2019), which was "scheduled to return to
Board in October 2019": its cover sheet (For: Information; the lead executive director and the
authors; "prepared for Board only"; "The Board is asked to note and discuss the report") and its
next steps. The meeting dates and agenda references are demo values. Between the two reports the
coordinator closes the partnership whose lead proposed closing it in the 2019 spring clean
(``review_rounds.demo``), so the draft has changes to show.

:func:`seed` adds the reports only when there is none for the October meeting: a second run
writes nothing.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from board_reports import compose, services
from board_reports.models import BoardReport, Purpose
from core.audit import audit_context
from core.dates import local_today
from core.demo import Seeded, counted
from core.models import BafRiskTheme, StrategicObjective
from partnerships.models import Partnership, Status
from review_rounds.models import Outcome, ReviewTask

OCTOBER = datetime.date(2019, 10, 2)
MARCH = datetime.date(2020, 3, 11)
CLOSED_ON = datetime.date(2019, 11, 30)
COVER = {
    "title": "Trust partnerships update report",
    "meeting": "Board of Directors",
    "lead_executive": "Martyn Ward (Director of Strategy & Chief Information Officer)",
    "author": "Anne Clarke (Partnership Manager – Oxford Mental Health Partnership) and "
    "Ben Cahill (Strategy & Business Development)",
    "governance_route": "This report has been prepared for Board only.",
    "statutory_responsibilities": "This report has been produced for Board information and discussion in order "
    "to inform the Board's overall oversight of partnership working across the Trust.",
}
OCTOBER_NEXT_STEPS = (
    "Complete the categorisation of the register by value and material contribution to the Trust's strategic "
    "objectives.\n\nReport the output of the PwC audit review of partnerships to the Audit Committee.\n\n"
    "Complete the partnerships' risk profiles and report the escalated risks to the next Board update.\n\n"
    "Agree with the Head of Information Governance which IG documents each kind of partnership needs."
)


def _report(coordinator, meeting_date, agenda, purpose, recommendation, next_steps, since):
    summary = compose.suggested_summary(local_today(), since)
    report = BoardReport.objects.create(
        **COVER,
        meeting_date=meeting_date,
        agenda_reference=agenda,
        purpose=purpose,
        recommendation=recommendation,
        executive_summary=f"This report provides an update to the Board on the Trust's partnership arrangements.\n\n"
        f"{summary}",
        next_steps=next_steps,
        created_by=coordinator,
    )
    report.strategic_objectives.set(StrategicObjective.objects.filter(name__in=("Quality", "Sustainability")))
    report.baf_themes.set(BafRiskTheme.objects.filter(name__startswith="Governance of external Partners"))
    return report


def _generate(report, coordinator, issue):
    version = services.request_version(report, coordinator, issue)
    services.generate(version.pk)  # here and now; the worker finds it already generated


def _between_reports():
    """What happens between the two meetings: the partnership the spring clean proposed closing is
    closed (on 30 November 2019, as its status history says)."""
    proposed = ReviewTask.objects.filter(outcome=Outcome.CLOSURE_PROPOSED).select_related("partnership").first()
    if proposed is None or proposed.partnership.status == Status.CLOSED:
        return
    partnership = proposed.partnership
    partnership.status, partnership.end_date = Status.CLOSED, CLOSED_ON
    partnership.full_clean()
    partnership.save()
    # The register dates a status from when it took effect, not from the day the demo was seeded.
    Partnership.objects.filter(pk=partnership.pk).update(
        status_changed_at=timezone.make_aware(datetime.datetime.combine(CLOSED_ON, datetime.time(12)))
    )


def seed():
    coordinator = User.objects.filter(username="ben.cahill").first()
    if coordinator is None or BoardReport.objects.filter(meeting_date=OCTOBER).exists():
        return 0
    with audit_context(user=coordinator, source="seed"), transaction.atomic():
        october = _report(
            coordinator,
            OCTOBER,
            "BOD 71/2019",
            Purpose.INFORMATION,
            "The Board is asked to note and discuss the report.",
            OCTOBER_NEXT_STEPS,
            None,
        )
        _generate(october, coordinator, issue=True)
        _between_reports()
        march = _report(
            coordinator,
            MARCH,
            "BOD 19/2020",
            Purpose.ASSURANCE,
            "The Board is asked to discuss and confirm that it is assured.",
            "",
            OCTOBER,
        )
        _generate(march, coordinator, issue=False)
    return 2


def demo_step():
    """``seed_demo``'s board report step."""
    return Seeded(added=counted(seed(), "board report"))

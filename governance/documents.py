"""Governance's papers, as Word and PDF (``core.papers``): the decision record, a meeting's minutes
and the published register of interests.

Each is read in a fixed number of queries, from the same selectors as the page it comes from, so
a paper says what the page says: the decision record what the decision's page shows, the minutes
what the meeting's page shows and the minutes as recorded, the register what its list exports
(an entry withheld from publication shows only that it is withheld, never why).
"""

import datetime

from django.utils import timezone

from core.dates import day
from core.papers import Lead, Paper, Section, Table, filename
from governance import rules, selectors
from governance.models import Binding, DecisionStatus, InterestCategory, MinutesStatus

DECISION_TEMPLATE = "governance/papers/decision.html"
MINUTES_TEMPLATE = "governance/papers/minutes.html"
REGISTER_TEMPLATE = "governance/papers/register.html"


def when(moment):
    """12 March 2026 at 14:00, in UK time."""
    local = timezone.localtime(moment)
    return f"{day(local)} at {local:%H:%M}"


# --- the decision record ------------------------------------------------------------------------


def decision_paper(decision):
    """The decision record: the rule copied at opening, who could vote (and why not) when voting
    opened and at close, every vote cast, the result and the organisations bound."""
    page = selectors.decision_page(decision)
    body = decision.body
    meeting = decision.item.meeting if decision.item_id else None
    taken = meeting.starts_at if meeting else decision.opened_at
    sections = [
        Section("Who could vote when voting opened", table=_eligibility(page["at_opening"])),
        Section("Who could vote at close", table=_eligibility(page["at_close"])),
        Section("Votes cast", table=_ballots(page["ballots"])),
    ]
    if page["for_review"]:
        sections.insert(0, Section("Flagged for review", paragraphs=[FOR_REVIEW]))
    return Paper(
        title=decision.title,
        caption=f"Decision record · {body.name}",
        summary=_decision_summary(decision, page, meeting),
        sections=sections,
        footer=f"{body.name} · decision record",
        filename=filename(body.name, taken and timezone.localdate(taken).isoformat(), "decision", decision.title),
        lead=_result_lead(decision),
    )


def _result_lead(decision):
    if decision.status != DecisionStatus.CLOSED:
        return Lead(decision.get_status_display())
    tone = "good" if decision.outcome == rules.Outcome.CARRIED else "bad"
    return Lead(decision.get_outcome_display(), decision.explanation, tone)


FOR_REVIEW = (
    "A member declared, after the vote closed, an interest that would have barred them from it. "
    "The result stands as recorded."
)


def result_text(decision):
    """ "Carried: no block, and at least one member supported." (or the status while not closed)."""
    if decision.status != DecisionStatus.CLOSED:
        return decision.get_status_display()
    return f"{decision.get_outcome_display()}: {decision.explanation}" if decision.explanation else ""


def _decision_summary(decision, page, meeting):
    if meeting is not None:
        taken = f"Meeting of {when(meeting.starts_at)}, item {decision.item.number}: {decision.item.title}"
    else:
        closes = decision.written_procedure_closes_at
        taken = "Written procedure" + (f", closing {when(closes)}" if closes else "")
    category = decision.get_category_display()
    if page["affected"]:
        category += ": " + ", ".join(o.name for o in page["affected"])
    pairs = [
        ("Body", decision.body.name),
        ("Taken at", taken),
        ("For", "Decision"),
        ("Category", category),
        ("Proposal", decision.proposal or "Not recorded"),
        ("Result", result_text(decision)),
        ("Rule", _rule_text(decision, page)),
    ]
    if decision.status == DecisionStatus.CLOSED:
        pairs += [
            ("Votes", votes_text(decision)),
            (
                "Quorate",
                f"When voting opened: {_yes(decision.quorate_at_open)}; at close: {_yes(decision.quorate_at_close)}",
            ),
            ("Closed", when(decision.closed_at)),
            ("Organisations bound", "\n".join(o.name for o in page["bound"]) or "None"),
        ]
    return pairs


def _rule_text(decision, page):
    if not page["rule"]:
        return "Copied from the terms of reference in force when voting opens."
    return (
        f"{page['rule_text']} Copied from the terms of reference from {day(decision.terms.effective_from)} "
        f"when voting opened on {when(decision.opened_at)}."
    )


def votes_text(decision):
    text = (
        f"{decision.votes_for} for, {decision.votes_against} against, {decision.abstentions} abstaining; "
        f"counted out of {decision.base}"
    )
    if decision.casting_vote:
        text += f"; the chair's casting vote: {decision.get_casting_vote_display().lower()}"
    return text


def _quorate(decision):
    return f"When voting opened: {_yes(decision.quorate_at_open)}; at close: {_yes(decision.quorate_at_close)}"


def _yes(value):
    return "yes" if value else "no"


def _eligibility(records):
    return Table(
        ["Member", "Organisation", "May vote", "Counts toward quorum"],
        [
            [
                r.member_name,
                r.organisation.name if r.organisation_id else "",
                "Yes" if r.eligible else f"No: {r.get_reason_display().lower()}",
                "Yes" if r.counts_to_quorum else "No",
            ]
            for r in records
        ],
        widths=(26, 30, 28, 16),
        empty="Not recorded yet: this is recorded when voting opens and when it closes.",
    )


def _ballots(ballots):
    return Table(
        ["Member", "Vote", "Recorded"],
        [
            [
                b.membership.person_name,
                b.get_vote_display() + (" (changed later)" if b.superseded else ""),
                when(b.cast_at) + (f" by {b.recorded_by}" if b.recorded_by_id else ""),
            ]
            for b in ballots
        ],
        widths=(35, 25, 40),
        empty="No votes cast.",
    )


# --- the minutes of a meeting ---------------------------------------------------------------------


def minutes_paper(meeting):
    """A meeting's minutes: who attended, the agenda, the interests declared and how each was
    managed, the decisions and their results, and the minutes as recorded (the latest version,
    marked as a draft until a later meeting approves it)."""
    page = selectors.meeting_page(meeting)
    body = meeting.body
    minutes = page["minutes"][-1] if page["minutes"] else None
    state = _minutes_state(minutes)
    date = timezone.localdate(meeting.starts_at)
    return Paper(
        title=f"Minutes of the meeting of {day(date)}",
        caption=f"{body.name} · {state}",
        summary=[
            ("Body", body.name),
            ("Date and time", when(meeting.starts_at)),
            ("Place", meeting.place or "Not recorded"),
            ("These minutes", state),
        ],
        sections=[
            Section("Attendance", table=_attendance(page["attendance"])),
            Section("Agenda", table=_agenda(page["items"])),
            Section("Declarations of interest and how they were managed", table=_declarations(page["items"])),
            Section("Decisions and their results", table=_decisions(page["items"])),
            Section("Actions", table=_actions(page["actions"])),
            Section("Minutes", paragraphs=[minutes.text if minutes else "No minutes have been drafted yet."]),
        ],
        footer=f"{body.name} · minutes of {day(date)} · {state}",
        filename=filename(body.name, date.isoformat(), "minutes"),
        lead=_minutes_lead(minutes),
    )


def _minutes_lead(minutes):
    if minutes is None:
        return Lead("No minutes drafted yet", "the record of the meeting only", "bad")
    if minutes.status != MinutesStatus.APPROVED:
        return Lead("Draft", "these minutes are not yet approved", "bad")
    return None


def _minutes_state(minutes):
    if minutes is None:
        return "no minutes drafted yet"
    if minutes.status == MinutesStatus.APPROVED:
        approved = timezone.localdate(minutes.approved_at.starts_at)
        return f"version {minutes.version}, approved at the meeting of {day(approved)}"
    return f"DRAFT, version {minutes.version} ({minutes.get_status_display().lower()}), not yet approved"


def attendance_text(a):
    if a.present:
        text = "Present"
        if a.arrived_at_item:
            text += f" from item {a.arrived_at_item}"
        if a.left_after_item:
            text += f" until item {a.left_after_item}"
        return text
    return "Apologies" if a.apologies else "Absent"


def _attendance(attendance):
    return Table(
        ["Member", "Organisation", "Role", "Attendance"],
        [
            [
                a.membership.person_name,
                a.membership.organisation.name if a.membership.organisation_id else "",
                a.membership.get_role_display() + ("" if a.membership.voting else ", not voting"),
                attendance_text(a),
            ]
            for a in attendance
        ],
        widths=(28, 32, 18, 22),
        empty="No attendance recorded.",
    )


def _agenda(items):
    return Table(
        ["Item", "Title", "For"],
        [
            [
                str(i.number),
                i.title + (f"\nAbout {i.partnership.reference} {i.partnership.title}" if i.partnership_id else ""),
                "Standing item" if i.standing else i.get_purpose_display(),
            ]
            for i in items
        ],
        widths=(8, 70, 22),
    )


def _declarations(items):
    return Table(
        ["Item", "Member", "Interest declared", "How it was managed"],
        [
            [str(i.number), d.membership.person_name, d.details, d.get_management_display()]
            for i in items
            for d in i.declared
        ],
        widths=(8, 22, 40, 30),
        empty="No interests were declared.",
    )


def _decisions(items):
    decisions = [(i, d) for i in items for d in i.decided]
    bound = {}
    for b in Binding.objects.filter(decision__in=[d for _, d in decisions]).select_related("organisation"):
        bound.setdefault(b.decision_id, []).append(b.organisation.name)
    return Table(
        ["Item", "Decision", "Result", "Votes", "Organisations bound"],
        [
            [
                str(i.number),
                f"{d.title}\n{d.get_category_display()}",
                result_text(d),
                votes_text(d) if d.status == DecisionStatus.CLOSED else "",
                "\n".join(bound.get(d.pk, [])) or ("None" if d.status == DecisionStatus.CLOSED else ""),
            ]
            for i, d in decisions
        ],
        widths=(8, 25, 23, 20, 24),
        empty="No decisions were taken.",
    )


def _actions(actions):
    return Table(
        ["Item", "Action", "Owner", "Due", "Status"],
        [
            [
                str(a.item.number) if a.item_id else "",
                a.description,
                a.owner_display + (f"\n{a.organisation.name}" if a.organisation_id else ""),
                day(a.due_on),
                a.get_status_display(),
            ]
            for a in actions
        ],
        widths=(8, 44, 22, 14, 12),
        empty="No actions were raised.",
    )


# --- the published register of interests --------------------------------------------------------

WITHHELD = "Entry withheld from publication"


def _published(value):
    """A column of the published register: an entry withheld shows only that it is withheld."""
    return lambda i: "" if i.withheld else value(i)


CATEGORY_LABELS = dict(InterestCategory.choices)  # a dict: get_category_display() rebuilds one per call


def _interest(i):
    if i.withheld:
        return ""
    if i.nil_return:
        return "Nil return: nothing to declare"
    return f"{CATEGORY_LABELS.get(i.category, i.category)}: {i.details}"


def _applies(i):
    if i.withheld or i.nil_return or not i.applies_from:
        return ""
    return f"From {day(i.applies_from)}" + (f" to {day(i.applies_to)}" if i.applies_to else "")


def _within_28_days(i):
    """ "No" for an entry declared late (``Interest.late``), "Yes" when the rule applies and it was not."""
    if i.late(i.joined_on, i.first_declared):
        return "No"
    return "Yes" if i.applies_from or i.joined_on else ""


# What the register publishes of an entry (read with ``selectors.with_declaration_dates``), column
# by column: (name, heading, value). The list page, its exports, its paper and the board report's
# appendix all publish these and nothing else.
REGISTER_COLUMNS = (
    ("name", "Name", lambda i: WITHHELD if i.withheld else i.name),
    ("job_title", "Job title", _published(lambda i: i.job_title)),
    ("declared_on", "Date of declaration", _published(lambda i: i.declared_on)),
    ("details", "Interest", _interest),
    ("applies", "Dates it applies", _applies),
    ("action_taken", "Action taken to manage it", _published(lambda i: i.action_taken)),
    ("late", "Declared within 28 days", _published(_within_28_days)),
)


def published_row(interest):
    """An entry as the register publishes it: the text of each of ``REGISTER_COLUMNS``."""
    return [_text(value(interest)) for _, _, value in REGISTER_COLUMNS]


def register_paper(headers, rows, today):
    """The published register, from its list's export rows (what each role may see, as filtered)."""
    return Paper(
        title="Register of interests",
        caption=f"Published register · as at {day(today)}",
        summary=[],
        sections=[
            Section(
                "Declarations",
                paragraphs=[REGISTER_INTRO],
                table=Table(
                    list(headers),
                    [[_text(v) for v in row] for row in rows],
                    widths=REGISTER_WIDTHS if len(headers) == len(REGISTER_WIDTHS) else (),
                    empty="No declarations.",
                ),
            )
        ],
        footer=f"Register of interests · as at {day(today)}",
        filename=filename("register-of-interests", today.isoformat()),
    )


REGISTER_PDF_MOST_ROWS = 300  # about three seconds' printing (WeasyPrint sets some hundred table rows a second)
REGISTER_WIDTHS = (13, 14, 10, 25, 12, 18, 8)  # the register's own columns (another app may add more)
REGISTER_INTRO = (
    "Declarations by members of governance bodies and staff, in the four categories of NHS England's "
    "guidance on managing conflicts of interest. An entry withheld from publication shows only that it is withheld."
)


def _text(value):
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return day(value)
    return str(value)

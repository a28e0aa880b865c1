"""The demo governance bodies, told through ``governance.services`` so that every write is
validated, computed by the rules and audited (source "seed").

Sources (``../shared/seeds/``):

* The Doncaster integrated commissioning MoU (draft, 2017): the Joint Commissioning Co-ordinators
  Committee (JCCC) of NHS Doncaster CCG and Doncaster Borough Council, which "will need to convene
  at least once a month", to which conflicts of interest are "channelled through the next
  available meeting" and a register of interests is "kept up to date and reported". Its
  Accountable Officer signatory, Jackie Pederson, is named in the MoU; the Council's signatory
  is left blank there, so the Council's member here is a demo name. Its decision: to adopt the
  MoU's work programme (the six areas of opportunity from 1 April 2018). Its first meeting leaves
  circulated minutes, an action (long overdue) and a declaration to review, which the meeting
  scheduled after it shows; its members' declarations are all due again.
* "Partnerships report: update on BOB Mental Health Provider Collaborative" (July 2023): the
  Design Group "with representatives from both NHS provider trusts, the ICB, the VCSE sector,
  primary care (being agreed) and Local Authorities (being agreed)" — here the two being agreed
  attend without a vote. Its category 2 decision on a priority binds only the two trusts; a
  second decision shows a member with a declared financial interest excluded from the vote.

* "Provider Collaborative for Integrated Care" (the OH–OUH cover paper, March 2022): the two trusts'
  collaborative board, the MoU drafted from January 2022 after the Boards met in December 2021,
  put to both Boards for feedback in March 2022 and signed by the chief executives in April. Here
  the MoU is a programme taken through NHS England's four locked gateways (initiation, case for
  change, options, options appraisal), each locked by a carried decision of the board; a later
  request to reopen the options stage, which gives no public-interest justification, is refused.
  Ben Cahill, the paper's author, attends for the secretariat.

Names other than Nick Broughton (the Oxford Health chief executive, a demo login), Ben Cahill
(a demo login) and Jackie Pederson are demo names; meeting dates, places, votes and interests are
demo values.

:func:`seed` adds a body only when no body of that name exists, so a second run writes nothing.
"""

import datetime
import zoneinfo
from dataclasses import dataclass

from django.db import transaction

from accounts.models import User
from core.audit import audit_context
from core.demo import Seeded, counted
from governance import rules, services
from governance.models import (
    Action,
    AgendaItem,
    Attendance,
    Body,
    BodyKind,
    Decision,
    Interest,
    ItemDeclaration,
    Meeting,
    Membership,
    Minutes,
    Programme,
    ReopenRequest,
    TermsOfReference,
)
from organisations.models import Organisation, OrganisationKind
from partnerships.models import Partnership

LONDON = zoneinfo.ZoneInfo("Europe/London")
JCCC = "Doncaster Joint Commissioning Co-ordinators Committee"
DESIGN_GROUP = "BOB Mental Health Provider Collaborative Design Group"
BOB_PARTNERSHIP = "P-0010"
OH_OUH_BOARD = "Oxford Health and OUH Collaborative Board"
OH_OUH_PARTNERSHIP = "P-0011"
OH_OUH_MOU = "Memorandum of understanding between Oxford Health and OUH"


@dataclass(frozen=True)
class Added:
    bodies: int = 0
    decisions: int = 0


def _organisation(name, kind):
    found = Organisation.objects.filter(name__iexact=name).first()
    if found:
        return found
    org = Organisation(name=name, kind=kind)
    org.full_clean()
    org.save()
    return org


def _member(body, name, org, role="member", voting=True, user=None, job_title="", starts=None):
    m = Membership(
        body=body,
        user=user,
        name="" if user else name,
        job_title=job_title,
        organisation=org,
        role=role,
        voting=voting,
        starts_on=starts,
    )
    m.full_clean()
    m.save()
    return m


def _body(name, kind, terms, parent=None, partnerships=()):
    body = Body(name=name, kind=kind, parent=parent)
    body.full_clean()
    body.save()
    body.partnerships.set(partnerships)
    t = TermsOfReference(body=body, **terms)
    t.full_clean()
    t.save()
    return body


def _meeting(body, when, place, present):
    meeting = services.schedule_meeting(Meeting(body=body, starts_at=when, place=place))
    for m in present:
        services.record_attendance(Attendance(meeting=meeting, membership=m, present=True))
    return meeting


def _vote(item, title, votes, category=1, affected=(), proposal=""):
    """Raise, open, vote and close a decision on ``item``, an hour into its meeting."""
    start = item.meeting.starts_at
    decision = services.raise_decision(
        Decision(body=item.meeting.body, item=item, title=title, category=category, proposal=proposal), affected
    )
    services.open_vote(decision, now=start + datetime.timedelta(minutes=50))
    for n, (member, vote) in enumerate(votes):
        services.cast_ballot(decision, member, vote, now=start + datetime.timedelta(minutes=51 + n))
    return services.close_vote(decision, now=start + datetime.timedelta(minutes=58))


def seed_jccc():
    if Body.objects.filter(name=JCCC).exists():
        return Added()
    ccg = _organisation("NHS Doncaster Clinical Commissioning Group", OrganisationKind.ICB)
    council = _organisation("Doncaster Borough Council", OrganisationKind.LOCAL_AUTHORITY)
    since = datetime.date(2017, 9, 1)
    body = _body(
        JCCC,
        BodyKind.JOINT_COMMITTEE,
        {
            "effective_from": since,
            "frequency": "monthly",
            "quorum_members": 2,
            "quorum_organisations": 2,
            "quorum_needs_chair": False,
            "method": rules.Method.CONSENSUS,
            "dispute_route": ["Accountable Officers", "CCG Governing Body and Council Cabinet"],
        },
    )
    pederson = _member(body, "Jackie Pederson", ccg, role="chair", job_title="Accountable Officer", starts=since)
    council_lead = _member(
        body, "Damian Allen", council, role="vice_chair", job_title="Director of People (demo name)", starts=since
    )
    commissioner = _member(
        body, "Anthony Fitzgerald", ccg, job_title="Director of Strategy and Delivery (demo name)", starts=since
    )
    meeting = _meeting(
        body,
        datetime.datetime(2017, 10, 12, 14, 0, tzinfo=LONDON),
        "Civic Office, Waterdale, Doncaster",
        (pederson, council_lead, commissioner),
    )
    item = services.add_item(
        AgendaItem(meeting=meeting, title="Integrated commissioning MoU work programme", purpose="decision")
    )
    _vote(
        item,
        "Adopt the MoU work programme: the six areas of opportunity from 1 April 2018",
        [(pederson, "for"), (council_lead, "for"), (commissioner, "abstain")],
    )
    Interest.objects.create(
        membership=commissioner,
        name=commissioner.name,
        job_title=commissioner.job_title,
        declared_on=datetime.date(2017, 10, 12),
        category="non_financial_professional",
        details="Non-executive director of a Doncaster social enterprise bidding to the intermediate care "
        "work stream (demo).",
        applies_from=datetime.date(2016, 4, 1),
        action_taken="Reported to the JCCC; does not take part in decisions on that work stream.",
        organisation=ccg,
        declared_at_meeting=meeting,
    )
    _follow_through(meeting, item, council_lead, council)
    services.close_meeting(meeting)
    # Scheduled after the close: the approval of the minutes, the open (overdue) action and the
    # pending declaration show on it, computed from the meeting before.
    _meeting(body, datetime.datetime(2017, 11, 9, 14, 0, tzinfo=LONDON), "Sovereign House, Doncaster", ())
    return Added(bodies=1, decisions=1)


def _follow_through(meeting, item, council_lead, council):
    """What the JCCC's first meeting leaves to the next: its minutes, circulated for approval, and
    an action on the Council, long past due (overdue, derived from the date) and still open."""
    services.save_action(
        Action(
            meeting=meeting,
            item=item,
            description="Bring the intermediate care work stream's scope and milestones to the next meeting.",
            owner_name=council_lead.name,
            organisation=council,
            due_on=datetime.date(2017, 11, 2),
        )
    )
    minutes = services.add_minutes(
        Minutes(
            meeting=meeting,
            text="Present: Jackie Pederson (chair), Damian Allen, Anthony Fitzgerald.\n"
            "The committee adopted the MoU work programme by consensus. Anthony Fitzgerald declared an "
            "interest (recorded in the register, for review at the next meeting).",
        )
    )
    services.circulate_minutes(minutes)


def seed_design_group():
    if Body.objects.filter(name=DESIGN_GROUP).exists():
        return Added()
    oh = _organisation("Oxford Health NHS Foundation Trust", OrganisationKind.FOUNDATION_TRUST)
    bh = _organisation("Berkshire Healthcare NHS Foundation Trust", OrganisationKind.FOUNDATION_TRUST)
    icb = _organisation("Buckinghamshire, Oxfordshire and Berkshire West Integrated Care Board", OrganisationKind.ICB)
    vcse = _organisation("Oxfordshire Mind", OrganisationKind.VCSE)
    council = _organisation("Oxfordshire County Council", OrganisationKind.LOCAL_AUTHORITY)
    gps = _organisation("Oxford Federation for General Practice", OrganisationKind.PRIMARY_CARE)
    since = datetime.date(2023, 3, 1)
    body = _body(
        DESIGN_GROUP,
        BodyKind.DESIGN_GROUP,
        {
            "effective_from": since,
            "frequency": "monthly",
            "quorum_members": 3,
            "quorum_organisations": 2,
            "method": rules.Method.SIMPLE_MAJORITY,
        },
        partnerships=Partnership.objects.filter(reference=BOB_PARTNERSHIP),
    )
    body.ends_on = datetime.date(2025, 3, 31)  # time-limited: until the collaborative's structures are formalised
    body.save()
    nick = User.objects.filter(username="nick.broughton").first()
    chair = _member(
        body, "Nick Broughton", oh, role="chair", user=nick, job_title="Chief Executive, Oxford Health", starts=since
    )
    oh_member = _member(body, "Amelie Bages", oh, job_title="Director of Strategy and Partnerships", starts=since)
    bh_member = _member(body, "Julian Emms", bh, role="vice_chair", job_title="Chief Executive (demo)", starts=since)
    icb_member = _member(body, "Rachael Corser", icb, job_title="Chief Nursing Officer (demo)", starts=since)
    vcse_member = _member(body, "Dan Knowles", vcse, job_title="Chief Executive (demo name)", starts=since)
    la = _member(body, "Karen Fuller", council, role="in_attendance", voting=False, starts=since)
    gp = _member(body, "Dr Shaheen Ali", gps, role="in_attendance", voting=False, starts=since)
    people = (chair, oh_member, bh_member, icb_member, vcse_member, la, gp)
    meeting = _meeting(
        body, datetime.datetime(2023, 6, 14, 10, 0, tzinfo=LONDON), "Littlemore Mental Health Centre, Oxford", people
    )
    priority = services.add_item(
        AgendaItem(
            meeting=meeting,
            title="First priority of the collaborative",
            purpose="decision",
            partnership=Partnership.objects.filter(reference=BOB_PARTNERSHIP).first(),
        )
    )
    _vote(
        priority,
        "Make crisis and urgent mental health care the trusts' first shared priority",
        [(chair, "for"), (oh_member, "for"), (bh_member, "for")],
        category=2,
        affected=[oh, bh],
        proposal="Binding on the two NHS provider trusts only; the ICB and VCSE partners are consulted.",
    )
    cafe = services.add_item(
        AgendaItem(meeting=meeting, title="Crisis café network", purpose="decision", organisation=vcse)
    )
    interest = Interest.objects.create(
        membership=vcse_member,
        name=vcse_member.name,
        job_title=vcse_member.job_title,
        declared_on=datetime.date(2023, 6, 14),
        category="financial",
        details="Oxfordshire Mind would bid to run the crisis cafés.",
        applies_from=datetime.date(2023, 6, 14),
        action_taken="May take part in the discussion but not the decision.",
        organisation=vcse,
        declared_at_meeting=meeting,
    )
    services.declare_on_item(
        ItemDeclaration(
            item=cafe,
            membership=vcse_member,
            interest=interest,
            details=interest.details,
            management=rules.Conflict.DISCUSS_NOT_VOTE,
            declared_at=meeting.starts_at + datetime.timedelta(minutes=5),
        )
    )
    _vote(
        cafe,
        "Commission a VCSE-run crisis café network across BOB",
        [(chair, "for"), (oh_member, "for"), (bh_member, "for"), (icb_member, "against")],
    )
    services.close_meeting(meeting)
    return Added(bodies=1, decisions=2)


def _gateway(programme, item, title, votes, start):
    """Raise a decision on the programme's open stage on ``item``, and vote and close it from
    ``start`` on: carried, it locks the stage."""
    link = services.raise_gateway_decision(
        programme, Decision(body=programme.body, item=item, title=title), now=start + datetime.timedelta(minutes=10)
    )
    services.open_vote(link.decision, now=start + datetime.timedelta(minutes=20))
    for n, (member, vote) in enumerate(votes):
        services.cast_ballot(link.decision, member, vote, now=start + datetime.timedelta(minutes=21 + n))
    return services.close_vote(link.decision, now=start + datetime.timedelta(minutes=28))


# The MoU's four gateways: the meeting each was locked at, and the decision that locked it.
MOU_GATEWAYS = [
    (
        datetime.datetime(2022, 1, 19, 14, 0, tzinfo=LONDON),
        "Begin drafting a memorandum of understanding between the two trusts, jointly led by the chief executives",
    ),
    (
        datetime.datetime(2022, 2, 16, 14, 0, tzinfo=LONDON),
        "Case for change: remove the day-to-day barriers to joint working (workforce, estates, sharing data)",
    ),
    (
        datetime.datetime(2022, 3, 9, 14, 0, tzinfo=LONDON),
        "Options: a memorandum within a provider collaborative, not legally binding except on confidentiality "
        "and data protection",
    ),
    (
        datetime.datetime(2022, 3, 9, 15, 0, tzinfo=LONDON),
        "Options appraisal: put the draft MoU to both Boards for feedback before the chief executives sign in "
        "April 2022",
    ),
]


def seed_oh_ouh():
    if Body.objects.filter(name=OH_OUH_BOARD).exists():
        return Added()
    oh = _organisation("Oxford Health NHS Foundation Trust", OrganisationKind.FOUNDATION_TRUST)
    ouh = _organisation("Oxford University Hospitals NHS Foundation Trust", OrganisationKind.FOUNDATION_TRUST)
    since = datetime.date(2021, 12, 1)
    body = _body(
        OH_OUH_BOARD,
        BodyKind.PARTNERSHIP_BOARD,
        {
            "effective_from": since,
            "frequency": "monthly",
            "quorum_members": 2,
            "quorum_organisations": 2,
            "method": rules.Method.CONSENSUS,
        },
        partnerships=Partnership.objects.filter(reference=OH_OUH_PARTNERSHIP),
    )
    nick = User.objects.filter(username="nick.broughton").first()
    ben = User.objects.filter(username="ben.cahill").first()
    chair = _member(
        body, "Nick Broughton", oh, role="chair", user=nick, job_title="Chief Executive, Oxford Health", starts=since
    )
    ouh_ceo = _member(
        body, "Alex Morgan", ouh, role="vice_chair", job_title="Chief Executive, OUH (demo name)", starts=since
    )
    secretary = _member(
        body,
        "Ben Cahill",
        oh,
        role="in_attendance",
        voting=False,
        user=ben,
        job_title="Strategy & System Partnerships manager",
        starts=since,
    )
    programme = Programme(
        body=body,
        title=OH_OUH_MOU,
        description="A practical platform for collaboration and integrated care; early priorities urgent care and "
        "end of life care.",
        partnership=Partnership.objects.filter(reference=OH_OUH_PARTNERSHIP).first(),
    )
    programme.full_clean()
    programme.save()
    meetings = {}
    for when, title in MOU_GATEWAYS:
        meeting = meetings.get(when.date())
        if meeting is None:
            meeting = meetings[when.date()] = _meeting(
                body, when, "Warneford Hospital, Oxford", (chair, ouh_ceo, secretary)
            )
        item = services.add_item(AgendaItem(meeting=meeting, title=title.split(":")[0], purpose="decision"))
        _gateway(programme, item, title, [(chair, "for"), (ouh_ceo, "for")], when)
    for meeting in meetings.values():
        services.close_meeting(meeting)
    _refused_reopen(programme)
    return Added(bodies=1, decisions=len(MOU_GATEWAYS))


def _refused_reopen(programme):
    """A request to reopen the options stage that gives no public-interest justification: refused."""
    request = services.request_reopen(
        ReopenRequest(
            programme=programme,
            stage=rules.Gateway.OPTIONS,
            requested_by="OUH estates directorate (demo)",
            reason="Reconsider a legally binding joint venture for the shared estate instead of the MoU.",
            raised_at=datetime.datetime(2022, 5, 4, 9, 0, tzinfo=LONDON),
        )
    )
    services.refuse_reopen(
        request,
        "No public-interest justification was given: a locked gateway is reopened only in the public interest. "
        "The MoU signed in April 2022 stands; the estate can be a priority of the shared work programme.",
        now=datetime.datetime(2022, 5, 18, 14, 30, tzinfo=LONDON),
    )


def seed():
    with audit_context(source="seed"), transaction.atomic():
        results = [seed_jccc(), seed_design_group(), seed_oh_ouh()]
    return Added(sum(r.bodies for r in results), sum(r.decisions for r in results))


def demo_step():
    """``seed_demo``'s governance step."""
    added = seed()
    return Seeded(
        added=counted(added.bodies, "governance body", "governance bodies") | counted(added.decisions, "decision")
    )

"""Governance's rows of Accord's cross-cutting tests (``tests/rows.py`` says what each table is).

No page of governance is served yet, so its rows are the audit coverage of every model: how to
create each, and (where the record may change at all) which field to change. Final records —
ballots, eligibility records, bindings, declarations on an item, the register's declarations —
are only ever created.
"""

import datetime

from django.utils import timezone

from governance import rules, services
from governance.models import (
    AgendaItem,
    Attendance,
    Ballot,
    Binding,
    Body,
    BodyKind,
    Decision,
    EligibilityRecord,
    Interest,
    ItemDeclaration,
    Meeting,
    Membership,
    Minutes,
    Stage,
    TermsOfReference,
)
from tests.rows import Change


def build(w):
    """A partnership board governing the owning lead's partnership (``body``), with terms of
    reference, a chair from the home trust and a member from the partner trust, a meeting with
    both present, and a closed decision; and a body governing the other lead's (``other_body``)."""
    w.body = Body.objects.create(name="Forensic Network Partnership Board", kind=BodyKind.PARTNERSHIP_BOARD)
    w.body.partnerships.add(w.partnership)
    w.terms = TermsOfReference.objects.create(body=w.body, effective_from=datetime.date(2020, 4, 1), quorum_members=2)
    w.chair = Membership.objects.create(
        body=w.body,
        user=w.user("executive"),
        organisation=w.home_trust,
        role="chair",
        starts_on=datetime.date(2020, 4, 1),
    )
    w.member = Membership.objects.create(
        body=w.body, name="Priya Shah", organisation=w.partner_org, starts_on=datetime.date(2020, 4, 1)
    )
    w.meeting = services.schedule_meeting(
        Meeting(body=w.body, starts_at=timezone.now() - datetime.timedelta(days=1), place="Littlemore")
    )
    for m in (w.chair, w.member):
        Attendance.objects.create(meeting=w.meeting, membership=m)
    w.item = services.add_item(AgendaItem(meeting=w.meeting, title="Bed base review", purpose="decision"))
    w.decision = services.raise_decision(Decision(body=w.body, item=w.item, title="Adopt the bed base review"))
    services.open_vote(w.decision)
    services.cast_ballot(w.decision, w.chair, rules.Vote.FOR)
    services.cast_ballot(w.decision, w.member, rules.Vote.FOR)
    w.decision = services.close_vote(w.decision)
    w.other_body = Body.objects.create(name="Talking Space Plus Steering Group", kind=BodyKind.WORKING_GROUP)
    w.other_body.partnerships.add(w.other_partnership)


def _decision(w, title="Agree the escalation protocol"):
    return services.raise_decision(Decision(body=w.body, item=w.item, title=title))


AUDIT = {
    "governance.Body": Change(
        lambda w: Body.objects.create(name="BOB Mental Health Design Group", kind=BodyKind.DESIGN_GROUP),
        "kind",
        "Design group",
        BodyKind.ADVISORY_GROUP,
        "Advisory group",
    ),
    "governance.TermsOfReference": Change(
        lambda w: TermsOfReference.objects.create(body=w.body, effective_from=datetime.date(2026, 4, 1)),
        "quorum_members",
        0,
        3,
        3,
        parent=lambda w: w.body,
    ),
    "governance.Membership": Change(
        lambda w: Membership.objects.create(
            body=w.body, name="Tom Hayes", organisation=w.other_org, starts_on=datetime.date(2024, 1, 1)
        ),
        "voting",
        True,
        False,
        False,
        parent=lambda w: w.body,
    ),
    "governance.Meeting": Change(
        lambda w: Meeting.objects.create(
            body=w.body, starts_at=datetime.datetime(2026, 3, 29, 9, 30, tzinfo=datetime.UTC), place="Warneford"
        ),
        "place",
        "Warneford",
        "Littlemore",
        "Littlemore",
        parent=lambda w: w.body,
    ),
    "governance.AgendaItem": Change(
        lambda w: AgendaItem.objects.create(meeting=w.meeting, number=20, title="Estates update"),
        "title",
        "Estates update",
        "Estates and IT update",
        "Estates and IT update",
        parent=lambda w: w.meeting,
    ),
    "governance.Attendance": Change(
        lambda w: Attendance.objects.create(
            meeting=w.meeting,
            membership=Membership.objects.create(
                body=w.body, name="Ola Ade", organisation=w.other_org, starts_on=datetime.date(2024, 1, 1)
            ),
        ),
        "present",
        True,
        False,
        False,
        parent=lambda w: w.meeting,
    ),
    "governance.ItemDeclaration": Change(
        lambda w: ItemDeclaration.objects.create(
            item=w.item,
            membership=w.member,
            details="Spouse works for the estates contractor.",
            management=rules.Conflict.DISCUSS_NOT_VOTE,
            declared_at=timezone.now(),
        ),
        "management",
        "May take part in discussion but not the decision",
        None,
        None,
        parent=lambda w: w.item,
        actions=("create",),
    ),
    "governance.Minutes": Change(
        lambda w: Minutes.objects.create(meeting=w.meeting, text="Present: the chair and Priya Shah."),
        "status",
        "Draft",
        "circulated",
        "Circulated",
        parent=lambda w: w.meeting,
    ),
    "governance.Decision": Change(
        _decision,
        "title",
        "Agree the escalation protocol",
        "Agree the revised escalation protocol",
        "Agree the revised escalation protocol",
        parent=lambda w: w.body,
    ),
    "governance.EligibilityRecord": Change(
        lambda w: EligibilityRecord.objects.create(
            decision=_decision(w, "Appoint the vice-chair"),
            stage=Stage.OPENING,
            membership=w.member,
            member_name="Priya Shah",
            eligible=False,
            reason=rules.Reason.ABSENT,
            counts_to_quorum=False,
        ),
        "reason",
        "Absent",
        None,
        None,
        actions=("create",),
    ),
    "governance.Ballot": Change(
        lambda w: Ballot.objects.create(
            decision=_decision(w, "Appoint the vice-chair"), membership=w.member, vote="for", cast_at=timezone.now()
        ),
        "vote",
        "For",
        None,
        None,
        actions=("create",),
    ),
    "governance.Binding": Change(
        lambda w: Binding.objects.create(decision=_decision(w, "Appoint the vice-chair"), organisation=w.other_org),
        "organisation",
        "Southern Health NHS Foundation Trust",
        None,
        None,
        actions=("create",),
    ),
    "governance.Interest": Change(
        lambda w: Interest.objects.create(
            name="Priya Shah",
            job_title="Director of Strategy",
            declared_on=datetime.date(2026, 1, 5),
            category="financial",
            details="Shareholding in an estates contractor.",
        ),
        "category",
        "Financial",
        None,
        None,
        actions=("create",),
    ),
}

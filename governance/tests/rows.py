"""Governance's rows of Accord's cross-cutting tests (``tests/rows.py`` says what each table is).

Governance bodies have pages (list, page, add, edit, history): who may use each, the list's
downloads, bad input, query counts and a stale save. Every model has its audit row; final records
— ballots, eligibility records, bindings, declarations on an item, the register's declarations —
are only ever created.
"""

import datetime

from django.utils import timezone

from governance import rules, services
from governance.models import (
    Action,
    AgendaItem,
    Attendance,
    Ballot,
    Binding,
    Body,
    BodyKind,
    Decision,
    DeclarationReview,
    Dispute,
    DisputeEscalation,
    EligibilityRecord,
    GatewayDecision,
    Interest,
    ItemDeclaration,
    Meeting,
    Membership,
    Minutes,
    Programme,
    ReopenOutcome,
    ReopenRequest,
    Stage,
    Supersession,
    TermsOfReference,
)
from tests.rows import (
    KEEPERS,
    NHS_NUMBER_SHOWN,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    OWNERS,
    SAVED,
    Change,
    Export,
    Form,
    Growth,
    Page,
    Stale,
    edits,
    everyone,
    only,
    pk_of,
)
from tests.world import NHS_NUMBER


def build(w):
    """A partnership board governing the owning lead's partnership (``body``), with terms of
    reference, a chair from the home trust and a member from the partner trust, a meeting with
    both present: a closed decision on ``item``, an open one and a draft one on ``item2``; the
    next meeting (``next_meeting``); a declaration on ``item`` (``item_declaration``, pending
    review at the next meeting), draft ``minutes``, a register entry (``interest``) of the member
    and an overdue ``action`` raised at the meeting; and a body governing the other lead's
    (``other_body``)."""
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
    w.item2 = services.add_item(AgendaItem(meeting=w.meeting, title="Crisis pathway", purpose="decision"))
    w.open_decision = services.open_vote(
        services.raise_decision(Decision(body=w.body, item=w.item2, title="Adopt the crisis pathway"))
    )
    w.draft_decision = services.raise_decision(Decision(body=w.body, item=w.item2, title="Fund the crisis line"))
    w.next_meeting = services.schedule_meeting(
        Meeting(body=w.body, starts_at=timezone.now() + datetime.timedelta(days=27), place="Warneford")
    )
    w.item_declaration = ItemDeclaration.objects.create(
        item=w.item,
        membership=w.member,
        details="Partner is a consultant psychiatrist at the partner trust.",
        management=rules.Conflict.NO_ACTION,
        declared_at=w.meeting.starts_at,
    )
    w.minutes = Minutes.objects.create(meeting=w.meeting, text="Present: the chair and Priya Shah.")
    w.interest = Interest.objects.create(
        membership=w.member,
        name="Priya Shah",
        job_title="Director of Strategy",
        declared_on=datetime.date(2025, 4, 1),
        category="non_financial_professional",
        details="Trustee of a mental health charity.",
        action_taken="Declared at each meeting where the charity's work is discussed.",
    )
    w.withheld_interest = Interest.objects.create(
        name="Sam Withheld",
        job_title="Consultant forensic psychiatrist",
        declared_on=datetime.date(2025, 6, 1),
        category="indirect",
        details="A relative works for a secure care provider.",
        withheld=True,
        withheld_reason="Personal safety: recorded by the Director of Corporate Affairs.",
    )
    w.action = services.save_action(
        Action(
            meeting=w.meeting,
            item=w.item,
            description="Circulate the bed base review to the partner trusts.",
            owner_name="Priya Shah",
            organisation=w.partner_org,
            due_on=datetime.date(2026, 1, 15),
        )
    )
    w.other_body = Body.objects.create(name="Talking Space Plus Steering Group", kind=BodyKind.WORKING_GROUP)
    w.other_body.partnerships.add(w.other_partnership)
    other_meeting = services.schedule_meeting(
        Meeting(body=w.other_body, starts_at=timezone.now() - datetime.timedelta(days=3), place="Banbury")
    )
    other_item = services.add_item(AgendaItem(meeting=other_meeting, title="Waiting list", purpose="decision"))
    w.other_decision = services.raise_decision(
        Decision(body=w.other_body, item=other_item, title="Agree the waiting list plan")
    )
    build_gateways(w)


def _carried(w, title, gateway=False):
    """A decision on a new item of ``w.gateway_meeting``, carried by both members (on the programme's open
    stage when ``gateway``)."""
    item = services.add_item(AgendaItem(meeting=w.gateway_meeting, title=title, purpose="decision"))
    decision = Decision(body=w.body, item=item, title=title)
    if gateway:
        services.raise_gateway_decision(w.programme, decision)
    else:
        services.raise_decision(decision)
    services.open_vote(decision)
    for m in (w.chair, w.member):
        services.cast_ballot(decision, m, rules.Vote.FOR)
    return services.close_vote(decision)


def build_gateways(w):
    """A ``programme`` of the body with its initiation and case for change stages locked, a request
    to reopen the case for change waiting (``reopen``), one to reopen initiation refused
    (``refused_reopen``, ``refusal``), a unanimous decision taken after them (``approval``) and a
    dispute of the closed ``decision`` by the partner trust (``dispute``) at its first level
    (``escalation``); the stages' and the approval's decisions are on ``gateway_meeting``."""
    w.programme = Programme.objects.create(body=w.body, title="Forensic bed base programme", partnership=w.partnership)
    w.gateway_meeting = services.schedule_meeting(
        Meeting(body=w.body, starts_at=timezone.now() - datetime.timedelta(days=2), place="Littlemore")
    )
    for m in (w.chair, w.member):
        Attendance.objects.create(meeting=w.gateway_meeting, membership=m)
    w.initiation = _carried(w, "Start the bed base programme", gateway=True)
    w.case_for_change = _carried(w, "The case for change: fewer out-of-area placements", gateway=True)
    w.reopen = services.request_reopen(
        ReopenRequest(
            programme=w.programme,
            stage="case_for_change",
            requested_by="Southern Health NHS Foundation Trust",
            reason="The placement figures were revised.",
            public_interest="Patients placed far from home for longer if the case stands on old figures.",
        )
    )
    w.refused_reopen = services.request_reopen(
        ReopenRequest(programme=w.programme, stage="initiation", requested_by="Priya Shah", reason="Scope widened.")
    )
    w.refusal = services.refuse_reopen(w.refused_reopen, "No public-interest justification was given.")
    w.approval = _carried(w, "Reopen the case for change")
    w.dispute = services.raise_dispute(
        Dispute(decision=w.decision, organisation=w.partner_org, grounds="The partner trust's beds were not counted.")
    )
    w.escalation = w.dispute.escalations.get()


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
        lambda w: Minutes.objects.create(meeting=w.meeting, version=2, text="Present: the chair and Priya Shah."),
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


AUDIT["governance.Action"] = Change(
    lambda w: services.save_action(
        Action(
            meeting=w.meeting,
            description="Draft the estates paper.",
            owner_name="Ola Ade",
            due_on=datetime.date(2026, 2, 1),
        )
    ),
    "status",
    "Open",
    "done",
    "Done",
    parent=lambda w: w.meeting,
)
AUDIT["governance.DeclarationReview"] = Change(
    lambda w: DeclarationReview.objects.create(
        meeting=w.next_meeting, item_declaration=w.item_declaration, outcome="action", action_taken="Noted."
    ),
    "outcome",
    "Action taken to manage it recorded",
    None,
    None,
    parent=lambda w: w.next_meeting,
    actions=("create",),
)


def _gateway(w, stage="options_appraisal"):
    return GatewayDecision.objects.create(
        programme=w.programme, stage=stage, decision=_decision(w, "Appraise the options"), raised_at=timezone.now()
    )


AUDIT.update(
    {
        "governance.Programme": Change(
            lambda w: Programme.objects.create(body=w.body, title="Crisis line programme"),
            "title",
            "Crisis line programme",
            "Crisis line and café programme",
            "Crisis line and café programme",
            parent=lambda w: w.body,
        ),
        "governance.GatewayDecision": Change(
            _gateway, "stage", "Options appraisal", None, None, parent=lambda w: w.programme, actions=("create",)
        ),
        "governance.ReopenRequest": Change(
            lambda w: ReopenRequest.objects.create(
                programme=w.programme,
                stage="initiation",
                reason="Scope widened.",
                requested_by="Priya Shah",
                raised_at=timezone.now(),
            ),
            "stage",
            "Initiation",
            None,
            None,
            parent=lambda w: w.programme,
            actions=("create",),
        ),
        "governance.ReopenOutcome": Change(
            lambda w: ReopenOutcome.objects.create(
                request=w.reopen, approved=False, note="No new evidence.", recorded_at=timezone.now()
            ),
            "note",
            "No new evidence.",
            None,
            None,
            parent=lambda w: w.reopen,
            actions=("create",),
        ),
        "governance.Supersession": Change(
            lambda w: Supersession.objects.create(
                original=w.decision, by=w.approval, dispute=w.dispute, recorded_at=timezone.now()
            ),
            "by",
            "Reopen the case for change",
            None,
            None,
            parent=lambda w: w.decision,
            actions=("create",),
        ),
        "governance.Dispute": Change(
            lambda w: Dispute.objects.create(
                decision=w.decision, organisation=w.home_trust, grounds="Not consulted.", raised_on=timezone.localdate()
            ),
            "grounds",
            "Not consulted.",
            None,
            None,
            parent=lambda w: w.decision,
            actions=("create",),
        ),
        "governance.DisputeEscalation": Change(
            lambda w: DisputeEscalation.objects.create(
                dispute=w.dispute, level=1, level_name="Chief executives", recorded_at=timezone.now()
            ),
            "level_name",
            "Chief executives",
            None,
            None,
            parent=lambda w: w.dispute,
            actions=("create",),
        ),
    }
)


def private(w):
    """What only those who may see the bodies read: the other lead never sees the owner's body."""
    return [w.body.name]


def _readers(outcome):
    """Everyone but the other lead (whose partnership the body does not govern: 404)."""
    table = everyone(outcome)
    table["other_lead"] = NOT_FOUND
    return table


def _keepers_only(outcome):
    table = only(outcome, KEEPERS)
    table["other_lead"] = NOT_FOUND
    return table


def _body_form(w, **changes):
    return {
        "name": w.body.name,
        "kind": w.body.kind,
        "parent": "",
        "partnerships": [str(w.partnership.pk)],
        "purpose": w.body.purpose,
        "ends_on": "",
    } | changes


def _terms_form(**changes):
    return {
        "effective_from": "01/04/2027",
        "frequency": "monthly",
        "quorum_members": "3",
        "quorum_share": "",
        "quorum_organisations": "2",
        "quorum_needs_chair": "on",
        "method": "qualified_majority",
        "threshold": "2/3",
        "base": "votes_cast",
        "deputies_count_to_quorum": "on",
        "deputies_may_vote": "on",
        "abstention_breaks_unanimity": "on",
        "consensus_needs_support": "on",
        "category2_quorum_affected_only": "on",
        "dispute_window_days": "28",
        "dispute_route": "Partnership leads\nChief executives\nIndependent mediation",
    } | changes


def _member_form(w, **changes):
    m = w.member
    return {
        "user": "",
        "name": m.name,
        "job_title": m.job_title,
        "organisation": m.organisation_id,
        "role": m.role,
        "voting": "on" if m.voting else "",
        "deputy_for": "",
        "starts_on": m.starts_on.strftime("%d/%m/%Y"),
        "ends_on": "",
    } | changes


def _action_form(w, **changes):
    a = w.action
    return {
        "description": a.description,
        "item": a.item_id or "",
        "owner": "",
        "owner_name": a.owner_name,
        "organisation": a.organisation_id or "",
        "due_on": a.due_on.strftime("%d/%m/%Y"),
        "status": a.status,
    } | changes


PAGES = {
    "governance:written_decision_add": Page(
        args=pk_of("body"),
        get=_keepers_only(OK),
        post=_keepers_only(SAVED),
        data=lambda w: {
            "title": "Approve the winter plan",
            "category": "1",
            "closes_on": (timezone.localdate() + datetime.timedelta(days=7)).strftime("%d/%m/%Y"),
            "closes_time": "17:00",
        },
        effect=lambda w: Decision.objects.filter(
            body=w.body, item=None, title="Approve the winter plan", written_procedure_closes_at__isnull=False
        ).exists(),
    ),
    "governance:action_add": Page(
        args=pk_of("meeting"),
        get=_keepers_only(OK),
        post=_keepers_only(SAVED),
        data=lambda w: {
            "description": "Share the crisis pathway with primary care.",
            "item": w.item2.pk,
            "owner": w.user("owner").pk,
            "organisation": w.home_trust.pk,
            "due_on": "30/04/2027",
        },
        effect=lambda w: Action.objects.filter(
            meeting=w.meeting, item=w.item2, owner=w.user("owner"), status="open", due_on=datetime.date(2027, 4, 30)
        ).exists(),
    ),
    "governance:action_edit": Page(
        args=pk_of("action"),
        get=_keepers_only(OK),
        post=_keepers_only(SAVED),
        data=lambda w: _action_form(w, status="done"),
        effect=lambda w: Action.objects.get(pk=w.action.pk).status == "done",
    ),
    "governance:review_add": Page(
        args=pk_of("next_meeting"),
        get=_keepers_only(OK),
        post=_keepers_only(SAVED),
        data=lambda w: {
            "declaration": f"item-{w.item_declaration.pk}",
            "outcome": "entered",
            "category": "non_financial_personal",
        },
        effect=lambda w: DeclarationReview.objects.filter(
            meeting=w.next_meeting,
            item_declaration=w.item_declaration,
            interest__category="non_financial_personal",
            interest__declared_at_meeting=w.meeting,
        ).exists(),
    ),
    "governance:minutes_add": Page(
        args=pk_of("next_meeting"),
        get=_keepers_only(OK),
        post=_keepers_only(SAVED),
        data=lambda w: {"text": "Present: the chair. Apologies: Priya Shah."},
        effect=lambda w: Minutes.objects.filter(meeting=w.next_meeting, version=1, status="draft").exists(),
    ),
    "governance:minutes_circulate": Page(
        args=pk_of("minutes"),
        get=_keepers_only(OK),
        post=_keepers_only(SAVED),
        effect=lambda w: Minutes.objects.get(pk=w.minutes.pk).status == "circulated",
    ),
    "governance:minutes_approve": Page(
        args=pk_of("minutes"),
        get=_keepers_only(OK),
        post=_keepers_only(SAVED),
        data=lambda w: {"at_meeting": w.next_meeting.pk},
        effect=lambda w: Minutes.objects.get(pk=w.minutes.pk).approved_at == w.next_meeting,
        prepare=lambda client, w, role: Minutes.objects.filter(pk=w.minutes.pk).update(status="circulated"),
    ),
    "governance:interests": Page(get=everyone(OK), post=everyone(NOT_ALLOWED)),
    "governance:interest_add": Page(
        get=only(OK, KEEPERS),
        post=only(SAVED, KEEPERS),
        data=lambda w: {
            "user": w.user("owner").pk,
            "declared_on": "01/04/2026",
            "category": "financial",
            "details": "Shares in a digital health company.",
            "applies_from": "01/01/2026",
            "action_taken": "Leaves meetings for items about the company.",
        },
        effect=lambda w: Interest.objects.filter(
            user=w.user("owner"),
            name="Anne Clarke",
            category="financial",
            details="Shares in a digital health company.",
        ).exists(),
    ),
    "governance:attendance": Page(
        args=pk_of("meeting"),
        get=_keepers_only(OK),
        post=_keepers_only(SAVED),
        data=lambda w: {"membership": w.member.pk, "present": "on", "left_after_item": "4"},
        effect=lambda w: Attendance.objects.get(meeting=w.meeting, membership=w.member).left_after_item == 4,
    ),
    "governance:item_add": Page(
        args=pk_of("meeting"),
        get=_keepers_only(OK),
        post=_keepers_only(SAVED),
        data=lambda w: {"title": "Estates strategy", "purpose": "assurance", "partnership": w.partnership.pk},
        effect=lambda w: AgendaItem.objects.filter(meeting=w.meeting, title="Estates strategy", number=7).exists(),
    ),
    "governance:meeting_close": Page(
        args=pk_of("next_meeting"),
        get=_keepers_only(OK),
        post=_keepers_only(SAVED),
        effect=lambda w: Meeting.objects.get(pk=w.next_meeting.pk).status == "closed",
    ),
    "governance:declare": Page(
        args=pk_of("item2"),
        get=_keepers_only(OK),
        post=_keepers_only(SAVED),
        data=lambda w: {
            "membership": w.member.pk,
            "details": "Trustee of a crisis line charity.",
            "management": "discuss_not_vote",
        },
        effect=lambda w: ItemDeclaration.objects.filter(item=w.item2, membership=w.member).exists(),
    ),
    "governance:decision_add": Page(
        args=pk_of("item2"),
        get=_keepers_only(OK),
        post=_keepers_only(SAVED),
        data=lambda w: {"title": "Pool the crisis budgets", "category": "2", "affected": [w.partner_org.pk]},
        effect=lambda w: Decision.objects.filter(
            item=w.item2, title="Pool the crisis budgets", category=2, affected=w.partner_org
        ).exists(),
    ),
    "governance:decision": Page(args=pk_of("decision"), get=_readers(OK), post=everyone(NOT_ALLOWED)),
    # The papers: whoever may read the page they come from downloads them (governance/tests/test_papers.py
    # reads what they hold).
    "governance:decision_docx": Page(args=pk_of("decision"), get=_readers(OK), post=everyone(NOT_ALLOWED)),
    "governance:decision_pdf": Page(args=pk_of("decision"), get=_readers(OK), post=everyone(NOT_ALLOWED)),
    "governance:minutes_docx": Page(args=pk_of("meeting"), get=_readers(OK), post=everyone(NOT_ALLOWED)),
    "governance:minutes_pdf": Page(args=pk_of("meeting"), get=_readers(OK), post=everyone(NOT_ALLOWED)),
    "governance:decision_open": Page(
        args=pk_of("draft_decision"),
        get=_keepers_only(OK),
        post=_keepers_only(SAVED),
        effect=lambda w: Decision.objects.get(pk=w.draft_decision.pk).status == "open",
    ),
    "governance:ballot": Page(
        args=pk_of("open_decision"),
        get=_keepers_only(OK),
        post=_keepers_only(SAVED),
        data=lambda w: {"membership": w.member.pk, "vote": "against"},
        effect=lambda w: Ballot.objects.filter(decision=w.open_decision, membership=w.member, vote="against").exists(),
    ),
    "governance:decision_close": Page(
        args=pk_of("open_decision"),
        get=_keepers_only(OK),
        post=_keepers_only(SAVED),
        data=lambda w: {"casting": ""},
        effect=lambda w: Decision.objects.get(pk=w.open_decision.pk).status == "closed",
    ),
    "governance:meeting_add": Page(
        args=pk_of("body"),
        get=_keepers_only(OK),
        post=_keepers_only(SAVED),
        data=lambda w: {"date": "25/10/2026", "time": "01:30", "place": "Littlemore Mental Health Centre"},
        effect=lambda w: Meeting.objects.filter(
            body=w.body,
            starts_at=datetime.datetime(2026, 10, 25, 0, 30, tzinfo=datetime.UTC),  # BST: the first 01:30
            place="Littlemore Mental Health Centre",
            items__standing="declarations",
        ).exists(),
    ),
    "governance:meeting": Page(args=pk_of("meeting"), get=_readers(OK), post=everyone(NOT_ALLOWED)),
    "governance:terms_add": Page(
        args=pk_of("body"),
        get=_keepers_only(OK),
        post=_keepers_only(SAVED),
        data=lambda w: _terms_form(),
        effect=lambda w: TermsOfReference.objects.filter(
            body=w.body,
            effective_from=datetime.date(2027, 4, 1),
            threshold="2/3",
            dispute_route=["Partnership leads", "Chief executives", "Independent mediation"],
        ).exists(),
    ),
    "governance:member_add": Page(
        args=pk_of("body"),
        get=_keepers_only(OK),
        post=_keepers_only(SAVED),
        data=lambda w: {
            "user": w.user("owner").pk,
            "organisation": w.home_trust.pk,
            "role": "vice_chair",
            "voting": "on",
            "starts_on": "01/04/2026",
        },
        effect=lambda w: Membership.objects.filter(body=w.body, user=w.user("owner"), role="vice_chair").exists(),
    ),
    "governance:member_edit": Page(
        args=pk_of("member"),
        get=_keepers_only(OK),
        post=_keepers_only(SAVED),
        data=lambda w: _member_form(w, ends_on="31/03/2026"),
        effect=lambda w: Membership.objects.get(pk=w.member.pk).ends_on == datetime.date(2026, 3, 31),
    ),
    "governance:programme_add": Page(
        args=pk_of("body"),
        get=_keepers_only(OK),
        post=_keepers_only(SAVED),
        data=lambda w: {"title": "Crisis line programme", "description": "A single crisis line for the network."},
        effect=lambda w: Programme.objects.filter(body=w.body, title="Crisis line programme").exists(),
    ),
    "governance:programme": Page(args=pk_of("programme"), get=_readers(OK), post=everyone(NOT_ALLOWED)),
    "governance:gateway_decision": Page(
        args=pk_of("programme"),
        get=_keepers_only(OK),
        post=_keepers_only(SAVED),
        data=lambda w: {"item": w.item2.pk, "title": "Options: three bed base models"},
        effect=lambda w: GatewayDecision.objects.filter(
            programme=w.programme, stage="options", decision__title="Options: three bed base models"
        ).exists(),
    ),
    "governance:reopen_request": Page(
        args=pk_of("programme"),
        get=_keepers_only(OK),
        post=_keepers_only(SAVED),
        data=lambda w: {
            "stage": "initiation",
            "requested_by": "Priya Shah",
            "reason": "The network's scope changed.",
            "public_interest": "",
        },
        effect=lambda w: ReopenRequest.objects.filter(
            programme=w.programme, stage="initiation", public_interest=""
        ).exists(),
    ),
    "governance:reopen_approve": Page(
        args=pk_of("reopen"),
        get=_keepers_only(OK),
        post=_keepers_only(SAVED),
        data=lambda w: {"decision": w.approval.pk},
        effect=lambda w: Supersession.objects.filter(original=w.case_for_change, by=w.approval).exists(),
    ),
    "governance:reopen_refuse": Page(
        args=pk_of("reopen"),
        get=_keepers_only(OK),
        post=_keepers_only(SAVED),
        data=lambda w: {"note": "The revised figures change nothing material."},
        effect=lambda w: ReopenOutcome.objects.filter(request=w.reopen, approved=False).exists(),
    ),
    "governance:dispute_add": Page(
        args=pk_of("decision"),
        get=_keepers_only(OK),
        post=_keepers_only(SAVED),
        data=lambda w: {
            "organisation": w.home_trust.pk,
            "grounds": "The home trust's staffing was not costed.",
            "raised_on": timezone.localdate().strftime("%d/%m/%Y"),
        },
        effect=lambda w: Dispute.objects.filter(decision=w.decision, organisation=w.home_trust).exists(),
    ),
    "governance:dispute": Page(args=pk_of("dispute"), get=_readers(OK), post=everyone(NOT_ALLOWED)),
    "governance:dispute_escalate": Page(
        args=pk_of("dispute"),
        get=_keepers_only(OK),
        post=_keepers_only(SAVED),
        data=lambda w: {"level": "1"},
        effect=lambda w: DisputeEscalation.objects.filter(dispute=w.dispute, level=1).exists(),
    ),
    "governance:dispute_resolve": Page(
        args=pk_of("dispute"),
        get=_keepers_only(OK),
        post=_keepers_only(SAVED),
        data=lambda w: {"decision": w.approval.pk},
        effect=lambda w: Supersession.objects.filter(dispute=w.dispute, original=w.decision, by=w.approval).exists(),
    ),
    "governance:list": Page(get=everyone(OK), post=everyone(NOT_ALLOWED)),
    "governance:decisions": Page(get=everyone(OK), post=everyone(NOT_ALLOWED)),
    "governance:detail": Page(args=pk_of("body"), get=_readers(OK), post=everyone(NOT_ALLOWED)),
    "governance:history": Page(args=pk_of("body"), get=_readers(OK), post=everyone(NOT_ALLOWED)),
    "governance:add": Page(
        get=only(OK, KEEPERS),
        post=only(SAVED, KEEPERS),
        data=lambda w: {"name": "BOB Mental Health Partnership", "kind": "partnership_board", "parent": w.body.pk},
        effect=lambda w: Body.objects.filter(name="BOB Mental Health Partnership", parent=w.body).exists(),
    ),
    "governance:edit": Page(
        args=pk_of("body"),
        get=_keepers_only(OK),
        post=_keepers_only(SAVED),
        data=lambda w: _body_form(w, purpose="Oversees the forensic network."),
        effect=lambda w: Body.objects.get(pk=w.body.pk).purpose == "Oversees the forensic network.",
    ),
}


def _bodies(w, role):
    if role in OWNERS:
        return [w.body.name]
    if role == "other_lead":
        return [w.other_body.name]
    return sorted([w.body.name, w.other_body.name])


def _decisions(w, role, **condition):
    """The titles of the decisions a role reads: a lead only those of the bodies governing their
    partnerships (the forensic board's for its leads, the steering group's one for the other lead)."""
    bodies = {"other_lead": [w.other_body]}.get(role, [w.body] if role in OWNERS else [w.body, w.other_body])
    return sorted(Decision.objects.filter(body__in=bodies, **condition).values_list("title", flat=True))


EXPORTS = {
    # Every decision of the bodies the role reads, across bodies.
    "governance:decisions": Export(
        key="Decision",
        rows=_decisions,
        filter={"outcome": "carried"},
        filtered_rows=lambda w, role: _decisions(w, role, outcome="carried"),
    ),
    # The published register: everyone reads it; a withheld entry shows only that it is withheld.
    "governance:interests": Export(
        key="Name",
        rows=lambda w, role: sorted(["Priya Shah", "Entry withheld from publication"]),
        filter={"category": "indirect"},
        filtered_rows=lambda w, role: ["Entry withheld from publication"],
    ),
    "governance:list": Export(
        key="Body",
        rows=_bodies,
        filter={"kind": "working_group"},
        filtered_rows=lambda w, role: [] if role in OWNERS else [w.other_body.name],
    ),
}

FORMS = {
    "programme with no title": Form(
        "governance:programme_add",
        pk_of("body"),
        lambda w: {"title": " ", "description": f"Patient {NHS_NUMBER}"},
        {"title": "Enter the programme's title.", "description": NHS_NUMBER_SHOWN},
    ),
    "decision on the open stage with no item or title": Form(
        "governance:gateway_decision",
        pk_of("programme"),
        lambda w: {"item": "", "title": ""},
        {"item": "Choose the agenda item the decision is taken on.", "title": "Enter the decision to be taken."},
    ),
    "decision on the open stage while one is still to be taken": Form(
        "governance:gateway_decision",
        pk_of("programme"),
        lambda w: {"item": w.item2.pk, "title": "Options, again"},
        {"item": "“Options: three bed base models” is still to be decided on this programme: close its vote first."},
        setup=lambda w: services.raise_gateway_decision(
            w.programme, Decision(body=w.body, item=w.item2, title="Options: three bed base models")
        ),
    ),
    "reopen request for a stage that is not locked, with no reason": Form(
        "governance:reopen_request",
        pk_of("programme"),
        lambda w: {"stage": "options", "requested_by": "", "reason": ""},
        {
            "stage": "Select a valid choice.",
            "requested_by": "Enter who asks for the stage to be reopened.",
            "reason": "Enter why the stage should be reopened.",
        },
    ),
    "reopen request for a stage already waiting for a decision": Form(
        "governance:reopen_request",
        pk_of("programme"),
        lambda w: {"stage": "case_for_change", "requested_by": "Priya Shah", "reason": "Again."},
        {"stage": "A request to reopen this stage is already waiting for a decision."},
    ),
    "reopen approved without a public-interest justification": Form(
        "governance:reopen_approve",
        pk_of("reopen"),
        lambda w: {"decision": w.approval.pk},
        {"decision": "reopened only in the public interest, and this request records no public-interest"},
        setup=lambda w: setattr(
            w,
            "reopen",
            ReopenRequest.objects.create(
                programme=w.programme,
                stage="initiation",
                requested_by="Priya Shah",
                reason="The network's scope changed.",
                raised_at=w.reopen.raised_at,
            ),
        ),
    ),
    "reopen approved by no decision": Form(
        "governance:reopen_approve",
        pk_of("reopen"),
        lambda w: {"decision": ""},
        {"decision": "Choose the unanimous decision that approves the reopen."},
    ),
    "reopen refused with no reason": Form(
        "governance:reopen_refuse",
        pk_of("reopen"),
        lambda w: {"note": "  "},
        {"note": "Record why the request is refused."},
    ),
    "dispute by an organisation not bound": Form(
        "governance:dispute_add",
        pk_of("decision"),
        lambda w: {"organisation": w.other_org.pk, "grounds": "Not consulted.", "raised_on": "01/01/2020"},
        {"organisation": "Southern Health NHS Foundation Trust is not bound by this decision, so it cannot dispute"},
        setup=lambda w: Membership.objects.create(
            body=w.body,
            name="Ola Ade",
            organisation=w.other_org,
            voting=False,
            role="in_attendance",
            starts_on=datetime.date(2024, 1, 1),
        ),
    ),
    "dispute with no grounds": Form(
        "governance:dispute_add",
        pk_of("decision"),
        lambda w: {"organisation": w.home_trust.pk, "grounds": "", "raised_on": "01/01/2020"},
        {"grounds": "Enter the grounds of the dispute."},
    ),
    "dispute raised out of time": Form(
        "governance:dispute_add",
        pk_of("decision"),
        lambda w: {
            "organisation": w.home_trust.pk,
            "grounds": "Not consulted.",
            "raised_on": (timezone.localdate() + datetime.timedelta(days=29)).strftime("%d/%m/%Y"),
        },
        {"organisation": "The time to dispute this decision ended on"},
    ),
    "dispute escalated past a level without a reason": Form(
        "governance:dispute_escalate",
        pk_of("dispute"),
        lambda w: {"level": "2", "skip_reason": " "},
        {"level": "Escalating to Parent body or ICB skips Chief executives: record the reason for skipping."},
    ),
    "dispute resolved by the decision disputed": Form(
        "governance:dispute_resolve",
        pk_of("dispute"),
        lambda w: {"decision": w.decision.pk},
        {"decision": "Select a valid choice."},
    ),
    "written procedure with no title, closing in the past": Form(
        "governance:written_decision_add",
        pk_of("body"),
        lambda w: {"title": "", "category": "1", "closes_on": "01/01/2020", "closes_time": "17:00"},
        {"title": "Enter the decision to be taken.", "closes_on": "Votes close at a time still to come."},
    ),
    "written procedure closing at no time, category 2 naming no organisation": Form(
        "governance:written_decision_add",
        pk_of("body"),
        lambda w: {"title": "Pool the budgets", "category": "2", "closes_on": "", "closes_time": "five"},
        {
            "closes_on": "Enter the date votes close.",
            "closes_time": "Enter a time on the 24-hour clock, for example 17:00.",
            "affected": "A category 2 decision must name the organisations it affects.",
        },
    ),
    "action with no description, no owner, no due date": Form(
        "governance:action_add",
        pk_of("meeting"),
        lambda w: {"description": " ", "owner": "", "owner_name": "", "due_on": ""},
        {
            "description": "Describe the action.",
            "owner_name": "Choose an Accord user or type the name of a person outside Accord, not both.",
            "due_on": "Enter the date the action is due.",
        },
    ),
    "action with an NHS number, due on a date that does not exist": Form(
        "governance:action_edit",
        pk_of("action"),
        lambda w: _action_form(w, description=f"Call back patient {NHS_NUMBER}", due_on="31/02/2027"),
        {"description": NHS_NUMBER_SHOWN, "due_on": "Enter a real date"},
    ),
    "review with no declaration or outcome": Form(
        "governance:review_add",
        pk_of("next_meeting"),
        lambda w: {"declaration": "", "outcome": ""},
        {"declaration": "Choose the declaration reviewed.", "outcome": "Choose the outcome of the review."},
    ),
    "review with an NHS number": Form(
        "governance:review_add",
        pk_of("next_meeting"),
        lambda w: {
            "declaration": f"item-{w.item_declaration.pk}",
            "outcome": "entered",
            "action_taken": f"Patient {NHS_NUMBER}",
        },
        {"action_taken": NHS_NUMBER_SHOWN},
    ),
    "review accepting a declaration into the register with no category": Form(
        "governance:review_add",
        pk_of("next_meeting"),
        lambda w: {"declaration": f"item-{w.item_declaration.pk}", "outcome": "entered"},
        {"category": "Choose the category of the interest for the register."},
    ),
    "review recording an action with none described": Form(
        "governance:review_add",
        pk_of("next_meeting"),
        lambda w: {"declaration": f"item-{w.item_declaration.pk}", "outcome": "action", "action_taken": " "},
        {"action_taken": "Record the action taken to manage the interest."},
    ),
    "review at the meeting the declaration was made at": Form(
        "governance:review_add",
        pk_of("meeting"),
        lambda w: {"declaration": f"item-{w.item_declaration.pk}", "outcome": "action", "action_taken": "Noted."},
        {"declaration": "Select a valid choice."},
    ),
    "minutes with nothing in them": Form(
        "governance:minutes_add", pk_of("next_meeting"), lambda w: {"text": " "}, {"text": "Enter the minutes."}
    ),
    "minutes approved before they are circulated": Form(
        "governance:minutes_approve",
        pk_of("minutes"),
        lambda w: {"at_meeting": w.next_meeting.pk},
        {"at_meeting": "Minutes are approved once circulated."},
    ),
    "minutes approved at no meeting": Form(
        "governance:minutes_approve",
        pk_of("minutes"),
        lambda w: {"at_meeting": ""},
        {"at_meeting": "Choose the meeting that approved them."},
    ),
    "declaration by no one, a nil return with details, dates the wrong way round": Form(
        "governance:interest_add",
        lambda w: [],
        lambda w: {
            "declared_on": "",
            "nil_return": "on",
            "category": "financial",
            "details": "Shares.",
            "applies_from": "01/02/2026",
            "applies_to": "01/01/2026",
        },
        {
            "name": "Enter the name of the person declaring, or choose an Accord user.",
            "declared_on": "Enter the date of the declaration.",
            "nil_return": "A nil return declares nothing: leave the category and details empty.",
            "applies_to": "The end date must be the same as or after the start date.",
        },
    ),
    "declaration withheld with no reason, with an NHS number": Form(
        "governance:interest_add",
        lambda w: [],
        lambda w: {
            "name": "Priya Shah",
            "declared_on": "01/04/2026",
            "category": "financial",
            "details": f"Shares, patient {NHS_NUMBER}",
            "withheld": "on",
        },
        {
            "details": NHS_NUMBER_SHOWN,
            "withheld_reason": "Record why the entry is withheld from publication (kept internally).",
        },
    ),
    "attendance with no member, leaving before arriving": Form(
        "governance:attendance",
        pk_of("meeting"),
        lambda w: {"membership": "", "present": "on", "arrived_at_item": "5", "left_after_item": "3"},
        {"membership": "Choose the member.", "left_after_item": "They cannot leave before the item they arrived for."},
    ),
    "agenda item with no title": Form(
        "governance:item_add",
        pk_of("meeting"),
        lambda w: {"title": "", "purpose": "decision"},
        {"title": "Enter the item's title."},
    ),
    "declaration with nothing said": Form(
        "governance:declare",
        pk_of("item2"),
        lambda w: {"membership": "", "details": "", "management": ""},
        {
            "membership": "Choose the member declaring the interest.",
            "details": "Describe the interest.",
            "management": "Choose how the chair manages the interest.",
        },
    ),
    "category 2 decision naming no organisation": Form(
        "governance:decision_add",
        pk_of("item2"),
        lambda w: {"title": "", "category": "2"},
        {
            "title": "Enter the decision to be taken.",
            "affected": "A category 2 decision must name the organisations it affects.",
        },
    ),
    "vote by a conflicted member": Form(
        "governance:ballot",
        pk_of("open_decision"),
        lambda w: {"membership": w.member.pk, "vote": "for"},
        {"membership": "Priya Shah cannot vote: they have a declared interest that bars them from this decision."},
        setup=lambda w: services.declare_on_item(
            ItemDeclaration(item=w.item2, membership=w.member, details="Shares.", management="discuss_not_vote")
        ),
    ),
    "casting vote the terms of reference do not give": Form(
        "governance:decision_close",
        pk_of("open_decision"),
        lambda w: {"casting": "for"},
        {"casting": "The terms of reference give the chair no casting vote."},
    ),
    "meeting at a time the clocks skip": Form(
        "governance:meeting_add",
        pk_of("body"),
        lambda w: {"date": "29/03/2026", "time": "01:30", "place": "Littlemore"},
        {"time": "01:30 does not exist on 29 March 2026: the clocks go forward an hour that night."},
    ),
    "meeting with no date and a time in words": Form(
        "governance:meeting_add",
        pk_of("body"),
        lambda w: {"date": "", "time": "two o'clock", "place": f"Room {NHS_NUMBER}"},
        {
            "date": "Enter the date of the meeting.",
            "time": "Enter a time on the 24-hour clock, for example 14:00.",
            "place": NHS_NUMBER_SHOWN,
        },
    ),
    "terms of reference with a decimal majority and no date": Form(
        "governance:terms_add",
        pk_of("body"),
        lambda w: _terms_form(threshold="0.66", effective_from=""),
        {
            "threshold": "Enter a fraction such as 2/3.",
            "effective_from": "Enter the date this version takes effect.",
        },
    ),
    "terms of reference on a date already taken, a quorum share over all, no dispute route": Form(
        "governance:terms_add",
        pk_of("body"),
        lambda w: _terms_form(effective_from="01/04/2020", dispute_route="  ", quorum_share="3/2"),
        {
            "effective_from": "The body already has a version from this date.",
            "quorum_share": "A quorum proportion must be between none and all of the voting members.",
            "dispute_route": "List at least one level of the dispute route.",
        },
    ),
    "member who is both a user and a named person, ending before they start": Form(
        "governance:member_add",
        pk_of("body"),
        lambda w: {
            "user": w.user("owner").pk,
            "name": "Anne Clarke",
            "role": "member",
            "voting": "on",
            "starts_on": "01/04/2026",
            "ends_on": "01/03/2026",
        },
        {
            "name": "Choose an Accord user or type the name of a person outside Accord, not both.",
            "ends_on": "The end date must be the same as or after the start date.",
        },
    ),
    "member in attendance with a vote, with an NHS number": Form(
        "governance:member_edit",
        pk_of("member"),
        lambda w: _member_form(w, role="in_attendance", job_title=f"Patient {NHS_NUMBER}"),
        {
            "voting": "Someone in attendance does not vote",
            "job_title": NHS_NUMBER_SHOWN,
        },
    ),
    "governance body with no name or kind": Form(
        "governance:add",
        lambda w: [],
        lambda w: {"name": "", "kind": ""},
        {"name": "Enter the body's name.", "kind": "Choose the kind of body."},
    ),
    "governance body named twice": Form(
        "governance:add",
        lambda w: [],
        lambda w: {"name": w.body.name, "kind": "design_group"},
        {"name": "There is already a governance body with this name."},
    ),
    "governance body with an NHS number and a date that does not exist": Form(
        "governance:edit",
        pk_of("body"),
        lambda w: _body_form(w, purpose=f"Patient {NHS_NUMBER}", ends_on="31/02/2027"),
        {"purpose": NHS_NUMBER_SHOWN, "ends_on": "Enter a real date"},
    ),
}


def _more_decisions(w, n):
    for i in range(n):
        services.raise_decision(Decision(body=w.body, item=w.item2, title=f"Decision {i}"))


def _more_bodies(w, n):
    start = Body.objects.count()
    for i in range(start, start + n):
        body = Body.objects.create(name=f"Working group {i}", kind=BodyKind.WORKING_GROUP, parent=w.body)
        body.partnerships.add(w.partnership)


def _more_members(w, n):
    for i in range(n):
        Action.objects.create(
            meeting=w.meeting, description=f"Action {i}", owner=w.user("owner"), due_on=datetime.date(2026, 1, 1)
        )
        Membership.objects.create(
            body=w.body,
            name=f"Member {Membership.objects.count()}",
            organisation=w.partner_org,
            deputy_for=w.member,
            starts_on=datetime.date(2024, 1, 1),
        )


def _more_items(w, n):
    """More items about the partnership (on which the member's interest is flagged), each with a
    declaration, a decision and an action."""
    if not Interest.objects.filter(partnership=w.partnership).exists():
        Interest.objects.create(
            membership=w.member,
            name="Priya Shah",
            declared_on=datetime.date(2025, 1, 1),
            category="financial",
            details="Shares.",
            partnership=w.partnership,
        )
    for i in range(n):
        item = services.add_item(AgendaItem(meeting=w.meeting, title=f"Item {i}", partnership=w.partnership))
        Action.objects.create(
            meeting=w.meeting, item=item, description=f"Action {i}", owner_name="Ola", due_on=datetime.date(2026, 1, 1)
        )
        ItemDeclaration.objects.create(
            item=item, membership=w.member, details="Shares.", management="no_action", declared_at=timezone.now()
        )
        Decision.objects.create(body=w.body, item=item, title=f"Decision {i}")


def _more_ballots(w, n):
    for i in range(n):
        Ballot.objects.create(
            decision=w.open_decision, membership=(w.chair, w.member)[i % 2], vote="for", cast_at=timezone.now()
        )


def _more_interests(w, n):
    for i in range(n):
        Interest.objects.create(
            name=f"Member {i}", declared_on=datetime.date(2026, 1, 1), category="financial", details="Shares."
        )


def _more_reopen_requests(w, n):
    for i in range(n):
        request = ReopenRequest.objects.create(
            programme=w.programme,
            stage="initiation",
            requested_by=f"Member {i}",
            reason="Scope widened.",
            raised_at=timezone.now(),
        )
        ReopenOutcome.objects.create(request=request, approved=False, note="No case.", recorded_at=timezone.now())


def _longer_route(w, n):
    """A longer dispute route in the decision's terms, each new level reached."""
    route = list(w.terms.dispute_route) + [f"Level {len(w.terms.dispute_route) + i}" for i in range(n)]
    TermsOfReference.objects.filter(pk=w.terms.pk).update(dispute_route=route)
    w.terms.dispute_route = route
    start = w.dispute.escalations.count()
    for level in range(start, len(route)):
        DisputeEscalation.objects.create(
            dispute=w.dispute, level=level, level_name=route[level], recorded_at=timezone.now()
        )


QUERIES = {
    "governance:programme": Growth(_more_reopen_requests, args=pk_of("programme")),
    "governance:dispute": Growth(_longer_route, args=pk_of("dispute"), shown=lambda body: body.count(": reached ")),
    "governance:interests": Growth(_more_interests),
    "governance:decision": Growth(_more_ballots, args=pk_of("open_decision")),
    "governance:meeting": Growth(_more_items, args=pk_of("meeting")),
    "governance:list": Growth(_more_bodies),
    "governance:decisions": Growth(_more_decisions),
    "governance:detail": Growth(_more_members, args=pk_of("body")),
    "governance:history": Growth(edits(lambda w: w.body, "purpose", lambda i: f"Purpose {i}"), args=pk_of("body")),
}

STALE = {
    "governance action": Stale(
        "governance:action_edit",
        pk_of("action"),
        theirs={"owner_name": "Priya Shah-Jones"},
        yours={"status": "done"},
        row=("Owner (person outside Accord)", "Priya Shah", "Priya Shah-Jones", None),
        their_fields={"owner_name"},
        your_fields={"status"},
        them="administrator",
    ),
    "governance membership": Stale(
        "governance:member_edit",
        pk_of("member"),
        theirs={"job_title": "Director of Strategy"},
        yours={"ends_on": "31/03/2027"},
        row=("Job title", "Not recorded", "Director of Strategy", None),
        their_fields={"job_title"},
        your_fields={"ends_on"},
        them="administrator",
    ),
    "governance body": Stale(
        "governance:edit",
        pk_of("body"),
        theirs={"purpose": "Oversees the forensic network."},
        yours={"ends_on": "31/03/2027"},
        row=("Purpose", "Not recorded", "Oversees the forensic network.", None),
        their_fields={"purpose"},
        your_fields={"ends_on"},
        them="administrator",
    ),
}

# A saved record of each model with free text, for the model-level NHS-number guard
# (core/tests/test_rules.py). Final records refuse any change anyway.
RECORDS = {
    "governance.Body": lambda w: w.body,
    "governance.TermsOfReference": lambda w: w.terms,
    "governance.Membership": lambda w: w.member,
    "governance.Meeting": lambda w: w.meeting,
    "governance.AgendaItem": lambda w: w.item,
    "governance.ItemDeclaration": lambda w: w.item_declaration,
    "governance.Decision": lambda w: w.draft_decision,
    "governance.Minutes": lambda w: w.minutes,
    "governance.Interest": lambda w: w.interest,
    "governance.Action": lambda w: w.action,
    "governance.DeclarationReview": lambda w: DeclarationReview.objects.create(
        meeting=w.next_meeting, item_declaration=w.item_declaration, outcome="action", action_taken="Noted."
    ),
    "governance.Programme": lambda w: w.programme,
    "governance.ReopenRequest": lambda w: w.reopen,
    "governance.Dispute": lambda w: w.dispute,
    "governance.ReopenOutcome": lambda w: w.refusal,
    "governance.DisputeEscalation": lambda w: w.escalation,
}

"""The incidents' rows of Accord's cross-cutting tests (``tests/rows.py`` says what each table is)."""

import datetime

from core.dates import local_today
from incidents import services
from incidents.models import Incident, IncidentStatus
from organisations.models import Organisation
from partnerships.models import PartnerRole
from tests.rows import (
    CHANGERS,
    NHS_NUMBER_SHOWN,
    NOT_ALLOWED,
    OK,
    SAVED,
    Change,
    Export,
    Form,
    Growth,
    Page,
    Stale,
    changes,
    edits,
    everyone,
    only,
    pk_of,
    reads,
)
from tests.world import NHS_NUMBER, day

SUMMARY = "A service user's medication was given two hours late on a ward transfer."
LESSON = "A near miss on a shared ward: a patient's allergy band was missing at handover."
OTHER = "A complaint that a TalkingSpace Plus referral waited eight weeks for a first contact."
INTERNAL = "A staff member's concern about a colleague's conduct, kept within the trust."


def _incident(partnership, reported_by, summary, reference, learning=None, shared=True):
    incident = services.save_incident(
        Incident(
            partnership=partnership,
            kind="incident",
            occurred_on=datetime.date(2026, 1, 12),
            reported_by=reported_by,
            severity="low",
            summary=summary,
            immediate_action="Medication review the same day.",
            trust_reference=reference,
        ),
        [reported_by] if shared else [],
    )
    if learning:
        services.move_incident(incident, IncidentStatus.UNDER_REVIEW)
        services.move_incident(incident, IncidentStatus.LEARNING_AGREED, learning=learning, on=local_today())
    return incident


def build(w):
    """On the owner's partnership an open incident (``incident``) and one whose learning is agreed
    (``lesson``); on the other lead's, one whose learning is agreed (``other_incident``); each
    reported by, and shared with, its partnership's partner; and on the owner's, one shared with
    no partner (``internal_incident``)."""
    w.incident = _incident(w.partnership, w.partner_org, SUMMARY, "W100001")
    w.internal_incident = _incident(w.partnership, w.partner_org, INTERNAL, "W100003", shared=False)
    w.lesson = _incident(w.partnership, w.partner_org, LESSON, "W100002", learning="Bands checked at every handover.")
    w.other_incident = _incident(
        w.other_partnership, w.other_org, OTHER, "C200001", learning="Referrals acknowledged within five days."
    )


def _get(w, name="incident"):
    return Incident.objects.get(pk=getattr(w, name).pk)


def incident_form(incident, **changes):
    """The incident's edit page as a browser submits it, with ``changes``."""
    data = {
        "kind": incident.kind,
        "occurred_on": day(incident.occurred_on),
        "reported_by": str(incident.reported_by_id),
        "severity": incident.severity,
        "summary": incident.summary,
        "immediate_action": incident.immediate_action,
        "trust_reference": incident.trust_reference,
        "learning": incident.learning,
        "shared_with": [str(o.pk) for o in incident.shared_with.all()],
    }
    return data | changes


def _new_incident(w, **changes):
    return {
        "kind": "safeguarding",
        "occurred_on": day(local_today()),
        "reported_by": str(w.partner_org.pk),
        "severity": "no_harm",
        "summary": "A volunteer raised a safeguarding concern about a carer.",
        "immediate_action": "Referral to the local authority.",
        "trust_reference": "",
        "learning": "",
        "shared_with": [str(w.partner_org.pk)],
    } | changes


def _under_review(w):
    services.move_incident(_get(w), IncidentStatus.UNDER_REVIEW)


# A partner contributor of P-0001's partner reads the incidents shared with their organisation one
# by one (``incident`` is) and reports one into P-0001; the lists, the history, the edit and the
# status are the trust's.
PAGES = {
    "incidents:list": reads(),
    "incidents:learning": reads(),
    "incidents:detail": Page(
        args=lambda w: [w.incident.pk], get=everyone(OK, contributor=OK), post=everyone(NOT_ALLOWED)
    ),
    "incidents:history": reads(lambda w: [w.incident.pk]),
    "incidents:add": Page(
        args=lambda w: [w.partnership.pk],
        get=only(OK, CHANGERS, contributor=OK),
        post=only(SAVED, CHANGERS, contributor=SAVED),
        data=_new_incident,
        effect=lambda w: Incident.objects.filter(
            partnership=w.partnership, kind="safeguarding", shared_with=w.partner_org
        ).exists(),
    ),
    "incidents:edit": changes(
        lambda w: [w.incident.pk],
        data=lambda w: incident_form(w.incident, severity="moderate"),
        effect=lambda w: _get(w).severity == "moderate",
    ),
    "incidents:move": changes(
        lambda w: [w.incident.pk],
        data=lambda w: {"new_status": "under_review", "learning": ""},
        effect=lambda w: _get(w).status == IncidentStatus.UNDER_REVIEW,
    ),
}

# The pages the owning lead may use, on the other lead's partnership's records (403 for them).
THEIRS = {
    "incidents:add": (lambda w: [w.other_partnership.pk], lambda w: _new_incident(w, reported_by=str(w.other_org.pk))),
    "incidents:edit": (lambda w: [w.other_incident.pk], lambda w: incident_form(w.other_incident, summary="Hijacked")),
    "incidents:move": (lambda w: [w.other_incident.pk], lambda w: {"new_status": "closed"}),
}


def _summaries(*names):
    return lambda w, role: sorted(getattr(w, name).summary for name in names)


EXPORTS = {
    # Everyone reads every incident; the digest holds those whose learning is agreed.
    "incidents:list": Export(
        key="Incident",
        rows=_summaries("incident", "lesson", "other_incident", "internal_incident"),
        filter={"partnership": "P-0002"},
        filtered_rows=_summaries("other_incident"),
    ),
    "incidents:learning": Export(
        key="Incident",
        rows=_summaries("lesson", "other_incident"),
        filter={"partnership": "P-0001"},
        filtered_rows=_summaries("lesson"),
    ),
}


def private(w):
    """What only the trust may read: an incident shared with no partner, the trust's references."""
    return [INTERNAL, w.incident.trust_reference, w.other_incident.trust_reference]


AUDIT = {
    # An incident is never deleted: it moves on to "closed" and stays in the history.
    "incidents.Incident": Change(
        lambda w: services.save_incident(
            Incident(
                partnership=w.partnership,
                kind="near_miss",
                occurred_on=datetime.date(2026, 2, 1),
                reported_by=w.partner_org,
                severity="no_harm",
                summary="A referral nearly went to the wrong team.",
            )
        ),
        "severity",
        "No harm",
        "low",
        "Low harm",
        parent=lambda w: w.partnership,
        actions=("create", "update"),
    ),
}

FORMS = {
    "incident: nothing filled in": Form(
        "incidents:add",
        lambda w: [w.partnership.pk],
        lambda w: {},
        {
            "kind": "Choose the type",
            "occurred_on": "Enter the date it happened.",
            "reported_by": "Choose the partner organisation reporting it.",
            "severity": "Choose the harm",
            "summary": "Summarise what happened",
        },
        role="owner",
    ),
    "incident: not a partner, a future date, an NHS number": Form(
        "incidents:add",
        lambda w: [w.partnership.pk],
        lambda w: _new_incident(
            w,
            reported_by=str(w.other_org.pk),
            shared_with=[str(w.other_org.pk)],
            occurred_on=day(local_today() + datetime.timedelta(days=2)),
            summary=f"Patient {NHS_NUMBER} fell.",
        ),
        {
            "reported_by": "Choose an organisation that is a partner of this partnership.",
            "shared_with": "Choose only organisations that are partners of this partnership.",
            "occurred_on": "The date cannot be in the future.",
            "summary": NHS_NUMBER_SHOWN,
        },
    ),
    "incident edit: an NHS number as the trust's reference": Form(
        "incidents:edit",
        lambda w: [w.incident.pk],
        lambda w: incident_form(w.incident, trust_reference=NHS_NUMBER, kind=""),
        {"trust_reference": NHS_NUMBER_SHOWN, "kind": "Choose the type"},
        role="delegate",
    ),
    "incident move: learning agreed without the learning": Form(
        "incidents:move",
        lambda w: [w.incident.pk],
        lambda w: {"new_status": "learning_agreed", "learning": "  "},
        {"learning": "Record the learning before it is agreed."},
        setup=_under_review,
    ),
    "incident move: no status chosen, an NHS number in the learning": Form(
        "incidents:move",
        lambda w: [w.incident.pk],
        lambda w: {"learning": f"Check {NHS_NUMBER} first"},
        {"new_status": "Choose the status the incident moves to.", "learning": NHS_NUMBER_SHOWN},
    ),
}


def more_incidents(w, n, learning=None):
    for i in range(n):
        _incident(w.partnership, w.partner_org, f"Incident {Incident.objects.count()}", f"W9{i:05d}", learning)


def more_partners_shared(w, n):
    """``n`` more partner organisations of the partnership, each shared the incident."""
    start = getattr(w, "_shared", 0)
    for i in range(start, start + n):
        org = Organisation.objects.create(name=f"Shared partner {i:03d}", kind="vcse")
        PartnerRole.objects.create(partnership=w.partnership, organisation=org)
        w.incident.shared_with.add(org)
    w._shared = start + n


QUERIES = {
    "incidents:list": Growth(more_incidents),
    "incidents:learning": Growth(lambda w, n: more_incidents(w, n, learning="Shared at the next meeting.")),
    "incidents:detail": Growth(
        more_partners_shared, shown=lambda body: body.count("Shared partner "), args=lambda w: [w.incident.pk]
    ),
    "incidents:history": Growth(
        edits(lambda w: w.incident, "immediate_action", lambda i: f"Action {i}"), args=lambda w: [w.incident.pk]
    ),
}

STALE = {
    "incident": Stale(
        "incidents:edit",
        pk_of("incident"),
        theirs={"summary": "A service user's medication was given three hours late on a ward transfer."},
        yours={"trust_reference": "W100009"},
        row=(
            "Summary",
            SUMMARY,
            "A service user's medication was given three hours late on a ward transfer.",
            None,
        ),
        their_fields={"summary"},
        your_fields={"trust_reference"},
    ),
    "moving an incident edited meanwhile": Stale(
        "incidents:move",
        pk_of("incident"),
        their_page="incidents:edit",
        theirs={"severity": "moderate"},
        yours={"new_status": "under_review"},
        row=("Severity", "Low harm", "Moderate harm", "Not on this page"),
        their_fields={"severity"},
        your_fields={"status"},
    ),
}

RECORDS = {"incidents.Incident": lambda w: w.incident}

# A partner contributor's own: reporting into their partnership, the incidents shared with their organisation.
PARTNER_PAGES = {
    "incidents:add": lambda w: [[w.partnership.pk]],
    "incidents:detail": lambda w: [[w.incident.pk], [w.lesson.pk]],
}
# Another organisation's incident and P-0001's shared with no partner, typed into every URL.
OTHER_RECORDS = ("other_incident", "internal_incident")

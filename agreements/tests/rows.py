"""The agreements' rows of Accord's cross-cutting tests (``tests/rows.py`` says what each table is)."""

import datetime
import hashlib

from django.core.files.uploadedfile import SimpleUploadedFile

from agreements import services
from agreements.models import (
    Agreement,
    AgreementDocument,
    AgreementKind,
    AgreementParty,
    AgreementStatus,
    Consultation,
    Indicator,
    Milestone,
    ScopeItem,
)
from core.dates import local_today
from core.documents import add_version, check_upload
from organisations.models import Organisation
from tests.rows import (
    NHS_NUMBER_SHOWN,
    NOT_A_DATE,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    Change,
    Export,
    Form,
    Growth,
    Page,
    Stale,
    changes,
    edits,
    everyone,
    pk_of,
    reads,
)
from tests.world import NHS_NUMBER, agreement_form_data, day, pdf_upload


def upload_document(agreement, title, user, name="Memorandum of understanding.pdf", kind="draft"):
    """A document stored the way the upload page stores it: checked by content, then written."""
    file = pdf_upload(name, marker=f"% {agreement.pk} {title}\n")
    document = AgreementDocument(agreement=agreement, title=title, kind=kind, uploaded_by=user)
    return add_version(document, file, check_upload(file))


def build(w):
    """Agreements on the owning lead's partnership in every state a lifecycle step starts from.

    ``draft_agreement`` with a ``party``, a ``scope_item``, an overdue ``milestone``, an
    ``indicator`` and a ``document`` really in the store; ``commented_agreement`` out for comment
    with a ``consultation``; ``approved_agreement`` whose ``unsigned_party`` has not signed;
    ``signed_agreement`` approved and signed by every party; ``agreement_in_force`` (term ends in
    over a year) and ``lapsed_agreement`` (in force, its term ended ten days ago); on the other
    lead's partnership ``other_agreement`` (a draft) with ``other_document``, ``other_party``,
    ``other_consultation``, ``other_scope_item``, ``other_milestone`` and ``other_indicator``.
    """
    today = local_today()
    days = datetime.timedelta(days=1)
    admin = w.user("administrator")

    def agreement(title, kind, partnership=None, parties=(), **fields):
        a = Agreement(partnership=partnership or w.partnership, kind=kind, title=title, **fields)
        a.full_clean()
        a.save()
        made = [a.parties.create(organisation=org, address=f"Head office of {org}") for org in parties]
        return a, made

    def sign(a, on):
        for party in a.parties.select_related("organisation", "agreement"):
            services.record_signature(party, f"Chief Executive of {party.organisation}", "Chief Executive", on)

    w.draft_agreement, (w.party,) = agreement(
        "Forensic network memorandum of understanding",
        AgreementKind.MOU,
        parties=[w.partner_org],
        purpose="Secure care close to home for the people of the Thames Valley.",
        term_end_date=today + 700 * days,
    )
    w.scope_item = w.draft_agreement.scope_items.create(title="Urgent and emergency care", lead="Dr Ben Riley")
    w.milestone = w.draft_agreement.milestones.create(
        title="Shared work programme agreed", due_date=today - 5 * days, owner="Anne Clarke", status="on_track"
    )
    w.indicator = w.draft_agreement.indicators.create(
        measure="Out-of-area placements", frequency="Quarterly", target="Fewer than five"
    )
    w.document = upload_document(w.draft_agreement, "Memorandum of understanding – draft for Board", admin)

    w.commented_agreement, _ = agreement(
        "Forensic network information sharing agreement", AgreementKind.INFORMATION_SHARING, parties=[w.partner_org]
    )
    services.send_for_comment(w.commented_agreement)
    w.consultation = w.commented_agreement.consultations.create(
        body="Oxford University Hospitals Board of Directors", date=today - 20 * days, feedback="Agreed in principle."
    )

    w.approved_agreement, (w.unsigned_party,) = agreement(
        "Secure care section 75 agreement", AgreementKind.SECTION_75, parties=[w.partner_org]
    )
    services.send_for_comment(w.approved_agreement)
    services.approve(w.approved_agreement)

    w.signed_agreement, _ = agreement(
        "Forensic network data processing agreement", AgreementKind.DATA_PROCESSING, parties=[w.partner_org]
    )
    services.send_for_comment(w.signed_agreement)
    services.approve(w.signed_agreement)
    sign(w.signed_agreement, today - 3 * days)

    in_force = []
    for title, kind, term_end in (
        ("Forensic network partnership agreement", AgreementKind.PARTNERSHIP_AGREEMENT, today + 400 * days),
        ("Forensic network terms of reference", AgreementKind.TERMS_OF_REFERENCE, today - 10 * days),
    ):
        a, _ = agreement(title, kind, parties=[w.partner_org, w.home_trust], term_end_date=term_end)
        services.send_for_comment(a)
        services.approve(a)
        sign(a, today - 60 * days)
        in_force.append(services.bring_into_force(a))
    w.agreement_in_force, w.lapsed_agreement = in_force

    w.other_agreement, _ = agreement(
        "Talking Space Plus subcontract", AgreementKind.CONTRACT, partnership=w.other_partnership, parties=[w.other_org]
    )
    w.other_document = upload_document(
        w.other_agreement, "Subcontract – commercial terms", admin, name="Subcontract.pdf", kind="final"
    )
    w.other_party = w.other_agreement.parties.get()
    w.other_consultation = w.other_agreement.consultations.create(body="Southern Health Board", date=today)
    w.other_scope_item = w.other_agreement.scope_items.create(title="Talking therapies")
    w.other_milestone = w.other_agreement.milestones.create(title="Mobilisation", due_date=today + 30 * days)
    w.other_indicator = w.other_agreement.indicators.create(measure="Recovery rate", target="Above 50%")


def _agreement(a):
    return Agreement.objects.get(pk=a.pk)


def _status_is(agreement, status):
    return lambda w: _agreement(agreement(w)).status == status


def _stored(document):
    """The document's file is in the store, byte for byte what its checksum says."""
    with document.file.open("rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest() == document.sha256


def _terminated_today(w):
    a = _agreement(w.agreement_in_force)
    return (a.status, a.ended_on) == (AgreementStatus.TERMINATED, local_today())


def _superseded(w):
    a = _agreement(w.agreement_in_force)
    return (a.status, a.superseded_by_id) == (AgreementStatus.SUPERSEDED, w.draft_agreement.pk)


def _variation_started(w):
    variation = Agreement.objects.filter(varies=w.agreement_in_force).first()
    return (
        variation is not None
        and (variation.version, variation.status) == (2, AgreementStatus.DRAFT)
        and variation.parties.filter(signed_on__isnull=True).count() == 2
        and _agreement(w.agreement_in_force).status == AgreementStatus.IN_FORCE
    )


def _expired(w):
    a = _agreement(w.lapsed_agreement)
    return (a.status, a.ended_on) == (AgreementStatus.EXPIRED, w.lapsed_agreement.term_end_date)


def _signed(w):
    party = AgreementParty.objects.get(pk=w.unsigned_party.pk)
    return (party.signatory_name, party.signed_on) == ("Dr Bruno Holthof", local_today())


def _document_added(w):
    document = AgreementDocument.objects.filter(agreement=w.draft_agreement, version=2).first()
    return (
        document is not None
        and (document.title, document.kind, document.original_name) == ("Final memorandum", "final", "Final MoU.pdf")
        and _stored(document)
    )


PAGES = {
    "agreements:list": reads(),
    "agreements:detail": reads(lambda w: [w.draft_agreement.pk]),
    "agreements:history": reads(lambda w: [w.draft_agreement.pk]),
    "agreements:add": changes(
        lambda w: [w.partnership.pk],
        data=lambda w: {
            "kind": "contract",
            "title": "Forensic network lead provider contract",
            "legally_binding": "yes",
            "commencement": "last_signature",
            "term_end_date": "31/03/2029",
        },
        effect=lambda w: Agreement.objects.filter(
            partnership=w.partnership,
            title="Forensic network lead provider contract",
            status=AgreementStatus.DRAFT,
            version=1,
        ).exists(),
    ),
    "agreements:edit": changes(
        lambda w: [w.draft_agreement.pk],
        data=lambda w: agreement_form_data(w.draft_agreement, notice_period="Three months' notice"),
        effect=lambda w: _agreement(w.draft_agreement).notice_period == "Three months' notice",
    ),
    # The lifecycle, one step from each state it starts from.
    "agreements:send_for_comment": changes(
        lambda w: [w.draft_agreement.pk],
        effect=_status_is(lambda w: w.draft_agreement, AgreementStatus.OUT_FOR_COMMENT),
    ),
    "agreements:return_to_draft": changes(
        lambda w: [w.commented_agreement.pk], effect=_status_is(lambda w: w.commented_agreement, AgreementStatus.DRAFT)
    ),
    "agreements:approve": changes(
        lambda w: [w.commented_agreement.pk],
        effect=_status_is(lambda w: w.commented_agreement, AgreementStatus.APPROVED),
    ),
    "agreements:sign": changes(
        lambda w: [w.unsigned_party.pk],
        data=lambda w: {
            "signatory_name": "Dr Bruno Holthof",
            "signatory_position": "Chief Executive",
            "signed_on": day(local_today()),
        },
        effect=_signed,
    ),
    "agreements:bring_into_force": changes(
        lambda w: [w.signed_agreement.pk], effect=_status_is(lambda w: w.signed_agreement, AgreementStatus.IN_FORCE)
    ),
    "agreements:start_variation": changes(lambda w: [w.agreement_in_force.pk], effect=_variation_started),
    "agreements:supersede": changes(
        lambda w: [w.agreement_in_force.pk],
        data=lambda w: {"replacement": w.draft_agreement.pk, "ended_on": ""},
        effect=_superseded,
    ),
    "agreements:terminate": changes(
        lambda w: [w.agreement_in_force.pk], data=lambda w: {"ended_on": day(local_today())}, effect=_terminated_today
    ),
    "agreements:expire": changes(lambda w: [w.lapsed_agreement.pk], effect=_expired),
    # The agreement's records.
    "agreements:party_add": changes(
        lambda w: [w.draft_agreement.pk],
        data=lambda w: {"organisation": w.other_org.pk, "address": "Tatchbury Mount, Calmore"},
        effect=lambda w: AgreementParty.objects.filter(
            agreement=w.draft_agreement, organisation=w.other_org, address="Tatchbury Mount, Calmore"
        ).exists(),
    ),
    "agreements:party_edit": changes(
        lambda w: [w.party.pk],
        data=lambda w: {"organisation": w.partner_org.pk, "address": "John Radcliffe Hospital, Headley Way"},
        effect=lambda w: AgreementParty.objects.get(pk=w.party.pk).address == "John Radcliffe Hospital, Headley Way",
    ),
    "agreements:party_delete": changes(
        lambda w: [w.party.pk], effect=lambda w: not AgreementParty.objects.filter(pk=w.party.pk).exists()
    ),
    "agreements:consultation_add": changes(
        lambda w: [w.commented_agreement.pk],
        data=lambda w: {"body": "Oxford Health Board of Directors", "date": day(local_today()), "feedback": "Agreed."},
        effect=lambda w: Consultation.objects.filter(
            agreement=w.commented_agreement, body="Oxford Health Board of Directors", date=local_today()
        ).exists(),
    ),
    "agreements:consultation_edit": changes(
        lambda w: [w.consultation.pk],
        data=lambda w: {
            "body": w.consultation.body,
            "date": day(w.consultation.date),
            "feedback": "Agreed, subject to the data protection schedule.",
        },
        effect=lambda w: (
            Consultation.objects.get(pk=w.consultation.pk).feedback
            == "Agreed, subject to the data protection schedule."
        ),
    ),
    "agreements:consultation_delete": changes(
        lambda w: [w.consultation.pk], effect=lambda w: not Consultation.objects.filter(pk=w.consultation.pk).exists()
    ),
    "agreements:scope_add": changes(
        lambda w: [w.draft_agreement.pk],
        data=lambda w: {"title": "Intermediate care", "description": "Step-down beds.", "lead": "Jo Smith"},
        effect=lambda w: ScopeItem.objects.filter(
            agreement=w.draft_agreement, title="Intermediate care", lead="Jo Smith"
        ).exists(),
    ),
    "agreements:scope_edit": changes(
        lambda w: [w.scope_item.pk],
        data=lambda w: {"title": w.scope_item.title, "description": "", "lead": "Dr Amy Chen"},
        effect=lambda w: ScopeItem.objects.get(pk=w.scope_item.pk).lead == "Dr Amy Chen",
    ),
    "agreements:scope_delete": changes(
        lambda w: [w.scope_item.pk], effect=lambda w: not ScopeItem.objects.filter(pk=w.scope_item.pk).exists()
    ),
    "agreements:milestone_add": changes(
        lambda w: [w.draft_agreement.pk],
        data=lambda w: {"title": "Joint budget agreed", "due_date": "31/03/2027", "owner": "", "status": "not_started"},
        effect=lambda w: Milestone.objects.filter(
            agreement=w.draft_agreement, title="Joint budget agreed", due_date=datetime.date(2027, 3, 31)
        ).exists(),
    ),
    "agreements:milestone_edit": changes(
        lambda w: [w.milestone.pk],
        data=lambda w: {
            "title": w.milestone.title,
            "due_date": day(w.milestone.due_date),
            "owner": w.milestone.owner,
            "status": "complete",
        },
        effect=lambda w: Milestone.objects.get(pk=w.milestone.pk).status == "complete",
    ),
    "agreements:milestone_delete": changes(
        lambda w: [w.milestone.pk], effect=lambda w: not Milestone.objects.filter(pk=w.milestone.pk).exists()
    ),
    "agreements:indicator_add": changes(
        lambda w: [w.draft_agreement.pk],
        data=lambda w: {"measure": "Emergency admissions", "frequency": "Monthly", "target": "5% fewer"},
        effect=lambda w: Indicator.objects.filter(
            agreement=w.draft_agreement, measure="Emergency admissions", target="5% fewer"
        ).exists(),
    ),
    "agreements:indicator_edit": changes(
        lambda w: [w.indicator.pk],
        data=lambda w: {"measure": w.indicator.measure, "frequency": "Annually", "target": w.indicator.target},
        effect=lambda w: Indicator.objects.get(pk=w.indicator.pk).frequency == "Annually",
    ),
    "agreements:indicator_delete": changes(
        lambda w: [w.indicator.pk], effect=lambda w: not Indicator.objects.filter(pk=w.indicator.pk).exists()
    ),
    # Documents: added (a new version), never edited or deleted; downloaded through a permission check.
    "agreements:document_add": changes(
        lambda w: [w.draft_agreement.pk],
        data=lambda w: {"title": "Final memorandum", "kind": "final", "file": pdf_upload("Final MoU.pdf", "% final")},
        effect=_document_added,
    ),
    "agreements:document": Page(
        args=lambda w: [w.document.pk],
        get=everyone(OK) | {"other_lead": NOT_FOUND},
        post=everyone(NOT_ALLOWED),
    ),
}


def _theirs(record, data=lambda w: {}):
    return (lambda w: [record(w).pk], data)


# The pages the owning lead may use, on the other lead's partnership's records (403 for them,
# whatever state the record is in: the right is checked before the lifecycle).
THEIRS = {
    "agreements:add": (
        lambda w: [w.other_partnership.pk],
        lambda w: {"kind": "mou", "title": "Hijacked", "legally_binding": "no", "commencement": "last_signature"},
    ),
    "agreements:edit": _theirs(
        lambda w: w.other_agreement, lambda w: agreement_form_data(w.other_agreement, title="Hijacked")
    ),
    **{
        f"agreements:{step}": _theirs(lambda w: w.other_agreement)
        for step in (
            "send_for_comment",
            "return_to_draft",
            "approve",
            "bring_into_force",
            "start_variation",
            "expire",
        )
    },
    "agreements:supersede": _theirs(lambda w: w.other_agreement, lambda w: {"replacement": w.draft_agreement.pk}),
    "agreements:terminate": _theirs(lambda w: w.other_agreement, lambda w: {"ended_on": day(local_today())}),
    "agreements:sign": _theirs(
        lambda w: w.other_party,
        lambda w: {"signatory_name": "X", "signatory_position": "Y", "signed_on": day(local_today())},
    ),
    "agreements:party_add": _theirs(
        lambda w: w.other_agreement, lambda w: {"organisation": w.spare_org.pk, "address": "Hijacked"}
    ),
    "agreements:party_edit": _theirs(
        lambda w: w.other_party, lambda w: {"organisation": w.other_org.pk, "address": "Hijacked"}
    ),
    "agreements:party_delete": _theirs(lambda w: w.other_party),
    "agreements:consultation_add": _theirs(
        lambda w: w.other_agreement, lambda w: {"body": "Hijacked", "date": day(local_today())}
    ),
    "agreements:consultation_edit": _theirs(
        lambda w: w.other_consultation, lambda w: {"body": "Hijacked", "date": day(local_today())}
    ),
    "agreements:consultation_delete": _theirs(lambda w: w.other_consultation),
    "agreements:scope_add": _theirs(lambda w: w.other_agreement, lambda w: {"title": "Hijacked"}),
    "agreements:scope_edit": _theirs(lambda w: w.other_scope_item, lambda w: {"title": "Hijacked"}),
    "agreements:scope_delete": _theirs(lambda w: w.other_scope_item),
    "agreements:milestone_add": _theirs(
        lambda w: w.other_agreement, lambda w: {"title": "Hijacked", "due_date": "01/01/2024", "status": "at_risk"}
    ),
    "agreements:milestone_edit": _theirs(
        lambda w: w.other_milestone, lambda w: {"title": "Hijacked", "due_date": "01/01/2024", "status": "at_risk"}
    ),
    "agreements:milestone_delete": _theirs(lambda w: w.other_milestone),
    "agreements:indicator_add": _theirs(lambda w: w.other_agreement, lambda w: {"measure": "Hijacked"}),
    "agreements:indicator_edit": _theirs(lambda w: w.other_indicator, lambda w: {"measure": "Hijacked"}),
    "agreements:indicator_delete": _theirs(lambda w: w.other_indicator),
    "agreements:document_add": _theirs(
        lambda w: w.other_agreement,
        lambda w: {"title": "Hijacked", "kind": "other", "file": pdf_upload("Hijacked.pdf", "% hijacked")},
    ),
}

EXPORTS = {
    # Every role may read every agreement; the filter is one of the register's agreement conditions.
    "agreements:list": Export(
        key="Title",
        rows=lambda w, role: sorted(Agreement.objects.values_list("title", flat=True)),
        filter={"condition": "milestone_overdue"},
        filtered_rows=lambda w, role: [w.draft_agreement.title],
    ),
}


def private(w):
    """What only those allowed to see agreements (and their documents) may read."""
    return [
        w.draft_agreement.title,
        w.draft_agreement.purpose,
        w.other_agreement.title,
        w.scope_item.title,
        w.milestone.title,
        w.consultation.feedback,
        w.document.title,
    ]


AUDIT = {
    # No page deletes an agreement; a draft removed in the shell is audited all the same.
    "agreements.Agreement": Change(
        lambda w: Agreement.objects.create(
            partnership=w.partnership, kind="mou", title="Doncaster integrated commissioning MoU"
        ),
        "term_end_date",
        None,
        datetime.date(2018, 3, 31),
        "2018-03-31",
        parent=lambda w: w.partnership,
    ),
    "agreements.AgreementParty": Change(
        lambda w: AgreementParty.objects.create(
            agreement=w.draft_agreement, organisation=w.home_trust, address="Warneford Hospital"
        ),
        "address",
        "Warneford Hospital",
        "Warneford Hospital, Warneford Lane, Headington",
        "Warneford Hospital, Warneford Lane, Headington",
        parent=lambda w: w.draft_agreement,
    ),
    "agreements.Consultation": Change(
        lambda w: Consultation.objects.create(
            agreement=w.commented_agreement, body="Council Cabinet", date=datetime.date(2017, 3, 15)
        ),
        "feedback",
        "",
        "Approved, with a review after a year.",
        "Approved, with a review after a year.",
        parent=lambda w: w.commented_agreement,
    ),
    # Uploaded, never changed or deleted by the app: a new version is a new document.
    "agreements.AgreementDocument": Change(
        lambda w: upload_document(w.draft_agreement, "Signed memorandum", w.user("coordinator"), kind="signed_copy"),
        "kind",
        "Signed copy",
        None,
        None,
        parent=lambda w: w.draft_agreement,
        actions=("create",),
    ),
    "agreements.ScopeItem": Change(
        lambda w: ScopeItem.objects.create(agreement=w.draft_agreement, title="Complex lives", lead="Public health"),
        "lead",
        "Public health",
        "Director of Public Health",
        "Director of Public Health",
        parent=lambda w: w.draft_agreement,
    ),
    "agreements.Milestone": Change(
        lambda w: Milestone.objects.create(
            agreement=w.draft_agreement, title="JCCC terms of reference agreed", due_date=datetime.date(2017, 6, 30)
        ),
        "status",
        "Not started",
        "at_risk",
        "At risk",
        parent=lambda w: w.draft_agreement,
    ),
    "agreements.Indicator": Change(
        lambda w: Indicator.objects.create(
            agreement=w.draft_agreement, measure="Delayed transfers of care", frequency="Monthly", target="Fewer"
        ),
        "target",
        "Fewer",
        "Below 3.5% of occupied beds",
        "Below 3.5% of occupied beds",
        parent=lambda w: w.draft_agreement,
    ),
}


def new_agreement(**changes):
    data = {
        "kind": "mou",
        "title": "Doncaster integrated commissioning memorandum of understanding",
        "legally_binding": "no",
        "commencement": "last_signature",
    }
    data.update(changes)
    return lambda w: data


def draft_agreement(**changes):
    return lambda w: agreement_form_data(w.draft_agreement, **changes)


def add_second_party(w):
    w.draft_agreement.parties.create(organisation=w.home_trust)


def signature(**changes):
    def data(w):
        values = {"signatory_name": "Dr Bruno Holthof", "signatory_position": "Chief Executive"}
        values["signed_on"] = day(local_today())
        values.update({k: v(w) if callable(v) else v for k, v in changes.items()})
        return values

    return data


def tomorrow(w):
    return day(local_today() + datetime.timedelta(days=1))


def renamed_program():
    return SimpleUploadedFile("minutes.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"This program cannot be run in DOS mode.")


FORMS = {
    # Agreements: the terms.
    "agreement: nothing filled in": Form(
        "agreements:add",
        lambda w: [w.partnership.pk],
        lambda w: {},
        {
            "kind": "Choose the kind of agreement.",
            "title": "Enter the title of the agreement.",
            "legally_binding": "Choose whether the agreement is legally binding.",
            "commencement": "Choose when the agreement comes into force.",
        },
        role="owner",
    ),
    "agreement: binding clauses and the stated date missing": Form(
        "agreements:add",
        lambda w: [w.partnership.pk],
        new_agreement(legally_binding="except", commencement="stated_date"),
        {
            "binding_exceptions": "Enter the clauses that are binding",
            "stated_commencement_date": "Enter the date the agreement comes into force.",
        },
    ),
    "agreement: the term ends before it starts, and a kind that does not exist": Form(
        "agreements:add",
        lambda w: [w.partnership.pk],
        new_agreement(
            kind="treaty",
            commencement="stated_date",
            stated_commencement_date="01/04/2018",
            term_end_date="31/03/2018",
        ),
        {"kind": "Select a valid choice.", "term_end_date": "The term cannot end before the stated commencement date."},
    ),
    "agreement: an NHS number in the purpose": Form(
        "agreements:add",
        lambda w: [w.partnership.pk],
        new_agreement(purpose=f"Care for the patient {NHS_NUMBER}."),
        {"purpose": NHS_NUMBER_SHOWN},
        role="delegate",
    ),
    "agreement edit: title removed, impossible term end": Form(
        "agreements:edit",
        lambda w: [w.draft_agreement.pk],
        draft_agreement(title="  ", term_end_date="31/02/2030"),
        {"title": "Enter the title of the agreement.", "term_end_date": NOT_A_DATE},
        role="owner",
    ),
    # Parties and their signatures.
    "party: none chosen": Form(
        "agreements:party_add",
        lambda w: [w.draft_agreement.pk],
        lambda w: {"organisation": "", "address": "Civic Office, Waterdale"},
        {"organisation": "Choose the organisation that is a party to the agreement."},
    ),
    "party: an organisation already a party": Form(
        "agreements:party_add",
        lambda w: [w.draft_agreement.pk],
        lambda w: {"organisation": w.partner_org.pk},
        {"organisation": "Oxford University Hospitals NHS Foundation Trust is already a party to this agreement."},
        role="owner",
    ),
    "party edit: changed to an organisation already a party": Form(
        "agreements:party_edit",
        lambda w: [w.party.pk],
        lambda w: {"organisation": w.home_trust.pk, "address": ""},
        {"organisation": "Oxford Health NHS Foundation Trust is already a party to this agreement."},
        setup=add_second_party,
    ),
    "signature: nothing filled in": Form(
        "agreements:sign",
        lambda w: [w.unsigned_party.pk],
        lambda w: {},
        {
            "signatory_name": "Enter the name of the person who signed.",
            "signatory_position": "Enter the position of the person who signed.",
            "signed_on": "Enter the date it was signed.",
        },
        role="owner",
    ),
    "signature: signed tomorrow, a copy that is not the agreement's": Form(
        "agreements:sign",
        lambda w: [w.unsigned_party.pk],
        signature(signed_on=tomorrow, signed_copy=lambda w: w.other_document.pk),
        {
            "signed_on": "The date of signature cannot be in the future.",
            "signed_copy": "Choose one of this agreement's documents.",
        },
    ),
    "signature: not a date": Form(
        "agreements:sign",
        lambda w: [w.unsigned_party.pk],
        signature(signed_on="the third of April"),
        {"signed_on": NOT_A_DATE},
        role="delegate",
    ),
    # Rounds of comment, scope, milestones, indicators.
    "comment: nothing filled in": Form(
        "agreements:consultation_add",
        lambda w: [w.commented_agreement.pk],
        lambda w: {"feedback": "Agreed."},
        {"body": "Enter the board or committee that commented.", "date": "Enter the date of the meeting or feedback."},
    ),
    "comment edit: not a date": Form(
        "agreements:consultation_edit",
        lambda w: [w.consultation.pk],
        lambda w: {"body": w.consultation.body, "date": "30/13/2022"},
        {"date": NOT_A_DATE},
        role="owner",
    ),
    "scope: nothing filled in": Form(
        "agreements:scope_add",
        lambda w: [w.draft_agreement.pk],
        lambda w: {"lead": "Director of Public Health"},
        {"title": "Enter the name of the work stream or area of opportunity."},
    ),
    "scope edit: an NHS number in the description": Form(
        "agreements:scope_edit",
        lambda w: [w.scope_item.pk],
        lambda w: {"title": w.scope_item.title, "description": f"Started with {NHS_NUMBER}'s care plan."},
        {"description": NHS_NUMBER_SHOWN},
    ),
    "milestone: nothing filled in": Form(
        "agreements:milestone_add",
        lambda w: [w.draft_agreement.pk],
        lambda w: {"owner": "JCCC"},
        {
            "title": "Enter the milestone.",
            "due_date": "Enter the date the milestone is due.",
            "status": "Choose the status of the milestone.",
        },
        role="delegate",
    ),
    "milestone edit: overdue is not a status to choose": Form(
        "agreements:milestone_edit",
        lambda w: [w.milestone.pk],
        lambda w: {"title": w.milestone.title, "due_date": day(w.milestone.due_date), "status": "overdue"},
        {"status": "Select a valid choice."},
    ),
    "indicator: nothing filled in": Form(
        "agreements:indicator_add",
        lambda w: [w.draft_agreement.pk],
        lambda w: {"frequency": "Quarterly"},
        {"measure": "Enter what will be measured."},
    ),
    "indicator edit: measure removed": Form(
        "agreements:indicator_edit",
        lambda w: [w.indicator.pk],
        lambda w: {"measure": "", "target": "Fewer"},
        {"measure": "Enter what will be measured."},
        role="owner",
    ),
    # Lifecycle steps that ask for something.
    "supersede: nothing chosen, not a date": Form(
        "agreements:supersede",
        lambda w: [w.agreement_in_force.pk],
        lambda w: {"replacement": "", "ended_on": "April"},
        {"replacement": "Choose the agreement that replaces this one.", "ended_on": NOT_A_DATE},
    ),
    "supersede: by itself": Form(
        "agreements:supersede",
        lambda w: [w.agreement_in_force.pk],
        lambda w: {"replacement": w.agreement_in_force.pk},
        {"replacement": "Choose one of the agreements listed."},
        role="owner",
    ),
    "terminate: no date": Form(
        "agreements:terminate",
        lambda w: [w.agreement_in_force.pk],
        lambda w: {"ended_on": ""},
        {"ended_on": "Enter the date the agreement was terminated."},
    ),
    "terminate: not a date": Form(
        "agreements:terminate",
        lambda w: [w.agreement_in_force.pk],
        lambda w: {"ended_on": "31/09/2025"},
        {"ended_on": NOT_A_DATE},
        role="delegate",
    ),
    # Documents.
    "document: nothing chosen": Form(
        "agreements:document_add",
        lambda w: [w.draft_agreement.pk],
        lambda w: {"kind": "draft"},
        {"title": "Enter a title for the document.", "file": "Choose the file to upload."},
    ),
    "document: a program named .pdf": Form(
        "agreements:document_add",
        lambda w: [w.draft_agreement.pk],
        lambda w: {"title": "Board minutes", "kind": "other", "file": renamed_program()},
        {"file": "This file is not a PDF: its content is a Windows program."},
        role="owner",
    ),
    "document: an NHS number in the title": Form(
        "agreements:document_add",
        lambda w: [w.draft_agreement.pk],
        lambda w: {"title": f"Letter about {NHS_NUMBER}", "kind": "other", "file": pdf_upload("Letter.pdf")},
        {"title": NHS_NUMBER_SHOWN},
    ),
}


def more_agreements(w, n):
    start = Agreement.objects.count()
    for i in range(start, start + n):
        agreement = Agreement.objects.create(partnership=w.partnership, kind="mou", title=f"Memorandum {i}")
        agreement.parties.create(organisation=w.partner_org)


def more_records(w, n):
    """n more parties, milestones, scope items, indicators and rounds of comment on an agreement."""
    agreement = w.commented_agreement
    start = Organisation.objects.count()
    for i in range(start, start + n):
        org = Organisation.objects.create(name=f"Party organisation {i}", kind="vcse")
        agreement.parties.create(organisation=org, address=f"Address {i}")
        agreement.milestones.create(title=f"Milestone {i}", due_date=local_today() - datetime.timedelta(days=i + 1))
        agreement.scope_items.create(title=f"Work stream {i}")
        agreement.indicators.create(measure=f"Measure {i}")
        agreement.consultations.create(body=f"Board {i}", date=local_today())


QUERIES = {
    "agreements:list": Growth(more_agreements),
    "agreements:detail": Growth(more_records, args=lambda w: [w.commented_agreement.pk]),
    "agreements:history": Growth(
        edits(lambda w: w.draft_agreement, "notice_period", lambda i: f"{i} months"),
        args=lambda w: [w.draft_agreement.pk],
    ),
}

# Two people on each edit page, one saving first (tests/test_stale_saves.py).
STALE = {
    "agreement terms": Stale(
        "agreements:edit",
        pk_of("draft_agreement"),
        theirs={"title": "Thames Valley forensic network memorandum of understanding"},
        yours={"notice_period": "Six months' notice in writing"},
        row=(
            "Title",
            "Forensic network memorandum of understanding",
            "Thames Valley forensic network memorandum of understanding",
            None,
        ),
        their_fields={"title"},
        your_fields={"notice_period"},
    ),
    "agreement party": Stale(
        "agreements:party_edit",
        pk_of("party"),
        theirs={"address": "John Radcliffe Hospital, Headley Way, Oxford"},
        yours={"organisation": lambda w: str(w.other_org.pk)},
        row=(
            "Address",
            "Head office of Oxford University Hospitals NHS Foundation Trust",
            "John Radcliffe Hospital, Headley Way, Oxford",
            None,
        ),
        their_fields={"address"},
        your_fields={"organisation"},
    ),
    "round of comment": Stale(
        "agreements:consultation_edit",
        pk_of("consultation"),
        theirs={"feedback": "Agreed, subject to the data protection schedule."},
        yours={"date": "02/05/2025"},
        row=("Feedback", "Agreed in principle.", "Agreed, subject to the data protection schedule.", None),
        their_fields={"feedback"},
        your_fields={"date"},
    ),
    "scope item": Stale(
        "agreements:scope_edit",
        pk_of("scope_item"),
        theirs={"lead": "Dr Amy Chen"},
        yours={"description": "Same-day emergency care across both trusts."},
        row=("Lead", "Dr Ben Riley", "Dr Amy Chen", None),
        their_fields={"lead"},
        your_fields={"description"},
    ),
    "milestone": Stale(
        "agreements:milestone_edit",
        pk_of("milestone"),
        theirs={"status": "complete"},
        yours={"owner": "Dr Amy Chen"},
        row=("Status", "On track", "Complete", None),
        their_fields={"status"},
        your_fields={"owner"},
    ),
    "indicator": Stale(
        "agreements:indicator_edit",
        pk_of("indicator"),
        theirs={"frequency": "Monthly"},
        yours={"target": "Fewer than three"},
        row=("How often", "Quarterly", "Monthly", None),
        their_fields={"frequency"},
        your_fields={"target"},
    ),
}

# A saved record of each model with free text, for the model-level NHS-number guard
# (core/tests/test_rules.py).
RECORDS = {
    "agreements.Agreement": lambda w: w.draft_agreement,
    "agreements.AgreementParty": lambda w: w.party,
    "agreements.Consultation": lambda w: w.consultation,
    "agreements.AgreementDocument": lambda w: w.document,
    "agreements.ScopeItem": lambda w: w.scope_item,
    "agreements.Milestone": lambda w: w.milestone,
    "agreements.Indicator": lambda w: w.indicator,
}

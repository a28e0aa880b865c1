"""Bad input on every form of the register, its agreements, risk profiles and IG records: a 400
page with the NHS.UK error summary, nothing written.

For each case the page must answer 400, title itself "Error: …", list every problem in the error
summary with a link to the field that has it (an element that exists on the page), show the same
message next to the field, and leave every Accord table, audit trail included, untouched.
"""

import datetime
import html
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements.selectors import local_today
from agreements.views import TransitionView
from agreements.views_documents import DocumentAddView
from core.views import ObjectEditView
from partnerships.models import PartnerRole
from risks.models import RiskMatrix
from tests.editing import opened_version
from tests.test_permission_matrix import url_patterns, view_class
from tests.world import (
    NHS_NUMBER,
    agreement_form_data,
    build_world,
    database_state,
    day,
    organisation_form_data,
    partnership_form_data,
    pdf_upload,
)

REQUIRED = "This field is required."


@dataclass(frozen=True)
class Case:
    page: str
    args: Callable
    data: Callable
    errors: dict  # field -> (part of) the message shown for it
    role: str = "coordinator"
    setup: Callable | None = None


def new_partnership(**changes):
    data = {
        "title": "Oxfordshire Carer Alliance",
        "arrangement_type": "alliance",
        "status": "proposed",
        "value_qualifier": "exact",
    }
    data.update(changes)
    return lambda w: data


def partnership(**changes):
    return lambda w: partnership_form_data(w.partnership, **changes)


def organisation(**changes):
    return lambda w: organisation_form_data(w.spare_org, **changes)


def add_second_partner(w):
    PartnerRole.objects.create(partnership=w.partnership, organisation=w.spare_org, role="member")


NOT_A_DATE = "Enter a real date, day first, for example 30/03/2022."
END_BEFORE_START = "The end date must be the same as or after the start date."
NHS_NUMBER_SHOWN = "NHS number"


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


CASES = {
    "partnership: nothing filled in": Case(
        "partnerships:add",
        lambda w: [],
        lambda w: {},
        {
            "title": "Enter the name of the partnership.",
            "arrangement_type": "Choose the type of arrangement.",
            "status": "Choose the status of the partnership.",
            "value_qualifier": "Choose whether the annual value is exact",
        },
    ),
    "partnership: words for money and impossible dates": Case(
        "partnerships:add",
        lambda w: [],
        new_partnership(annual_value="about 2 million", start_date="31/02/2024", next_review_date="next spring"),
        {
            "annual_value": "Enter the annual value in pounds as a number, for example 750000.",
            "start_date": NOT_A_DATE,
            "next_review_date": NOT_A_DATE,
        },
    ),
    "partnership: end before start, and a qualifier with no value": Case(
        "partnerships:add",
        lambda w: [],
        new_partnership(start_date="01/04/2022", end_date="31/03/2022", value_qualifier="approximate"),
        {"end_date": END_BEFORE_START, "value_qualifier": "needs an annual value"},
    ),
    "partnership: a negative value": Case(
        "partnerships:add",
        lambda w: [],
        new_partnership(annual_value="-5000"),
        {"annual_value": "Enter an annual value of £0 or more, or leave it blank if not known."},
    ),
    "partnership: a reference already used": Case(
        "partnerships:add",
        lambda w: [],
        new_partnership(reference="P-0002"),
        {"reference": "The reference P-0002 is already used by another partnership."},
    ),
    "partnership: a strategic objective that does not exist": Case(
        "partnerships:add",
        lambda w: [],
        new_partnership(strategic_objectives=["999999"]),
        {"strategic_objectives": "Select a valid choice."},
    ),
    "partnership edit: title removed": Case(
        "partnerships:edit",
        lambda w: [w.partnership.pk],
        partnership(title=""),
        {"title": "Enter the name of the partnership."},
    ),
    "partnership edit: end before start": Case(
        "partnerships:edit",
        lambda w: [w.partnership.pk],
        partnership(end_date="01/01/2019"),
        {"end_date": END_BEFORE_START},
    ),
    "partnership edit by its lead: end before start": Case(
        "partnerships:edit",
        lambda w: [w.partnership.pk],
        partnership(end_date="01/01/2019", title=""),
        {"end_date": END_BEFORE_START, "title": "Enter the name of the partnership."},
        role="owner",
    ),
    "partnership edit: closed with no end date": Case(
        "partnerships:edit",
        lambda w: [w.partnership.pk],
        partnership(status="closed"),
        {"end_date": "a closed partnership needs an end date"},
    ),
    "close: no end date": Case(
        "partnerships:close",
        lambda w: [w.partnership.pk],
        lambda w: {"end_date": ""},
        {"end_date": "Enter the date the partnership ended."},
    ),
    "close: an end date before the start": Case(
        "partnerships:close",
        lambda w: [w.partnership.pk],
        lambda w: {"end_date": "31/03/2020"},
        {"end_date": END_BEFORE_START},
    ),
    "close: not a date": Case(
        "partnerships:close",
        lambda w: [w.partnership.pk],
        lambda w: {"end_date": "end of March"},
        {"end_date": NOT_A_DATE},
    ),
    "partner: the same organisation twice": Case(
        "partnerships:partner_add",
        lambda w: [w.partnership.pk],
        lambda w: {"organisation": w.partner_org.pk, "role": "funder"},
        {"organisation": "Oxford University Hospitals NHS Foundation Trust is already a partner in this partnership."},
        role="owner",
    ),
    "partner: none chosen": Case(
        "partnerships:partner_add",
        lambda w: [w.partnership.pk],
        lambda w: {"organisation": "", "role": "member"},
        {"organisation": "Choose the partner organisation."},
    ),
    "partner: the trust itself": Case(
        "partnerships:partner_add",
        lambda w: [w.partnership.pk],
        lambda w: {"organisation": w.home_trust.pk, "role": "member"},
        {"organisation": "Select a valid choice."},
    ),
    "partner edit: changed to an organisation already a partner": Case(
        "partnerships:partner_edit",
        lambda w: [w.partner_role.pk],
        lambda w: {"organisation": w.spare_org.pk, "role": "member"},
        {"organisation": "Oxfordshire Carers Forum is already a partner in this partnership."},
        setup=add_second_partner,
    ),
    "headline: nothing filled in": Case(
        "partnerships:headline_add",
        lambda w: [w.partnership.pk],
        lambda w: {"date": "", "text": "  "},
        {"date": "Enter the date of the headline.", "text": "Enter the headline."},
        role="delegate",
    ),
    "headline: not a date": Case(
        "partnerships:headline_add",
        lambda w: [w.partnership.pk],
        lambda w: {"date": "32/01/2024", "text": "Contract signed."},
        {"date": NOT_A_DATE},
    ),
    "headline edit: text removed": Case(
        "partnerships:headline_edit",
        lambda w: [w.headline.pk],
        lambda w: {"date": "01/03/2024", "text": ""},
        {"text": "Enter the headline."},
        role="owner",
    ),
    "organisation: nothing filled in": Case(
        "organisations:add",
        lambda w: [],
        lambda w: {},
        {"name": "Enter the organisation's name.", "kind": "Choose the kind of organisation."},
    ),
    "organisation: bad ODS code and web address": Case(
        "organisations:add",
        lambda w: [],
        lambda w: {"name": "Banbury Hub", "kind": "vcse", "ods_code": "R N U", "website": "not a website"},
        {"ods_code": "Enter an ODS code in the NHS format", "website": "Enter a full web address"},
    ),
    "organisation: a name already on the register": Case(
        "organisations:add",
        lambda w: [],
        lambda w: {"name": " southern HEALTH nhs foundation trust", "kind": "nhs_trust"},
        {"name": "is already on the register."},
    ),
    "organisation edit: another organisation's ODS code": Case(
        "organisations:edit",
        lambda w: [w.spare_org.pk],
        organisation(ods_code="rth"),
        {"ods_code": "Another organisation already has the ODS code RTH."},
    ),
    "organisation edit: a second home trust": Case(
        "organisations:edit",
        lambda w: [w.spare_org.pk],
        organisation(is_home_trust="on"),
        {"is_home_trust": "Another organisation is already marked as the home trust."},
    ),
    "organisation edit: name removed": Case(
        "organisations:edit",
        lambda w: [w.spare_org.pk],
        organisation(name=""),
        {"name": "Enter the organisation's name."},
    ),
    # Agreements: the terms.
    "agreement: nothing filled in": Case(
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
    "agreement: binding clauses and the stated date missing": Case(
        "agreements:add",
        lambda w: [w.partnership.pk],
        new_agreement(legally_binding="except", commencement="stated_date"),
        {
            "binding_exceptions": "Enter the clauses that are binding",
            "stated_commencement_date": "Enter the date the agreement comes into force.",
        },
    ),
    "agreement: the term ends before it starts, and a kind that does not exist": Case(
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
    "agreement: an NHS number in the purpose": Case(
        "agreements:add",
        lambda w: [w.partnership.pk],
        new_agreement(purpose=f"Care for the patient {NHS_NUMBER}."),
        {"purpose": NHS_NUMBER_SHOWN},
        role="delegate",
    ),
    "agreement edit: title removed, impossible term end": Case(
        "agreements:edit",
        lambda w: [w.draft_agreement.pk],
        draft_agreement(title="  ", term_end_date="31/02/2030"),
        {"title": "Enter the title of the agreement.", "term_end_date": NOT_A_DATE},
        role="owner",
    ),
    # Parties and their signatures.
    "party: none chosen": Case(
        "agreements:party_add",
        lambda w: [w.draft_agreement.pk],
        lambda w: {"organisation": "", "address": "Civic Office, Waterdale"},
        {"organisation": "Choose the organisation that is a party to the agreement."},
    ),
    "party: an organisation already a party": Case(
        "agreements:party_add",
        lambda w: [w.draft_agreement.pk],
        lambda w: {"organisation": w.partner_org.pk},
        {"organisation": "Oxford University Hospitals NHS Foundation Trust is already a party to this agreement."},
        role="owner",
    ),
    "party edit: changed to an organisation already a party": Case(
        "agreements:party_edit",
        lambda w: [w.party.pk],
        lambda w: {"organisation": w.home_trust.pk, "address": ""},
        {"organisation": "Oxford Health NHS Foundation Trust is already a party to this agreement."},
        setup=add_second_party,
    ),
    "signature: nothing filled in": Case(
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
    "signature: signed tomorrow, a copy that is not the agreement's": Case(
        "agreements:sign",
        lambda w: [w.unsigned_party.pk],
        signature(signed_on=tomorrow, signed_copy=lambda w: w.other_document.pk),
        {
            "signed_on": "The date of signature cannot be in the future.",
            "signed_copy": "Choose one of this agreement's documents.",
        },
    ),
    "signature: not a date": Case(
        "agreements:sign",
        lambda w: [w.unsigned_party.pk],
        signature(signed_on="the third of April"),
        {"signed_on": NOT_A_DATE},
        role="delegate",
    ),
    # Rounds of comment, scope, milestones, indicators.
    "comment: nothing filled in": Case(
        "agreements:consultation_add",
        lambda w: [w.commented_agreement.pk],
        lambda w: {"feedback": "Agreed."},
        {"body": "Enter the board or committee that commented.", "date": "Enter the date of the meeting or feedback."},
    ),
    "comment edit: not a date": Case(
        "agreements:consultation_edit",
        lambda w: [w.consultation.pk],
        lambda w: {"body": w.consultation.body, "date": "30/13/2022"},
        {"date": NOT_A_DATE},
        role="owner",
    ),
    "scope: nothing filled in": Case(
        "agreements:scope_add",
        lambda w: [w.draft_agreement.pk],
        lambda w: {"lead": "Director of Public Health"},
        {"title": "Enter the name of the work stream or area of opportunity."},
    ),
    "scope edit: an NHS number in the description": Case(
        "agreements:scope_edit",
        lambda w: [w.scope_item.pk],
        lambda w: {"title": w.scope_item.title, "description": f"Started with {NHS_NUMBER}'s care plan."},
        {"description": NHS_NUMBER_SHOWN},
    ),
    "milestone: nothing filled in": Case(
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
    "milestone edit: overdue is not a status to choose": Case(
        "agreements:milestone_edit",
        lambda w: [w.milestone.pk],
        lambda w: {"title": w.milestone.title, "due_date": day(w.milestone.due_date), "status": "overdue"},
        {"status": "Select a valid choice."},
    ),
    "indicator: nothing filled in": Case(
        "agreements:indicator_add",
        lambda w: [w.draft_agreement.pk],
        lambda w: {"frequency": "Quarterly"},
        {"measure": "Enter what will be measured."},
    ),
    "indicator edit: measure removed": Case(
        "agreements:indicator_edit",
        lambda w: [w.indicator.pk],
        lambda w: {"measure": "", "target": "Fewer"},
        {"measure": "Enter what will be measured."},
        role="owner",
    ),
    # Lifecycle steps that ask for something.
    "supersede: nothing chosen, not a date": Case(
        "agreements:supersede",
        lambda w: [w.agreement_in_force.pk],
        lambda w: {"replacement": "", "ended_on": "April"},
        {"replacement": "Choose the agreement that replaces this one.", "ended_on": NOT_A_DATE},
    ),
    "supersede: by itself": Case(
        "agreements:supersede",
        lambda w: [w.agreement_in_force.pk],
        lambda w: {"replacement": w.agreement_in_force.pk},
        {"replacement": "Choose one of the agreements listed."},
        role="owner",
    ),
    "terminate: no date": Case(
        "agreements:terminate",
        lambda w: [w.agreement_in_force.pk],
        lambda w: {"ended_on": ""},
        {"ended_on": "Enter the date the agreement was terminated."},
    ),
    "terminate: not a date": Case(
        "agreements:terminate",
        lambda w: [w.agreement_in_force.pk],
        lambda w: {"ended_on": "31/09/2025"},
        {"ended_on": NOT_A_DATE},
        role="delegate",
    ),
    # Documents.
    "document: nothing chosen": Case(
        "agreements:document_add",
        lambda w: [w.draft_agreement.pk],
        lambda w: {"kind": "draft"},
        {"title": "Enter a title for the document.", "file": "Choose the file to upload."},
    ),
    "document: a program named .pdf": Case(
        "agreements:document_add",
        lambda w: [w.draft_agreement.pk],
        lambda w: {"title": "Board minutes", "kind": "other", "file": renamed_program()},
        {"file": "This file is not a PDF: its content is a Windows program."},
        role="owner",
    ),
    "document: an NHS number in the title": Case(
        "agreements:document_add",
        lambda w: [w.draft_agreement.pk],
        lambda w: {"title": f"Letter about {NHS_NUMBER}", "kind": "other", "file": pdf_upload("Letter.pdf")},
        {"title": NHS_NUMBER_SHOWN},
    ),
    # Risk profiles.
    "risk: no title, target above current": Case(
        "risks:add",
        lambda w: [w.partnership.pk],
        lambda w: risk_form_data(w.risk, title="", target_likelihood="4", target_consequence="4"),
        {
            "title": "Enter the risk, in a few words.",
            "target_likelihood": "cannot be higher than the current score (9)",
        },
        role="owner",
    ),
    "risk edit: current above inherent without a reason": Case(
        "risks:edit",
        lambda w: [w.risk.pk],
        lambda w: risk_form_data(w.risk, inherent_likelihood="2", inherent_consequence="2"),
        {"current_above_inherent_reason": "Say why the current score (9) is higher than the inherent score (4)"},
        role="delegate",
    ),
    "risk close: a future date, no reason": Case(
        "risks:close",
        lambda w: [w.risk.pk],
        lambda w: {"closed_on": day(local_today() + datetime.timedelta(days=3)), "closing_note": ""},
        {"closed_on": "The date closed cannot be in the future", "closing_note": "Say why the risk is being closed"},
    ),
    "risk action: nothing filled in": Case(
        "risks:action_add",
        lambda w: [w.risk.pk],
        lambda w: {"status": "not_started"},
        {
            "description": "Describe the action.",
            "owner": "Enter the name of the person who owns the action.",
            "due_date": "Enter the date the action is due",
        },
    ),
    "risk action edit: an NHS number, no status": Case(
        "risks:action_edit",
        lambda w: [w.risk_action.pk],
        lambda w: {"description": f"Call {NHS_NUMBER}", "owner": "Jo", "due_date": day(local_today()), "status": ""},
        {"description": NHS_NUMBER_SHOWN, "status": "Choose the status of the action"},
        role="owner",
    ),
    "no significant risk: an NHS number in the note": Case(
        "risks:no_significant_risk",
        lambda w: [w.partnership.pk, "reputation"],
        lambda w: {"note": f"Only {NHS_NUMBER} is affected"},
        {"note": NHS_NUMBER_SHOWN},
    ),
    "risk matrix: threshold off the matrix": Case(
        "risks:matrix",
        lambda w: [],
        lambda w: matrix_form_data(escalation_threshold="30"),
        {"escalation_threshold": "Enter the escalation threshold as a whole number from 1 to 25"},
        role="administrator",
    ),
    # Information governance.
    "IG item: in place without dates or document": Case(
        "assurance:item_add",
        lambda w: [w.partnership.pk],
        lambda w: {"item": "dpia", "status": "in_place"},
        {
            "approved_on": "Enter the date it was approved",
            "review_on": "Enter the review date",
            "file": "Upload the document: an item in place needs one as evidence.",
        },
        role="owner",
    ),
    "IG item edit: approved in the future": Case(
        "assurance:item_edit",
        lambda w: [w.ig_item.pk],
        lambda w: {
            "status": "in_place",
            "approved_on": day(local_today() + datetime.timedelta(days=2)),
            "review_on": day(local_today() + datetime.timedelta(days=365)),
        },
        {"approved_on": "The approval date cannot be in the future."},
    ),
}


def risk_form_data(r, **changes):
    data = {
        f"{position}_{axis}": str(getattr(r, f"{position}_{axis}"))
        for position in ("inherent", "current", "target")
        for axis in ("likelihood", "consequence")
    }
    data |= {
        "domain": r.domain,
        "title": r.title,
        "description": r.description,
        "owner": r.owner,
        "existing_controls": r.existing_controls,
        "treatment": r.treatment,
        "review_date": day(r.review_date),
        "current_above_inherent_reason": r.current_above_inherent_reason,
    }
    return data | changes


def matrix_form_data(**changes):
    """The risk matrix page's fields as saved, with ``changes``."""
    matrix = RiskMatrix.current()
    data = {"escalation_threshold": str(matrix.escalation_threshold)}
    for kind in ("likelihood", "consequence"):
        for n, d in enumerate(getattr(matrix, kind), 1):
            data[f"{kind}_{n}_name"], data[f"{kind}_{n}_guidance"] = d["name"], d["guidance"]
    for n, band in enumerate(matrix.bands, 1):
        for key in ("name", "lowest", "highest", "colour"):
            data[f"band_{n}_{key}"] = str(band[key])
    return data | changes


@pytest.fixture
def world(db):
    return build_world(agreements=True)


def stored_files():
    """Every file in the document store (the test's own folder)."""
    return sorted(p for p in settings.DOCUMENT_STORAGE_DIR.rglob("*") if p.is_file())


def text(fragment):
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def error_summary(body):
    """[(link target, message)] of the page's error summary."""
    match = re.search(r'<div class="nhsuk-error-summary".*?</ul>', body, flags=re.S)
    assert match, "the page has an NHS.UK error summary"
    assert "There is a problem" in match.group(0)
    return [
        (href, text(label)) for href, label in re.findall(r'<a href="#([^"]+)">(.*?)</a>', match.group(0), flags=re.S)
    ]


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_is_explained_and_nothing_is_written(client, world, name):
    case = CASES[name]
    if case.setup:
        case.setup(world)
    client.force_login(world.user(case.role))
    before = database_state()
    files = stored_files()

    url = reverse(case.page, args=case.args(world))
    response = client.post(url, {**opened_version(client, url), **case.data(world)})

    assert response.status_code == 400
    body = response.content.decode()
    assert re.search(r"<title>\s*Error: ", body), "the page title starts with Error:"
    links = error_summary(body)
    for target, message in links:
        assert f'id="{target}"' in body, f"the summary links to #{target}, which is not on the page"
        assert message != REQUIRED, "say what is missing, not just that something is"
    by_field = {}
    for target, message in links:
        field = re.sub(r"^id_|_\d+$", "", target)
        by_field.setdefault(field, []).append(message)
    assert set(by_field) == set(case.errors), by_field
    for field, expected in case.errors.items():
        assert any(expected in m for m in by_field[field]), (field, by_field[field])
        inline = re.search(
            rf'<span class="nhsuk-error-message" id="id_{field}-error">(.*?)</span>\s*(?:</div>|<)', body, flags=re.S
        )
        assert inline and expected in text(inline.group(1)), f"{field}: the message is shown next to the field too"
    assert database_state() == before
    assert stored_files() == files, "no document stored"


def takes_input(view):
    """An add or edit page, an upload, or a lifecycle step that asks for something (a date, a name)."""
    if issubclass(view, (ObjectEditView, DocumentAddView)):
        return True
    return issubclass(view, TransitionView) and bool(view.form_class.base_fields)


def test_every_form_page_has_a_bad_input_case():
    """A form page added to the register, agreements, risk profiles or IG gets a case here too."""
    form_pages = {
        name
        for name, pattern in url_patterns()
        if name.split(":")[0] in ("partnerships", "organisations", "agreements", "risks", "assurance")
        and view_class(pattern)
        and takes_input(view_class(pattern))
    }
    assert {"agreements:add", "agreements:sign", "agreements:document_add"} <= form_pages
    assert form_pages == {c.page for c in CASES.values()}

"""The agreements' pages, used the way a partnership lead and the coordinator use them.

An agreement is recorded, commented on, approved, signed, brought into force, varied and
superseded through the pages alone; bad input and refused steps answer 400 with an NHS.UK error
summary and write nothing; a lead cannot change another lead's agreements; the agreements list,
the register's agreement filter and the "needs attention" panel show exactly the right rows.
"""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements import lifecycle, services
from agreements.models import (
    Agreement,
    AgreementParty,
    AgreementStatus,
    Consultation,
    Indicator,
    Milestone,
    MilestoneStatus,
    ScopeItem,
)
from core.audit import audit_context
from core.dates import local_today
from core.models import AuditEntry
from organisations.models import Organisation, OrganisationKind
from partnerships.models import ArrangementType, Partnership, Status
from tests.editing import opened_version
from tests.spreadsheets import read_records
from tests.text import readable_text
from tests.world import build_world, database_state

S = AgreementStatus
AGREEMENT_MODELS = (Agreement, AgreementParty, Consultation, ScopeItem, Milestone, Indicator)


@pytest.fixture
def world(db):
    return build_world()


def today():
    return local_today()


def typed(date):
    """A date as a user types it: day first."""
    return date.strftime("%d/%m/%Y")


def state():
    """Every row of every table of the register and of the agreements, the audit trail included."""
    rows = database_state()
    for model in AGREEMENT_MODELS:
        rows[model._meta.label] = list(model._base_manager.order_by("pk").values())
    return rows


def text(fragment):
    return readable_text(fragment)


def page_text(response):
    body = response.content.decode()
    main = body.split('id="maincontent"', 1)[-1]
    return text(main)


def error_summary(response):
    """The messages of the page's NHS.UK error summary (the page must have one)."""
    body = response.content.decode()
    match = re.search(r'<div class="nhsuk-error-summary".*?</div>\s*</div>\s*</div>', body, flags=re.S)
    assert match, "the page has an NHS.UK error summary"
    assert re.search(r"<title>\s*Error: ", body), "the page title starts with Error:"
    summary = match.group(0)
    for target in re.findall(r'<a href="#([^"]+)">', summary):
        assert f'id="{target}"' in body, f"the summary links to #{target}, which is not on the page"
    return text(summary)


def agreement_form(**changes):
    data = {
        "kind": "mou",
        "title": "Integrated commissioning memorandum of understanding",
        "purpose": "How the CCG and the Council will jointly commission services.",
        "legally_binding": "no",
        "binding_exceptions": "",
        "commencement": "last_signature",
        "stated_commencement_date": "",
        "term_end_date": "31/03/2030",
        "notice_period": "Reviewed annually",
        "governance": "The JCCC meets at least monthly.",
    }
    data.update(changes)
    return data


def make_agreement(partnership, title="Memorandum of understanding", parties=(), **fields):
    """A draft agreement with parties, created as the administrator (audited like real data)."""
    fields.setdefault("kind", "mou")
    a = Agreement(partnership=partnership, title=title, **fields)
    a.full_clean()
    a.save()
    for org in parties:
        a.parties.create(organisation=org)
    return a


def approve(a):
    services.send_for_comment(a)
    return services.approve(a)


def bring_into_force(a, signed_on=None):
    signed_on = signed_on or today() - datetime.timedelta(days=30)
    if a.status == S.DRAFT:
        approve(a)
    for party in a.parties.select_related("organisation", "agreement"):
        if not party.has_signed:
            services.record_signature(party, "Jackie Pederson", "Accountable Officer", signed_on)
    return services.bring_into_force(a)


@pytest.fixture
def council(db):
    return Organisation.objects.create(name="Doncaster Borough Council", kind=OrganisationKind.LOCAL_AUTHORITY)


# --- the whole life of an agreement, through the pages -------------------------------------------


def test_a_lead_takes_an_agreement_from_draft_to_in_force_varied_and_superseded(client, world, council):
    lead = world.user("owner")
    client.force_login(lead)
    ccg = world.partner_org

    # The partnership page offers to add an agreement.
    partnership_page = client.get(reverse("partnerships:detail", args=[world.partnership.pk]))
    add_url = reverse("agreements:add", args=[world.partnership.pk])
    assert add_url in partnership_page.content.decode()

    response = client.post(add_url, agreement_form())
    agreement = Agreement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == agreement.get_absolute_url()
    assert agreement.status == S.DRAFT
    assert agreement.partnership == world.partnership
    assert agreement.version == 1

    page = page_text(client.get(agreement.get_absolute_url()))
    assert "Add the parties before approval." in page

    # Two parties, with their addresses; the same organisation twice is refused.
    for org, address in ((ccg, "Sovereign House, Heavens Walk, Doncaster"), (council, "Civic Office, Waterdale")):
        response = client.post(
            reverse("agreements:party_add", args=[agreement.pk]), {"organisation": org.pk, "address": address}
        )
        assert response.status_code == 302
    before = state()
    response = client.post(reverse("agreements:party_add", args=[agreement.pk]), {"organisation": council.pk})
    assert response.status_code == 400
    assert "Doncaster Borough Council is already a party to this agreement." in error_summary(response)
    assert state() == before
    assert agreement.parties.count() == 2

    # A round of comment cannot be recorded on a draft; it can once the draft is out for comment.
    consultation = {"body": "CCG Governing Body", "date": typed(today()), "feedback": "Agreed, with changes."}
    before = state()
    response = client.post(reverse("agreements:consultation_add", args=[agreement.pk]), consultation)
    assert response.status_code == 400
    assert "once the agreement has been sent for comment" in error_summary(response)
    assert state() == before

    assert client.post(reverse("agreements:send_for_comment", args=[agreement.pk])).status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == S.OUT_FOR_COMMENT
    response = client.post(reverse("agreements:consultation_add", args=[agreement.pk]), consultation)
    assert response.status_code == 302
    assert agreement.consultations.get().body == "CCG Governing Body"

    assert client.post(reverse("agreements:approve", args=[agreement.pk])).status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == S.APPROVED

    # The terms are fixed now: the edit page refuses, and says why.
    before = state()
    response = client.post(reverse("agreements:edit", args=[agreement.pk]), agreement_form(title="Changed"))
    assert response.status_code == 400
    assert "fixed once it is approved" in error_summary(response)
    assert state() == before
    assert "fixed once it is approved" in page_text(client.get(reverse("agreements:edit", args=[agreement.pk])))

    # The first signature.
    ccg_party = agreement.parties.get(organisation=ccg)
    council_party = agreement.parties.get(organisation=council)
    first, second = today() - datetime.timedelta(days=10), today() - datetime.timedelta(days=3)
    response = client.post(
        reverse("agreements:sign", args=[ccg_party.pk]),
        {"signatory_name": "Jackie Pederson", "signatory_position": "Accountable Officer", "signed_on": typed(first)},
    )
    assert response.status_code == 302
    page = page_text(client.get(agreement.get_absolute_url()))
    assert "Waiting for signatures from Doncaster Borough Council." in page
    assert "1 of 2 parties signed" in page

    # In force is refused before the second signature, with the reason, and nothing changes.
    before = state()
    response = client.post(reverse("agreements:bring_into_force", args=[agreement.pk]))
    assert response.status_code == 400
    assert "Not yet signed: Doncaster Borough Council" in error_summary(response)
    assert state() == before
    agreement.refresh_from_db()
    assert agreement.status == S.APPROVED

    response = client.post(
        reverse("agreements:sign", args=[council_party.pk]),
        {"signatory_name": "Damian Allen", "signatory_position": "Chief Executive", "signed_on": typed(second)},
    )
    assert response.status_code == 302
    assert client.post(reverse("agreements:bring_into_force", args=[agreement.pk])).status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == S.IN_FORCE
    assert lifecycle.commencement_date(agreement) == second
    page = page_text(client.get(agreement.get_absolute_url()))
    assert f"Commencement {second.day} {second:%B %Y}" in page
    assert "Damian Allen Chief Executive" in page

    # A variation: a new draft version that every party signs again; the first stays readable.
    response = client.post(reverse("agreements:start_variation", args=[agreement.pk]))
    variation = Agreement.objects.get(varies=agreement)
    assert response.status_code == 302
    assert response["Location"] == variation.get_absolute_url()
    assert (variation.version, variation.status) == (2, S.DRAFT)
    assert [p.signed_on for p in variation.parties.all()] == [None, None]
    variation_page = page_text(client.get(variation.get_absolute_url()))
    assert f"Earlier version: {agreement}" in variation_page
    original_page = page_text(client.get(agreement.get_absolute_url()))
    assert f"Later version: {variation}" in original_page
    assert "A variation (version 2) is in progress" in original_page

    # Superseded by a section 75 agreement of the same partnership: both pages link to the other.
    client.post(add_url, agreement_form(kind="section_75", title="Joint Commissioning Agreement"))
    section_75 = Agreement.objects.get(title="Joint Commissioning Agreement")
    response = client.post(
        reverse("agreements:supersede", args=[agreement.pk]),
        {"replacement": section_75.pk, "ended_on": typed(today())},
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert (agreement.status, agreement.superseded_by, agreement.ended_on) == (S.SUPERSEDED, section_75, today())
    assert "Superseded by Joint Commissioning Agreement" in page_text(client.get(agreement.get_absolute_url()))
    assert f"Supersedes {agreement}" in page_text(client.get(section_75.get_absolute_url()))

    # Every step is in the agreement's history, with who made it.
    history = page_text(client.get(reverse("agreements:history", args=[agreement.pk])))
    assert "Anne Clarke" in history
    assert "Doncaster Borough Council" in history
    statuses = [
        e.after.get("status")
        for e in AuditEntry.objects.filter(object_id=agreement.pk, object_type__model="agreement").order_by("pk")
    ]
    assert [s for s in statuses if s] == [
        "Draft",
        "Out for comment",
        "Approved, awaiting signatures",
        "In force",
        "Superseded",
    ]


def test_the_agreement_page_shows_its_life_and_what_is_missing(client, world, council):
    client.force_login(world.user("coordinator"))
    with audit_context(user=world.user("administrator")):
        a = make_agreement(
            world.partnership,
            "Provider collaborative MoU",
            parties=[world.home_trust, world.partner_org],
            legally_binding="except",
            binding_exceptions="Confidentiality and data protection",
            term_end_date=today() + datetime.timedelta(days=42),
        )
        bring_into_force(a)
        a.scope_items.create(title="Urgent care", lead="Dr Ben Riley")
        late = a.milestones.create(title="Shared work programme agreed", due_date=today() - datetime.timedelta(days=1))
        a.milestones.create(title="Board update", due_date=today() + datetime.timedelta(days=30))
        a.indicators.create(measure="Joint projects delivered", frequency="Annually", target="Three")

    response = client.get(a.get_absolute_url())
    page = page_text(response)
    body = response.content.decode()
    assert "Term ends in 42 days" in page
    assert f"Milestone “{late.title}” is overdue" in page
    assert body.count("nhsuk-tag--red") == 2, "the overdue milestone is flagged in the panel and in its table"
    assert "No, except stated clauses: Confidentiality and data protection" in page
    assert "Urgent care" in page and "Dr Ben Riley" in page
    assert "Joint projects delivered Annually Three" in page
    current = re.search(r'aria-current="step".*?</li>', body, flags=re.S).group(0)
    assert "In force" in text(current)
    # Only the steps possible now are offered.
    for possible in ("start_variation", "supersede", "terminate"):
        assert reverse(f"agreements:{possible}", args=[a.pk]) in body
    for impossible in ("send_for_comment", "approve", "bring_into_force", "expire"):
        assert reverse(f"agreements:{impossible}", args=[a.pk]) not in body


# --- bad input: 400, an error summary, nothing written ------------------------------------------


def draft(w):
    return make_agreement(w.partnership, "Draft MoU", parties=[w.partner_org])


def out_for_comment(w):
    a = draft(w)
    services.send_for_comment(a)
    a.consultations.create(body="Board", date=datetime.date(2024, 3, 30))
    a.scope_items.create(title="Urgent care")
    a.milestones.create(title="Milestone", due_date=datetime.date(2024, 3, 30))
    a.indicators.create(measure="Measure")
    return a


def approved(w):
    a = draft(w)
    return approve(a)


def in_force(w):
    a = draft(w)
    return bring_into_force(a)


def only_party(a):
    return a.parties.get()


TOMORROW = "tomorrow"

BAD_INPUT = {
    "add: nothing": (
        "agreements:add",
        lambda w: w.partnership.pk,
        {"legally_binding": "no", "commencement": "last_signature"},
        ["Choose the kind of agreement.", "Enter the title of the agreement."],
    ),
    "add: binding clauses missing": (
        "agreements:add",
        lambda w: w.partnership.pk,
        agreement_form(legally_binding="except"),
        ["Enter the clauses that are binding"],
    ),
    "add: stated date missing": (
        "agreements:add",
        lambda w: w.partnership.pk,
        agreement_form(commencement="stated_date"),
        ["Enter the date the agreement comes into force."],
    ),
    "add: term ends before it starts": (
        "agreements:add",
        lambda w: w.partnership.pk,
        agreement_form(commencement="stated_date", stated_commencement_date="01/04/2018", term_end_date="31/03/2018"),
        ["The term cannot end before the stated commencement date."],
    ),
    "edit: not a date": (
        "agreements:edit",
        lambda w: draft(w).pk,
        agreement_form(term_end_date="31/02/2018"),
        ["Enter a real date"],
    ),
    "party: none chosen": ("agreements:party_add", lambda w: draft(w).pk, {"address": "Somewhere"}, ["Choose the"]),
    "party: edit to a party already there": (
        "agreements:party_edit",
        lambda w: draft(w).parties.create(organisation=w.other_org).pk,
        lambda w: {"organisation": w.partner_org.pk},
        ["is already a party to this agreement"],
    ),
    "party: added after approval": (
        "agreements:party_add",
        lambda w: approved(w).pk,
        lambda w: {"organisation": w.other_org.pk},
        ["Parties can only be added, changed or removed while the agreement is a draft or out for comment"],
    ),
    "comment: nothing": (
        "agreements:consultation_add",
        lambda w: out_for_comment(w).pk,
        {},
        ["Enter the board or committee that commented.", "Enter the date of the meeting or feedback."],
    ),
    "comment: edit with a bad date": (
        "agreements:consultation_edit",
        lambda w: out_for_comment(w).consultations.get().pk,
        {"body": "Board", "date": "30/13/2022"},
        ["Enter a real date"],
    ),
    "scope: nothing": (
        "agreements:scope_add",
        lambda w: draft(w).pk,
        {"lead": "Someone"},
        ["Enter the name of the work stream"],
    ),
    "scope: edit emptied": (
        "agreements:scope_edit",
        lambda w: out_for_comment(w).scope_items.get().pk,
        {"title": ""},
        ["Enter the name of the work stream"],
    ),
    "milestone: nothing": (
        "agreements:milestone_add",
        lambda w: draft(w).pk,
        {},
        ["Enter the milestone.", "Enter the date the milestone is due.", "Choose the status of the milestone."],
    ),
    "milestone: edit with a status that does not exist": (
        "agreements:milestone_edit",
        lambda w: out_for_comment(w).milestones.get().pk,
        {"title": "Milestone", "due_date": "30/03/2024", "status": "overdue"},
        ["Select a valid choice"],
    ),
    "indicator: nothing": ("agreements:indicator_add", lambda w: draft(w).pk, {}, ["Enter what will be measured."]),
    "indicator: edit with an NHS number": (
        "agreements:indicator_edit",
        lambda w: out_for_comment(w).indicators.get().pk,
        {"measure": "Outcomes for 943 476 5919"},
        ["NHS number"],
    ),
    "signature: nothing": (
        "agreements:sign",
        lambda w: only_party(approved(w)).pk,
        {},
        [
            "Enter the name of the person who signed.",
            "Enter the position of the person who signed.",
            "Enter the date it was signed.",
        ],
    ),
    "signature: in the future": (
        "agreements:sign",
        lambda w: only_party(approved(w)).pk,
        {"signatory_name": "A Person", "signatory_position": "Chief Executive", "signed_on": TOMORROW},
        ["The date of signature cannot be in the future."],
    ),
    "signature: before approval": (
        "agreements:sign",
        lambda w: only_party(out_for_comment(w)).pk,
        {"signatory_name": "A Person", "signatory_position": "Chief Executive", "signed_on": "01/04/2022"},
        ["Signatures are recorded once the agreement is approved"],
    ),
    "approve: no parties": (
        "agreements:approve",
        lambda w: services.send_for_comment(make_agreement(w.partnership, "No parties")).pk,
        {},
        ["Add the parties to the agreement before it is approved."],
    ),
    "send for comment: already in force": (
        "agreements:send_for_comment",
        lambda w: in_force(w).pk,
        {},
        ["not possible while the agreement is “In force”"],
    ),
    "return to draft: already a draft": (
        "agreements:return_to_draft",
        lambda w: draft(w).pk,
        {},
        ["not possible while the agreement is “Draft”"],
    ),
    "bring into force: a party has not signed": (
        "agreements:bring_into_force",
        lambda w: approved(w).pk,
        {},
        ["Not yet signed: Oxford University Hospitals NHS Foundation Trust"],
    ),
    "expire: term not ended": ("agreements:expire", lambda w: in_force(w).pk, {}, ["whose term has ended"]),
    "terminate: no date": (
        "agreements:terminate",
        lambda w: in_force(w).pk,
        {},
        ["Enter the date the agreement was terminated."],
    ),
    "supersede: nothing chosen": (
        "agreements:supersede",
        lambda w: in_force(w).pk,
        {},
        ["Choose the agreement that replaces this one."],
    ),
    "start a variation: still a draft": (
        "agreements:start_variation",
        lambda w: draft(w).pk,
        {},
        ["Only an agreement in force can be varied"],
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUT))
def test_bad_input_and_refused_steps_answer_400_and_write_nothing(client, world, case):
    name, pk, data, messages = BAD_INPUT[case]
    with audit_context(user=world.user("administrator")):
        url = reverse(name, args=[pk(world)])
    data = data(world) if callable(data) else dict(data)
    if data.get("signed_on") == TOMORROW:
        data["signed_on"] = typed(today() + datetime.timedelta(days=1))
    client.force_login(world.user("owner"))
    data = {**opened_version(client, url), **data}
    before = state()
    entries = AuditEntry.objects.count()

    response = client.post(url, data)

    assert response.status_code == 400
    summary = error_summary(response)
    for message in messages:
        assert message in summary, (message, summary)
    assert "This field is required." not in summary
    assert state() == before
    assert AuditEntry.objects.count() == entries


def test_every_form_page_of_the_agreements_has_a_bad_input_case():
    from agreements.views import TransitionView
    from core.views import ObjectEditView
    from tests.urls import url_patterns, view_class

    forms = {
        name
        for name, pattern in url_patterns()
        if name.startswith("agreements:")
        and view_class(pattern)
        and issubclass(view_class(pattern), (ObjectEditView, TransitionView))
    }
    covered = {name for name, *_ in BAD_INPUT.values()}
    assert forms <= covered, forms - covered


# --- who may change what ------------------------------------------------------------------------


def test_a_lead_reads_but_cannot_change_another_leads_agreement(client, world):
    with audit_context(user=world.user("administrator")):
        a = make_agreement(world.partnership, "Forensic network MoU", parties=[world.partner_org])
        milestone = a.milestones.create(title="Go live", due_date=today())
    party = a.parties.get()
    client.force_login(world.user("other_lead"))

    response = client.get(a.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert "Forensic network MoU" in body
    assert reverse("agreements:edit", args=[a.pk]) not in body
    assert reverse("agreements:send_for_comment", args=[a.pk]) not in body
    assert 'id="documents"' not in body, "a lead sees the documents of their own partnerships only"

    before = state()
    attempts = [
        (reverse("agreements:edit", args=[a.pk]), agreement_form()),
        (reverse("agreements:add", args=[world.partnership.pk]), agreement_form()),
        (reverse("agreements:party_add", args=[a.pk]), {"organisation": world.other_org.pk}),
        (reverse("agreements:party_delete", args=[party.pk]), {}),
        (reverse("agreements:milestone_edit", args=[milestone.pk]), {"title": "X", "due_date": "01/01/2024"}),
        (reverse("agreements:send_for_comment", args=[a.pk]), {}),
        (reverse("agreements:sign", args=[party.pk]), {}),
    ]
    for url, data in attempts:
        assert client.get(url).status_code == 403, url
        assert client.post(url, data).status_code == 403, url
    assert state() == before

    # The partnership's own lead may.
    client.force_login(world.user("owner"))
    body = client.get(a.get_absolute_url()).content.decode()
    assert reverse("agreements:edit", args=[a.pk]) in body
    assert 'id="documents"' in body
    assert client.post(reverse("agreements:send_for_comment", args=[a.pk])).status_code == 302


def test_roles_that_only_read_get_no_buttons(client, world):
    with audit_context(user=world.user("administrator")):
        a = make_agreement(world.partnership, "Forensic network MoU", parties=[world.partner_org])
    client.force_login(world.user("executive"))
    body = client.get(a.get_absolute_url()).content.decode()
    assert "Forensic network MoU" in body
    assert f"/agreements/{a.pk}/" in body
    for name in ("edit", "send_for_comment", "party_add", "milestone_add", "document_add"):
        assert reverse(f"agreements:{name}", args=[a.pk]) not in body
    assert client.post(reverse("agreements:send_for_comment", args=[a.pk])).status_code == 403


# --- the agreements list, its filters and exports -----------------------------------------------


@pytest.fixture
def portfolio(world, council):
    """Agreements in every interesting state, over two partnerships."""
    w = world
    with audit_context(user=w.user("administrator")):
        expiring = make_agreement(
            w.partnership, "Expiring MoU", parties=[w.partner_org], term_end_date=today() + datetime.timedelta(days=20)
        )
        bring_into_force(expiring)
        unsigned = make_agreement(w.partnership, "Unsigned contract", kind="contract", parties=[w.partner_org, council])
        approve(unsigned)
        services.record_signature(
            unsigned.parties.get(organisation=council), "Damian Allen", "Chief Executive", today()
        )
        late = make_agreement(
            w.other_partnership,
            "Section 75 with a late milestone",
            kind="section_75",
            parties=[council],
            legally_binding="yes",
        )
        late.milestones.create(title="Pooled budget agreed", due_date=today() - datetime.timedelta(days=5))
        settled = make_agreement(
            w.other_partnership,
            "Settled data sharing agreement",
            kind="information_sharing",
            parties=[w.other_org],
            term_end_date=today() + datetime.timedelta(days=400),
        )
        bring_into_force(settled)
        done = make_agreement(w.other_partnership, "Finished milestone agreement", parties=[w.other_org])
        done.milestones.create(
            title="Done", due_date=today() - datetime.timedelta(days=50), status=MilestoneStatus.COMPLETE
        )
    return {"expiring": expiring, "unsigned": unsigned, "late": late, "settled": settled, "done": done}


LIST_CASES = {
    "everything": ({}, {"expiring", "unsigned", "late", "settled", "done"}),
    "no signed agreement": ({"condition": "no_signed_agreement"}, {"unsigned", "late", "done"}),
    "expiring within 90 days": ({"condition": "expiring_90_days"}, {"expiring"}),
    "unsigned by a party": ({"condition": "unsigned_by_a_party"}, {"unsigned"}),
    "milestone overdue": ({"condition": "milestone_overdue"}, {"late"}),
    "kind": ({"kind": "section_75"}, {"late"}),
    "status": ({"status": "in_force"}, {"expiring", "settled"}),
    "partnership": ({"partnership": "P-0002"}, {"late", "settled", "done"}),
    "partner organisation": ({"party": "Doncaster"}, {"unsigned", "late"}),
    "legally binding": ({"legally_binding": "yes"}, {"late"}),
    "search": ({"q": "milestone"}, {"late", "done"}),
    "two filters": ({"status": "in_force", "partnership": "forensic"}, {"expiring"}),
}


@pytest.mark.parametrize("case", sorted(LIST_CASES))
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_agreements_list_and_its_export_hold_exactly_the_filtered_rows(client, world, portfolio, case, fmt):
    params, expected = LIST_CASES[case]
    titles = {portfolio[key].title for key in expected}
    client.force_login(world.user("coordinator"))

    response = client.get(reverse("agreements:list"), params)
    assert response.status_code == 200
    page = page_text(response)
    shown = {a.title for a in portfolio.values() if a.title in page}
    assert shown == titles
    assert f"of {len(titles)} agreement" in page

    records = read_records(client.get(reverse("agreements:list"), {**params, "export": fmt}))
    assert {r["Title"] for r in records} == titles
    assert len(records) == len(titles)


def test_an_export_row_tells_the_agreements_story(client, world, portfolio):
    client.force_login(world.user("coordinator"))
    records = read_records(client.get(reverse("agreements:list"), {"export": "csv"}))
    row = next(r for r in records if r["Title"] == "Unsigned contract")
    assert row == {
        "Partnership reference": "P-0001",
        "Partnership title": "Thames Valley Forensic Network",
        "Kind": "Contract",
        "Title": "Unsigned contract",
        "Version": "1",
        "Status": "Approved, awaiting signatures",
        "Parties": "Doncaster Borough Council; Oxford University Hospitals NHS Foundation Trust",
        "Parties signed": "1",
        "Commencement date": "",
        "Term ends": "",
        "Legally binding": "No",
        "Clauses that are binding": "",
    }
    expiring = next(r for r in records if r["Title"] == "Expiring MoU")
    assert expiring["Commencement date"] == (today() - datetime.timedelta(days=30)).isoformat()
    assert expiring["Status"] == "In force"


def test_a_bad_filter_is_explained_not_ignored(client, world, portfolio):
    client.force_login(world.user("coordinator"))
    response = client.get(reverse("agreements:list"), {"condition": "nonsense"})
    assert response.status_code == 400
    assert "Check the filters" in page_text(response)
    assert "Expiring MoU" not in page_text(response)


def grow(world, count, start=0):
    with audit_context(user=world.user("administrator")):
        for i in range(start, start + count):
            a = make_agreement(
                world.partnership if i % 2 else world.other_partnership,
                f"Agreement {i:03d}",
                parties=[world.partner_org, world.other_org],
                term_end_date=today() + datetime.timedelta(days=i),
            )
            a.milestones.create(title=f"Milestone {i}", due_date=today() - datetime.timedelta(days=1))
            if i % 3 == 0:
                bring_into_force(a)


def count_queries(client, url, params=None):
    client.get(url, params)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.parametrize(
    "params", [{}, {"condition": "milestone_overdue", "sort": "-commencement_on"}, {"export": "csv"}]
)
def test_the_agreements_list_costs_the_same_for_3_and_30_agreements(client, world, params):
    client.force_login(world.user("coordinator"))
    url = reverse("agreements:list")
    grow(world, 3)
    small, response = count_queries(client, url, params)
    assert "Agreement 000" in response.content.decode()
    grow(world, 27, start=3)
    large, response = count_queries(client, url, params)
    assert "Agreement 029" in response.content.decode()
    assert small == large, f"{small} queries for 3 agreements, {large} for 30"


def test_the_partnership_page_lists_its_agreements_at_a_constant_cost(client, world):
    client.force_login(world.user("coordinator"))
    url = reverse("partnerships:detail", args=[world.partnership.pk])
    grow(world, 2)
    small, response = count_queries(client, url)
    grow(world, 20, start=2)
    large, response = count_queries(client, url)
    body = response.content.decode()
    table = text(re.search(r'<h2 id="agreements">.*?</table>', body, flags=re.S).group(0))
    assert table.count("Agreement 0") == 11, "the partnership's own agreements, and no others"
    assert "In force" in table and "Draft" in table
    assert small == large


# --- the register ------------------------------------------------------------------------------


@pytest.fixture
def quiet_partnership(world):
    with audit_context(user=world.user("administrator")):
        return Partnership.objects.create(
            reference="P-0003",
            title="Carers' support",
            arrangement_type=ArrangementType.INFORMAL,
            status=Status.ACTIVE,
        )


REGISTER_CASES = {
    # P-0001 and P-0002 each have an agreement in force: only the partnership without one is left.
    "no_signed_agreement": {"P-0003"},
    "expiring_90_days": {"P-0001"},
    "unsigned_by_a_party": {"P-0001"},
    "milestone_overdue": {"P-0002"},
}


@pytest.mark.parametrize("condition", sorted(REGISTER_CASES))
def test_the_registers_agreement_filter_returns_the_right_partnerships(
    client, world, portfolio, quiet_partnership, condition
):
    expected = REGISTER_CASES[condition]
    client.force_login(world.user("coordinator"))
    records = read_records(client.get(reverse("partnerships:list"), {"agreements": condition, "export": "csv"}))
    assert {r["Reference"] for r in records} == expected
    page = page_text(client.get(reverse("partnerships:list"), {"agreements": condition}))
    assert {ref for ref in ("P-0001", "P-0002", "P-0003") if ref in page} >= expected


def test_the_register_filter_no_signed_agreement_counts_only_agreements_in_force(client, world, quiet_partnership):
    with audit_context(user=world.user("administrator")):
        approve(make_agreement(world.partnership, "Approved only", parties=[world.partner_org]))
        bring_into_force(make_agreement(world.other_partnership, "In force", parties=[world.other_org]))
    client.force_login(world.user("coordinator"))
    records = read_records(
        client.get(reverse("partnerships:list"), {"agreements": "no_signed_agreement", "export": "csv"})
    )
    assert {r["Reference"] for r in records} == {"P-0001", "P-0003"}


# --- needs attention ---------------------------------------------------------------------------


@pytest.fixture
def attention(world):
    with audit_context(user=world.user("administrator")):
        ending = make_agreement(
            world.partnership,
            "Ending MoU",
            parties=[world.partner_org],
            term_end_date=today() + datetime.timedelta(days=20),
        )
        bring_into_force(ending)
        late = make_agreement(world.partnership, "Work programme MoU", parties=[world.partner_org])
        late.milestones.create(title="Section 75 terms agreed", due_date=today() - datetime.timedelta(days=3))
    return ending, late


def panel(response):
    body = response.content.decode()
    match = re.search(r'<div class="nhsuk-card nhsuk-card--warning" id="needs-attention">.*?</ul>', body, flags=re.S)
    return text(match.group(0)) if match else None


@pytest.mark.parametrize("role", ["owner", "coordinator", "delegate", "administrator"])
def test_the_needs_attention_panel_shows_what_the_lead_and_coordinator_must_act_on(client, world, attention, role):
    ending, late = attention
    client.force_login(world.user(role))
    response = client.get(reverse("core:attention"), headers={"HX-Request": "true"})
    shown = panel(response)
    assert shown is not None
    assert "Ending MoU" in shown and "in 20 days" in shown
    assert "Work programme MoU" in shown and "Section 75 terms agreed" in shown and "3 days ago" in shown
    body = response.content.decode()
    assert ending.get_absolute_url() in body
    assert f"{late.get_absolute_url()}#milestones" in body


@pytest.mark.parametrize("role", ["executive", "board_member", "auditor", "other_lead"])
def test_the_needs_attention_panel_lists_no_agreement_to_those_with_none_to_act_on(client, world, attention, role):
    client.force_login(world.user(role))
    response = client.get(reverse("core:attention"), headers={"HX-Request": "true"})
    assert response.status_code == 200
    shown = panel(response) or ""
    assert "Ending MoU" not in shown and "Work programme MoU" not in shown


def test_no_agreement_on_the_panel_when_none_needs_attention(client, world):
    client.force_login(world.user("coordinator"))
    shown = panel(client.get(reverse("core:attention"), headers={"HX-Request": "true"})) or ""
    assert not any(tag in shown for tag in ("Term ended", "Ends within", "Milestone overdue", "Awaiting signature"))


def test_the_register_loads_the_panel_after_it_is_shown_and_links_to_it_without_javascript(client, world, attention):
    client.force_login(world.user("owner"))
    body = client.get(reverse("partnerships:list")).content.decode()
    assert f'hx-get="{reverse("core:attention")}" hx-trigger="load"' in body
    assert f'<noscript><p class="nhsuk-body"><a class="nhsuk-link" href="{reverse("home")}">' in body
    assert "Ending MoU" not in body, "the register itself does not wait for what needs attention"


def test_the_agreements_menu_item_is_offered_to_every_role(client, world):
    for role in ("administrator", "coordinator", "owner", "executive", "board_member", "auditor"):
        client.force_login(world.user(role))
        body = client.get(reverse("partnerships:list")).content.decode()
        assert f'href="{reverse("agreements:list")}">Agreements</a>' in body, role

"""The register's rows of Accord's cross-cutting tests (``tests/rows.py`` says what each table is)."""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from organisations.models import Organisation
from partnerships.importing import background
from partnerships.models import Headline, ImportState, PartnerRole, Partnership, PartnerTotal, RegisterImport, Status
from tests.rows import (
    ADMIN,
    END_BEFORE_START,
    FORBIDDEN,
    KEEPERS,
    NHS_NUMBER_SHOWN,
    NOT_A_DATE,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    OWNERS,
    REDIRECT,
    SAVED,
    Change,
    Export,
    Form,
    Growth,
    Page,
    Stale,
    edits,
    everyone,
    form_values,
    only,
    pk_of,
)
from tests.world import NHS_NUMBER, partnership_form_data

NEW_TITLE = "Thames Valley and Wessex Forensic Network"
IMPORT_CSV = "Reference,Partnership name,Type of arrangement,Status\r\nP-0500,Banbury Carers Hub,Alliance,Active\r\n"


def _partnership(w):
    return Partnership.objects.get(pk=w.partnership.pk)


def register_upload():
    return {"file": SimpleUploadedFile("register.csv", IMPORT_CSV.encode(), content_type="text/csv")}


def failed_import(w):
    """An import the worker refused (the register changed after its preview): run again, it is queued."""
    record = background.queue(
        [["Reference", "Partnership name"], ["P-0501", "Didcot Carers Hub"]],
        0,
        ["reference", "title"],
        user=w.user("coordinator"),
        name="register.csv",
    )
    RegisterImport.objects.filter(pk=record.pk).update(state=ImportState.FAILED, failure="The register changed.")
    return record


def stage_import(client, w, role):
    """The coordinator uploads a register; the URL of its preview is what every role then tries.

    When the role under test is the coordinator, the upload is theirs (same session); for anyone
    else it is someone else's upload, which even another register keeper must not reach.
    """
    uploader = client
    if role != "coordinator":
        uploader = Client()
        uploader.force_login(w.user("coordinator"))
    response = uploader.post(reverse("partnerships:import"), register_upload())
    assert response.status_code == 302, response.status_code
    w.import_token = response.url.rstrip("/").rsplit("/", 1)[-1]
    preview = uploader.get(reverse("partnerships:import_preview", args=[w.import_token]))
    w.import_form = form_values(preview.content.decode(), "import-form")
    assert w.import_form, "the preview has the import form"


PAGES = {
    "partnerships:list": Page(get=everyone(OK, contributor=OK), post=everyone(NOT_ALLOWED)),
    "partnerships:add": Page(
        get=only(OK, KEEPERS),
        post=only(SAVED, KEEPERS),
        data=lambda w: {
            "title": "Oxfordshire Carer Alliance",
            "arrangement_type": "alliance",
            "status": "developing",
            "value_qualifier": "exact",
            "lead": w.user("owner").pk,
        },
        effect=lambda w: Partnership.objects.filter(title="Oxfordshire Carer Alliance", lead=w.user("owner")).exists(),
    ),
    "partnerships:import": Page(get=only(OK, KEEPERS), post=only(REDIRECT, KEEPERS), data=lambda w: register_upload()),
    "partnerships:import_preview": Page(
        prepare=stage_import,
        args=lambda w: [w.import_token],
        get=only(OK, ["coordinator"], otherwise=FORBIDDEN) | {"administrator": NOT_FOUND},
        post=only(SAVED, ["coordinator"], otherwise=FORBIDDEN) | {"administrator": NOT_FOUND},
        data=lambda w: {**w.import_form, "action": "commit"},
        # The commit is queued for the worker once the request's transaction commits.
        effect=lambda w: RegisterImport.objects.filter(name="register.csv", summary={}).exists(),
    ),
    "partnerships:import_run": Page(
        args=lambda w: [failed_import(w).pk], get=only(OK, KEEPERS), post=everyone(NOT_ALLOWED)
    ),
    "partnerships:import_again": Page(
        args=lambda w: [failed_import(w).pk],
        get=everyone(NOT_ALLOWED),
        post=only(SAVED, KEEPERS),
        effect=lambda w: RegisterImport.objects.filter(state=ImportState.QUEUED, name="register.csv").exists(),
    ),
    "partnerships:leads_to_confirm": Page(get=only(OK, KEEPERS), post=everyone(NOT_ALLOWED)),
    "partnerships:confirm_lead": Page(
        args=lambda w: [w.partnership.pk],
        get=only(OK, KEEPERS),
        post=only(SAVED, KEEPERS),
        data=lambda w: {"lead": w.user("delegate").pk, "recorded_lead": "Head of Forensic Services"},
        effect=lambda w: (
            (_partnership(w).lead, _partnership(w).recorded_lead) == (w.user("delegate"), "Head of Forensic Services")
        ),
    ),
    "partnerships:detail": Page(
        args=lambda w: [w.partnership.pk], get=everyone(OK, contributor=OK), post=everyone(NOT_ALLOWED)
    ),
    "partnerships:edit": Page(
        args=lambda w: [w.partnership.pk],
        get=only(OK, KEEPERS + OWNERS),
        post=only(SAVED, KEEPERS + OWNERS),
        data=lambda w: partnership_form_data(w.partnership, title=NEW_TITLE),
        effect=lambda w: _partnership(w).title == NEW_TITLE and _partnership(w).lead == w.user("owner"),
    ),
    "partnerships:close": Page(
        args=lambda w: [w.partnership.pk],
        get=only(OK, KEEPERS),
        post=only(SAVED, KEEPERS),
        data=lambda w: {"end_date": "31/03/2025"},
        effect=lambda w: (
            (_partnership(w).status, _partnership(w).end_date) == (Status.CLOSED, datetime.date(2025, 3, 31))
        ),
    ),
    # A partnership with nothing on it (one with agreements cannot be deleted: see below).
    "partnerships:delete": Page(
        args=lambda w: [w.spare_partnership.pk],
        get=only(OK, ADMIN),
        post=only(SAVED, ADMIN),
        effect=lambda w: not Partnership.objects.filter(pk=w.spare_partnership.pk).exists(),
    ),
    "partnerships:history": Page(args=lambda w: [w.partnership.pk], get=everyone(OK), post=everyone(NOT_ALLOWED)),
    "partnerships:partner_add": Page(
        args=lambda w: [w.partnership.pk],
        get=only(OK, KEEPERS + OWNERS),
        post=only(SAVED, KEEPERS + OWNERS),
        data=lambda w: {"organisation": w.spare_org.pk, "role": "funder"},
        effect=lambda w: PartnerRole.objects.filter(
            partnership=w.partnership, organisation=w.spare_org, role="funder"
        ).exists(),
    ),
    "partnerships:partner_edit": Page(
        args=lambda w: [w.partner_role.pk],
        get=only(OK, KEEPERS + OWNERS),
        post=only(SAVED, KEEPERS + OWNERS),
        data=lambda w: {"organisation": w.partner_org.pk, "role": "commissioner"},
        effect=lambda w: PartnerRole.objects.get(pk=w.partner_role.pk).role == "commissioner",
    ),
    "partnerships:partner_delete": Page(
        args=lambda w: [w.partner_role.pk],
        get=only(OK, KEEPERS + OWNERS),
        post=only(SAVED, KEEPERS + OWNERS),
        effect=lambda w: not PartnerRole.objects.filter(pk=w.partner_role.pk).exists(),
    ),
    "partnerships:headline_add": Page(
        args=lambda w: [w.partnership.pk],
        get=only(OK, KEEPERS + OWNERS),
        post=only(SAVED, KEEPERS + OWNERS),
        data=lambda w: {"date": "02/04/2024", "text": "Contract extended to March 2027."},
        effect=lambda w: Headline.objects.filter(
            partnership=w.partnership, text="Contract extended to March 2027."
        ).exists(),
    ),
    "partnerships:headline_edit": Page(
        args=lambda w: [w.headline.pk],
        get=only(OK, KEEPERS + OWNERS),
        post=only(SAVED, KEEPERS + OWNERS),
        data=lambda w: {"date": "01/03/2024", "text": "Bed occupancy at 92%.", "for_board_report": "on"},
        effect=lambda w: Headline.objects.filter(
            pk=w.headline.pk, text="Bed occupancy at 92%.", for_board_report=True
        ).exists(),
    ),
    "partnerships:headline_delete": Page(
        args=lambda w: [w.headline.pk],
        get=only(OK, KEEPERS + OWNERS),
        post=only(SAVED, KEEPERS + OWNERS),
        effect=lambda w: not Headline.objects.filter(pk=w.headline.pk).exists(),
    ),
}

# The register a user opens: a lead's own partnerships ("My partnerships": the owner leads P-0001,
# the delegate is delegated on it, the other lead leads P-0002), a partner contributor's those
# their organisation is a party to (P-0001), every other role's all of them.
REGISTER_OPENING = {"owner": ["P-0001"], "delegate": ["P-0001"], "other_lead": ["P-0002"], "contributor": ["P-0001"]}


def _register_opening(w, role):
    return REGISTER_OPENING.get(role, ["P-0001", "P-0002", "P-0009"])


EXPORTS = {
    "partnerships:list": Export(
        key="Reference",
        rows=lambda w, role: _register_opening(w, role),
        filter={"partnerships": "all", "partner": "Southern Health"},
        filtered_rows=lambda w, role: [] if role == "contributor" else ["P-0002"],
    ),
}


def private(w):
    """What only those allowed to see the register may read."""
    return [
        w.partnership.title,
        w.partnership.purpose,
        w.headline.text,
        w.other_partnership.title,
        w.partner_org.name,
    ]


AUDIT = {
    # Who queued an import, of which file, and how it ended (never the rows it carries); kept.
    "partnerships.RegisterImport": Change(
        lambda w: RegisterImport.objects.create(name="register.csv", header_row=1, requested_by=w.user("coordinator")),
        "state",
        "Waiting to start",
        ImportState.FAILED,
        "Not imported",
        actions=("create", "update"),
    ),
    "partnerships.Partnership": Change(
        lambda w: Partnership.objects.create(
            reference="P-0003", title="Oxfordshire Carer Alliance", arrangement_type="alliance", lead=w.user("owner")
        ),
        "title",
        "Oxfordshire Carer Alliance",
        "Oxfordshire Carers Alliance",
        "Oxfordshire Carers Alliance",
    ),
    "partnerships.PartnerRole": Change(
        lambda w: PartnerRole.objects.create(partnership=w.partnership, organisation=w.spare_org, role="member"),
        "role",
        "Member",
        "funder",
        "Funder",
        parent=lambda w: w.partnership,
    ),
    "partnerships.Headline": Change(
        lambda w: Headline.objects.create(partnership=w.partnership, date=datetime.date(2024, 5, 1), text="Go-live"),
        "text",
        "Go-live",
        "Go-live moved to June",
        "Go-live moved to June",
        parent=lambda w: w.partnership,
    ),
    # Derived from partner roles and partnerships (partnerships.partner_totals): written, changed
    # and removed by their writes, on the organisation's history.
    "partnerships.PartnerTotal": Change(
        lambda w: PartnerTotal.objects.create(organisation=w.spare_org, partnerships=3, value=Decimal("1200.00")),
        "partnerships",
        3,
        5,
        5,
        parent=lambda w: w.spare_org,
    ),
}


# The pages the owning lead may use, on the other lead's partnership's records (403 for them).
THEIRS = {
    "partnerships:edit": (
        lambda w: [w.other_partnership.pk],
        lambda w: partnership_form_data(w.other_partnership, title="Hijacked"),
    ),
    "partnerships:partner_add": (
        lambda w: [w.other_partnership.pk],
        lambda w: {"organisation": w.spare_org.pk, "role": "member"},
    ),
    "partnerships:partner_edit": (
        lambda w: [w.other_partner_role.pk],
        lambda w: {"organisation": w.other_org.pk, "role": "funder"},
    ),
    "partnerships:partner_delete": (lambda w: [w.other_partner_role.pk], lambda w: {}),
    "partnerships:headline_add": (
        lambda w: [w.other_partnership.pk],
        lambda w: {"date": "01/01/2024", "text": "Hijacked"},
    ),
    "partnerships:headline_edit": (
        lambda w: [w.other_headline.pk],
        lambda w: {"date": "01/01/2024", "text": "Hijacked"},
    ),
    "partnerships:headline_delete": (lambda w: [w.other_headline.pk], lambda w: {}),
}


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


def add_second_partner(w):
    PartnerRole.objects.create(partnership=w.partnership, organisation=w.spare_org, role="member")


FORMS = {
    "partnership: nothing filled in": Form(
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
    "partnership: words for money and impossible dates": Form(
        "partnerships:add",
        lambda w: [],
        new_partnership(annual_value="about 2 million", start_date="31/02/2024", next_review_date="next spring"),
        {
            "annual_value": "Enter the annual value in pounds as a number, for example 750000.",
            "start_date": NOT_A_DATE,
            "next_review_date": NOT_A_DATE,
        },
    ),
    "partnership: end before start, and a qualifier with no value": Form(
        "partnerships:add",
        lambda w: [],
        new_partnership(start_date="01/04/2022", end_date="31/03/2022", value_qualifier="approximate"),
        {"end_date": END_BEFORE_START, "value_qualifier": "needs an annual value"},
    ),
    "partnership: a negative value": Form(
        "partnerships:add",
        lambda w: [],
        new_partnership(annual_value="-5000"),
        {"annual_value": "Enter an annual value of £0 or more, or leave it blank if not known."},
    ),
    "partnership: a reference already used": Form(
        "partnerships:add",
        lambda w: [],
        new_partnership(reference="P-0002"),
        {"reference": "The reference P-0002 is already used by another partnership."},
    ),
    "partnership: a strategic objective that does not exist": Form(
        "partnerships:add",
        lambda w: [],
        new_partnership(strategic_objectives=["999999"]),
        {"strategic_objectives": "Select a valid choice."},
    ),
    "partnership edit: title removed": Form(
        "partnerships:edit",
        lambda w: [w.partnership.pk],
        partnership(title=""),
        {"title": "Enter the name of the partnership."},
    ),
    "partnership edit: end before start": Form(
        "partnerships:edit",
        lambda w: [w.partnership.pk],
        partnership(end_date="01/01/2019"),
        {"end_date": END_BEFORE_START},
    ),
    "partnership edit by its lead: end before start": Form(
        "partnerships:edit",
        lambda w: [w.partnership.pk],
        partnership(end_date="01/01/2019", title=""),
        {"end_date": END_BEFORE_START, "title": "Enter the name of the partnership."},
        role="owner",
    ),
    "partnership edit: closed with no end date": Form(
        "partnerships:edit",
        lambda w: [w.partnership.pk],
        partnership(status="closed"),
        {"end_date": "a closed partnership needs an end date"},
    ),
    "partnership edit: an NHS number in the lead as recorded and the value's note": Form(
        "partnerships:edit",
        lambda w: [w.partnership.pk],
        partnership(recorded_lead=f"Care coordinator for {NHS_NUMBER}", value_note=f"Spot purchase, {NHS_NUMBER}"),
        {"recorded_lead": NHS_NUMBER_SHOWN, "value_note": NHS_NUMBER_SHOWN},
    ),
    "confirm lead: no user chosen": Form(
        "partnerships:confirm_lead",
        lambda w: [w.partnership.pk],
        lambda w: {"lead": "", "recorded_lead": "Head of Adult Services"},
        {"lead": "Choose the user who leads this partnership."},
    ),
    "confirm lead: an NHS number in the lead as recorded": Form(
        "partnerships:confirm_lead",
        lambda w: [w.partnership.pk],
        lambda w: {"lead": w.user("owner").pk, "recorded_lead": f"Lead for {NHS_NUMBER}"},
        {"recorded_lead": NHS_NUMBER_SHOWN},
    ),
    "confirm lead: a user who has left": Form(
        "partnerships:confirm_lead",
        lambda w: [w.partnership.pk],
        lambda w: {"lead": w.user("owner").pk, "recorded_lead": "Anne Clarke"},
        {"lead": "Select a valid choice."},
        setup=lambda w: type(w.user("owner")).objects.filter(pk=w.user("owner").pk).update(is_active=False),
    ),
    "close: no end date": Form(
        "partnerships:close",
        lambda w: [w.partnership.pk],
        lambda w: {"end_date": ""},
        {"end_date": "Enter the date the partnership ended."},
    ),
    "close: an end date before the start": Form(
        "partnerships:close",
        lambda w: [w.partnership.pk],
        lambda w: {"end_date": "31/03/2020"},
        {"end_date": END_BEFORE_START},
    ),
    "close: not a date": Form(
        "partnerships:close",
        lambda w: [w.partnership.pk],
        lambda w: {"end_date": "end of March"},
        {"end_date": NOT_A_DATE},
    ),
    "partner: the same organisation twice": Form(
        "partnerships:partner_add",
        lambda w: [w.partnership.pk],
        lambda w: {"organisation": w.partner_org.pk, "role": "funder"},
        {"organisation": "Oxford University Hospitals NHS Foundation Trust is already a partner in this partnership."},
        role="owner",
    ),
    "partner: none chosen": Form(
        "partnerships:partner_add",
        lambda w: [w.partnership.pk],
        lambda w: {"organisation": "", "role": "member"},
        {"organisation": "Choose the partner organisation."},
    ),
    "partner: the trust itself": Form(
        "partnerships:partner_add",
        lambda w: [w.partnership.pk],
        lambda w: {"organisation": w.home_trust.pk, "role": "member"},
        {"organisation": "Select a valid choice."},
    ),
    "partner edit: changed to an organisation already a partner": Form(
        "partnerships:partner_edit",
        lambda w: [w.partner_role.pk],
        lambda w: {"organisation": w.spare_org.pk, "role": "member"},
        {"organisation": "Oxfordshire Carers Forum is already a partner in this partnership."},
        setup=add_second_partner,
    ),
    "headline: nothing filled in": Form(
        "partnerships:headline_add",
        lambda w: [w.partnership.pk],
        lambda w: {"date": "", "text": "  "},
        {"date": "Enter the date of the headline.", "text": "Enter the headline."},
        role="delegate",
    ),
    "headline: not a date": Form(
        "partnerships:headline_add",
        lambda w: [w.partnership.pk],
        lambda w: {"date": "32/01/2024", "text": "Contract signed."},
        {"date": NOT_A_DATE},
    ),
    "headline edit: text removed": Form(
        "partnerships:headline_edit",
        lambda w: [w.headline.pk],
        lambda w: {"date": "01/03/2024", "text": ""},
        {"text": "Enter the headline."},
        role="owner",
    ),
}


def more_partnerships(w, n):
    start = Partnership.objects.count() + 100
    for i in range(start, start + n):
        p = Partnership.objects.create(
            reference=f"P-{i:04d}", title=f"Partnership {i}", arrangement_type="alliance", lead=w.user("owner")
        )
        PartnerRole.objects.create(partnership=p, organisation=w.partner_org, role="member")
        p.strategic_objectives.add(w.objective)


def more_partners_and_headlines(w, n):
    start = Organisation.objects.count()
    for i in range(start, start + n):
        org = Organisation.objects.create(name=f"Partner organisation {i}", kind="vcse")
        PartnerRole.objects.create(partnership=w.partnership, organisation=org, role="member")
        Headline.objects.create(partnership=w.partnership, date=datetime.date(2024, 4, 1), text=f"Headline {i}")


def more_leads_to_confirm(w, n):
    start = Partnership.objects.count() + 100
    for i in range(start, start + n):
        Partnership.objects.create(
            reference=f"P-{i:04d}", title=f"Partnership {i}", arrangement_type="alliance", recorded_lead=f"Head {i}"
        )


QUERIES = {
    "partnerships:leads_to_confirm": Growth(more_leads_to_confirm),
    "partnerships:list": Growth(more_partnerships),
    "partnerships:detail": Growth(more_partners_and_headlines, args=lambda w: [w.partnership.pk]),
    # The spare partnership: the world's main one has a full first page of history already.
    "partnerships:history": Growth(
        edits(lambda w: w.spare_partnership, "notes", lambda i: f"Reviewed {i} times."),
        args=lambda w: [w.spare_partnership.pk],
    ),
}

# Two people on each edit page, one saving first (tests/test_stale_saves.py).
STALE = {
    "partnership: a title and a value": Stale(
        "partnerships:edit",
        pk_of("partnership"),
        theirs={"title": "Thames Valley and Wessex Forensic Network"},
        yours={"annual_value": "70000000.00"},
        row=("Title", "Thames Valley Forensic Network", "Thames Valley and Wessex Forensic Network", None),
        their_fields={"title"},
        your_fields={"annual_value"},
        you="owner",
        them="coordinator",
    ),
    "partnership: its strategic objectives and its notes": Stale(
        "partnerships:edit",
        pk_of("partnership"),
        theirs={"strategic_objectives": lambda w: [str(w.objective.pk), str(w.objective2.pk)]},
        yours={"notes": "Annual review booked with the provider collaborative board."},
        row=(
            "Strategic objectives",
            "1) Deliver outstanding care",
            "1) Deliver outstanding care; 2) Be a great place to work",
            None,
        ),
        their_fields={"strategic_objectives"},
        your_fields={"notes"},
        you="delegate",
    ),
    "closing a partnership edited meanwhile": Stale(
        "partnerships:close",
        pk_of("partnership"),
        their_page="partnerships:edit",
        theirs={"notes": "Closing report due at the May board."},
        yours={"end_date": "31/03/2025"},
        row=("Notes", "Not recorded", "Closing report due at the May board.", "Not on this page"),
        their_fields={"notes"},
        your_fields={"end_date", "status", "status_changed_at", "status_changed_by"},
    ),
    "partner role": Stale(
        "partnerships:partner_edit",
        pk_of("partner_role"),
        theirs={"role": "funder"},
        yours={"organisation": lambda w: str(w.spare_org.pk)},
        row=("Role", "Member", "Funder", None),
        their_fields={"role"},
        your_fields={"organisation"},
    ),
    "headline": Stale(
        "partnerships:headline_edit",
        pk_of("headline"),
        theirs={"text": "Bed occupancy at 92% in February."},
        yours={"date": "02/03/2024"},
        row=("Headline", "Bed occupancy back under target.", "Bed occupancy at 92% in February.", None),
        their_fields={"text"},
        your_fields={"date"},
    ),
    "confirming a lead while the partnership is edited": Stale(
        "partnerships:confirm_lead",
        pk_of("partnership"),
        their_page="partnerships:edit",
        theirs={"notes": "Lead changes at the April board."},
        yours={"lead": lambda w: str(w.user("delegate").pk), "recorded_lead": "Head of Forensic Services"},
        row=("Notes", "Not recorded", "Lead changes at the April board.", "Not on this page"),
        their_fields={"notes"},
        your_fields={"lead", "recorded_lead"},
        them="administrator",
    ),
}

# A saved record of each model with free text, for the model-level NHS-number guard
# (core/tests/test_rules.py).
RECORDS = {
    "partnerships.Partnership": lambda w: w.partnership,
    "partnerships.Headline": lambda w: w.headline,
}

"""The organisations' rows of Accord's cross-cutting tests (``tests/rows.py`` says what each table is)."""

from organisations.models import Organisation
from partnerships.models import PartnerRole, Partnership
from tests.rows import (
    ADMIN,
    KEEPERS,
    NOT_ALLOWED,
    OK,
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
from tests.world import organisation_form_data

PAGES = {
    "organisations:list": Page(get=everyone(OK), post=everyone(NOT_ALLOWED)),
    "organisations:add": Page(
        get=only(OK, KEEPERS),
        post=only(SAVED, KEEPERS),
        data=lambda w: {"name": "Oxford Brookes University", "kind": "academic"},
        effect=lambda w: Organisation.objects.filter(name="Oxford Brookes University").exists(),
    ),
    "organisations:detail": Page(args=lambda w: [w.partner_org.pk], get=everyone(OK), post=everyone(NOT_ALLOWED)),
    "organisations:edit": Page(
        args=lambda w: [w.partner_org.pk],
        get=only(OK, KEEPERS),
        post=only(SAVED, KEEPERS),
        data=lambda w: organisation_form_data(w.partner_org, notes="Acute partner for the forensic network."),
        effect=lambda w: (
            Organisation.objects.get(pk=w.partner_org.pk).notes == "Acute partner for the forensic network."
        ),
    ),
    "organisations:delete": Page(
        args=lambda w: [w.spare_org.pk],
        get=only(OK, ADMIN),
        post=only(SAVED, ADMIN),
        effect=lambda w: not Organisation.objects.filter(pk=w.spare_org.pk).exists(),
    ),
    "organisations:history": Page(args=lambda w: [w.partner_org.pk], get=everyone(OK), post=everyone(NOT_ALLOWED)),
}

EXPORTS = {
    "organisations:list": Export(
        key="Name",
        rows=lambda w, role: sorted(
            [
                "Oxford Health NHS Foundation Trust",
                "Oxford University Hospitals NHS Foundation Trust",
                "Oxfordshire Carers Forum",
                "Southern Health NHS Foundation Trust",
            ]
        ),
        filter={"kind": "vcse"},
        filtered_rows=lambda w, role: ["Oxfordshire Carers Forum"],
    ),
}

AUDIT = {
    "organisations.Organisation": Change(
        lambda w: Organisation.objects.create(name="Oxford Brookes University", kind="academic", notes="Research"),
        "notes",
        "Research",
        "Research and training",
        "Research and training",
    ),
}


def organisation(**changes):
    return lambda w: organisation_form_data(w.spare_org, **changes)


FORMS = {
    "organisation: nothing filled in": Form(
        "organisations:add",
        lambda w: [],
        lambda w: {},
        {"name": "Enter the organisation's name.", "kind": "Choose the kind of organisation."},
    ),
    "organisation: bad ODS code and web address": Form(
        "organisations:add",
        lambda w: [],
        lambda w: {"name": "Banbury Hub", "kind": "vcse", "ods_code": "R N U", "website": "not a website"},
        {"ods_code": "Enter an ODS code in the NHS format", "website": "Enter a full web address"},
    ),
    "organisation: a name already on the register": Form(
        "organisations:add",
        lambda w: [],
        lambda w: {"name": " southern HEALTH nhs foundation trust", "kind": "nhs_trust"},
        {"name": "is already on the register."},
    ),
    "organisation edit: another organisation's ODS code": Form(
        "organisations:edit",
        lambda w: [w.spare_org.pk],
        organisation(ods_code="rth"),
        {"ods_code": "Another organisation already has the ODS code RTH."},
    ),
    "organisation edit: a second home trust": Form(
        "organisations:edit",
        lambda w: [w.spare_org.pk],
        organisation(is_home_trust="on"),
        {"is_home_trust": "Another organisation is already marked as the home trust."},
    ),
    "organisation edit: name removed": Form(
        "organisations:edit",
        lambda w: [w.spare_org.pk],
        organisation(name=""),
        {"name": "Enter the organisation's name."},
    ),
}


def more_organisations(w, n):
    start = Organisation.objects.count()
    for i in range(start, start + n):
        org = Organisation.objects.create(name=f"Organisation {i}", kind="vcse")
        PartnerRole.objects.create(partnership=w.partnership, organisation=org, role="member")


def more_partnerships_of_the_partner(w, n):
    start = Partnership.objects.count() + 100
    for i in range(start, start + n):
        p = Partnership.objects.create(reference=f"P-{i:04d}", title=f"Partnership {i}", arrangement_type="alliance")
        PartnerRole.objects.create(partnership=p, organisation=w.partner_org, role="member")


QUERIES = {
    "organisations:list": Growth(more_organisations),
    "organisations:detail": Growth(more_partnerships_of_the_partner, args=lambda w: [w.partner_org.pk]),
    "organisations:history": Growth(
        edits(lambda w: w.partner_org, "notes", lambda i: f"Reviewed {i} times."), args=lambda w: [w.partner_org.pk]
    ),
}

# Two people on each edit page, one saving first (tests/test_stale_saves.py).
STALE = {
    "organisation": Stale(
        "organisations:edit",
        pk_of("partner_org"),
        theirs={"website": "https://www.ouh.nhs.uk"},
        yours={"notes": "Host of the Thames Valley forensic network."},
        row=("Website", "Not recorded", "https://www.ouh.nhs.uk", None),
        their_fields={"website"},
        your_fields={"notes"},
        you="administrator",
        them="coordinator",
    ),
}

# A saved record of each model with free text, for the model-level NHS-number guard
# (core/tests/test_rules.py).
RECORDS = {
    "organisations.Organisation": lambda w: w.partner_org,
}

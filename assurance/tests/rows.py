"""The IG assurance's rows of Accord's cross-cutting tests (``tests/rows.py`` says what each table is)."""

import datetime

from assurance.forms import cell_name
from assurance.models import IGDocument, IGGap, IGItem, IGItemType, IGRequirement, IGState, RecordedStatus
from assurance.selectors import gap_rows, requirement_matrix
from core.dates import local_today
from core.documents import add_version, check_upload
from partnerships.models import Partnership
from tests.rows import (
    ADMIN,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    SAVED,
    Change,
    Export,
    Form,
    Growth,
    Page,
    Stale,
    changes,
    everyone,
    only,
    pk_of,
    reads,
)
from tests.world import day, pdf_upload


def build(w):
    """On each of the two partnerships its ISA, in place, with a document really in the store:
    ``ig_item`` with ``ig_document``, and ``other_ig_item`` with ``other_ig_document``."""
    today = local_today()

    def ig_item(partnership, label):
        item = IGItem.objects.create(
            partnership=partnership,
            item=IGItemType.ISA,
            status=RecordedStatus.IN_PLACE,
            approved_on=today - datetime.timedelta(days=30),
            review_on=today + datetime.timedelta(days=335),
        )
        file = pdf_upload(f"{label}.pdf", marker=f"% {partnership.reference} {label}\n")
        return item, add_version(IGDocument(item=item, uploaded_by=w.user("administrator")), file, check_upload(file))

    w.ig_item, w.ig_document = ig_item(w.partnership, "Forensic network ISA")
    w.other_ig_item, w.other_ig_document = ig_item(w.other_partnership, "Talking Space Plus ISA")


def _ig_grid_post():
    """The requirements grid as submitted, with one change: an MoU sharing no data needs a DPIA."""
    data = {cell_name(t, level, item): "on" for (t, level), items in requirement_matrix().items() for item in items}
    return data | {cell_name("mou", "none", "dpia"): "on"}


# Information governance: everyone reads the gaps; the keepers and the partnership's own leads
# record its IG items; IG documents are hidden from other leads like agreement documents; only
# the administrator changes the requirements matrix.
PAGES = {
    "assurance:gaps": reads(),
    "assurance:item_add": changes(
        lambda w: [w.partnership.pk],
        data=lambda w: {"item": "dpia", "status": "in_progress"},
        effect=lambda w: IGItem.objects.filter(partnership=w.partnership, item="dpia", status="in_progress").exists(),
    ),
    "assurance:item_edit": changes(
        lambda w: [w.ig_item.pk],
        data=lambda w: {
            "status": "in_place",
            "approved_on": day(w.ig_item.approved_on),
            "review_on": day(w.ig_item.review_on),
            "notes": "Reviewed by the IG steering group.",
        },
        effect=lambda w: IGItem.objects.get(pk=w.ig_item.pk).notes == "Reviewed by the IG steering group.",
    ),
    "assurance:document": Page(
        args=lambda w: [w.ig_document.pk],
        get=everyone(OK) | {"other_lead": NOT_FOUND},
        post=everyone(NOT_ALLOWED),
    ),
    "assurance:requirements": Page(
        get=only(OK, ADMIN),
        post=only(SAVED, ADMIN),
        data=lambda w: _ig_grid_post(),
        effect=lambda w: "dpia" in requirement_matrix()[("mou", "none")],
    ),
    "assurance:requirements_history": Page(get=only(OK, ADMIN), post=everyone(NOT_ALLOWED)),
}


# The pages the owning lead may use, on the other lead's partnership's records (403 for them).
THEIRS = {
    "assurance:item_add": (lambda w: [w.other_partnership.pk], lambda w: {"item": "dpia", "status": "in_progress"}),
    "assurance:item_edit": (
        lambda w: [w.other_ig_item.pk],
        lambda w: {"status": "in_progress", "notes": "Hijacked", "file": pdf_upload("Hijacked.pdf", "% hijacked")},
    ),
}

EXPORTS = {
    # Every gap of the register, for every role: P-0001 shares personal data with only its ISA in
    # place; P-0002 and P-0009 have no level of data sharing recorded (itself a gap).
    "assurance:gaps": Export(
        key="Reference",
        rows=lambda w, role: sorted(g["reference"] for g in gap_rows(local_today()).iterator()),
        filter={"item": "dpia"},
        filtered_rows=lambda w, role: ["P-0001"],
    ),
}


def _checked(upload):
    return upload, check_upload(upload)


def _fresh_gap(partnership):
    """The partnership's derived IG gap, made anew (its cell of the matrix may have made one already)."""
    IGGap.objects.filter(partnership=partnership).delete()
    return IGGap.objects.create(partnership=partnership, gap_from=datetime.date(2027, 3, 31))


AUDIT = {
    # The matrix's cells: written by the administrator's grid (a cell with no row uses the defaults).
    "assurance.IGRequirement": Change(
        lambda w: IGRequirement.objects.create(arrangement_type="mou", data_sharing="none"),
        "dpia",
        False,
        True,
        True,
        prepare=lambda w: IGRequirement.objects.filter(arrangement_type="mou", data_sharing="none").delete(),
        actions=("create", "update"),
    ),
    # Recorded and updated from the partnership page; never deleted (its documents are evidence).
    "assurance.IGItem": Change(
        lambda w: IGItem.objects.create(partnership=w.partnership, item="dpia", status="in_progress"),
        "status",
        "In progress",
        "in_place",
        "In place",
        parent=lambda w: w.partnership,
        actions=("create", "update"),
    ),
    # Derived from the records (assurance.ig_state): written, changed and removed by their writes.
    "assurance.IGState": Change(
        lambda w: IGState.objects.create(partnership=w.partnership, item="caldicott", in_progress=True),
        "in_place_until",
        None,
        datetime.date(2027, 3, 31),
        "2027-03-31",
        parent=lambda w: w.partnership,
        prepare=lambda w: IGState.objects.filter(partnership=w.partnership, item="caldicott").delete(),
    ),
    # Derived like the IG state, from it, the partnership's cell and the matrix (assurance.ig_state).
    "assurance.IGGap": Change(
        lambda w: _fresh_gap(w.partnership),
        "gap_from",
        "2027-03-31",
        datetime.date(2027, 4, 30),
        "2027-04-30",
        parent=lambda w: w.partnership,
    ),
    # Uploaded, never changed or deleted: a new file is the next version.
    "assurance.IGDocument": Change(
        lambda w: add_version(
            IGDocument(item=w.ig_item, uploaded_by=w.user("coordinator")), *_checked(pdf_upload("ISA v2.pdf", "% v2"))
        ),
        "original_name",
        "ISA v2.pdf",
        None,
        None,
        parent=lambda w: w.ig_item,
        actions=("create",),
    ),
}

FORMS = {
    # Information governance.
    "IG item: in place without dates or document": Form(
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
    "IG item edit: approved in the future": Form(
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


def more_gaps(w, n):
    start = Partnership.objects.count() + 100
    for i in range(start, start + n):
        Partnership.objects.create(
            reference=f"P-{i:04d}", title=f"Partnership {i}", arrangement_type="mou", data_sharing="personal"
        )


QUERIES = {
    "assurance:gaps": Growth(more_gaps),
}

# Two people on each edit page, one saving first (tests/test_stale_saves.py).
STALE = {
    "IG item": Stale(
        "assurance:item_edit",
        pk_of("ig_item"),
        theirs={"notes": "Reviewed by the IG steering group."},
        yours={"review_on": lambda w: day(local_today() + datetime.timedelta(days=365))},
        row=("Notes", "Not recorded", "Reviewed by the IG steering group.", None),
        their_fields={"notes"},
        your_fields={"review_on"},
    ),
    "IG requirements": Stale(
        "assurance:requirements",
        lambda w: [],
        theirs={"mou__none__dpia": "on"},
        yours={"informal__none__isa": "on"},
        row=("Memorandum of understanding, none: Data protection impact assessment (DPIA)", "No", "Yes", None),
        their_fields={"dpia"},
        your_fields={"isa"},
        you="administrator",
        them="second_administrator",
        record=lambda w: IGRequirement,
    ),
}

# A saved record of each model with free text, for the model-level NHS-number guard
# (core/tests/test_rules.py).
RECORDS = {
    "assurance.IGItem": lambda w: w.ig_item,
}

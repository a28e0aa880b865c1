"""The demo information governance (IG): partners' DSPT statuses and the IG items of some demo
partnerships, so that each partnership's IG section and the IG gaps page show a realistic mix.

Sources (``../shared/seeds/`` and ``../shared/domain/REFERENCE.md`` §3):

* "Trust partnerships update report" (spring 2019): "it is not yet clear which information
  governance documents are required/essential for different types of partnerships", and the
  OMHP Partnership Manager meeting the Trust's Head of Information Governance to agree them (the
  question ``assurance.defaults`` answers); TalkingSpace Plus's Digital Exemplar innovations
  (Sleepio, virtual reality therapy), new processing that needs a DPIA.
* "Provider Collaborative for Integrated Care" (March 2022): the Oxford Health – OUH MoU sets out
  to remove barriers such as sharing data, and binds the trusts only on confidentiality and data
  protection: an MoU alone is not an information sharing agreement (REFERENCE.md §3), so the ISA
  of P-0011 is in progress.
* "Partnerships report: update on BOB Mental Health Provider Collaborative" (July 2023): "formal
  agreements and ways of working are currently being developed", so P-0010's ISA is in progress.
* REFERENCE.md §3: the DSPT statuses, in NHS England's words, and the financial year of each.

Everything here is a demo value, never passed off as fact: the DSPT statuses are not the statuses
NHS England published for these organisations, and every IG record (marked "Demo record" in its
notes) and its document (a one-page PDF saying it is a demo document) is invented. **Dates and
years are relative to the day the seed runs** (Europe/London): the DSPT statuses are of the
assessment year expected that day (``organisations.dspt.expected_year``), except the closed Oxfordshire
CCG's, recorded as its last year before it closed (2021-22, so never current); approval and review
dates fall before and after that day, and one review (OMHP's DPIA) a month before it, so that one
item shows as expired.

What this gives the IG gaps page (with the levels of data sharing ``partnerships.demo`` records;
the Doncaster worked example, EX-0001, is left unassessed): partner DSPT in place on P-0011
(OUH at Standards Met), in progress on P-0001 (the Isle of Wight NHS Trust at Approaching
Standards), expired on P-0003 (the CCG's 2021-22 assessment), missing on P-0002 (Restore, like the County
Council, has no status recorded); P-0006's ISA in place, so it has no gap; ISAs in progress on P-0010 and P-0011;
a DPIA expired on P-0002; the rest of what the requirements matrix asks for missing.

The information sharing agreement of P-0006 is recorded as an IG item, not as an agreement of
kind ISA: ``agreements.demo`` holds the demo agreements, and its tests count them.

:func:`seed` adds only what is missing: a DSPT status only where an organisation has none, an IG
item only where the partnership has no record of that item (keyed on reference and item), so a
second run writes nothing (no rows, no audit entries, no files) and edits made in the app survive.
"""

import datetime
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from assurance.models import SHORT_LABELS, IGDocument, IGItem, IGItemType, RecordedStatus
from core.audit import audit_context
from core.dates import local_today
from core.demo import Seeded, counted
from core.documents import add_version, check_upload
from organisations.dspt import DsptStatus, expected_year
from partnerships import demo as register
from partnerships.models import Partnership

DAY = datetime.timedelta(days=1)
CURRENT = "current"  # the assessment year expected on the day the seed runs
CCG_LAST_YEAR = "2021-22"  # the Oxfordshire CCG closed on 1 July 2022
S = DsptStatus

# -- DSPT statuses (demo values) -----------------------------------------------------------------

DSPT = [
    (register.HOME_TRUST, S.STANDARDS_MET, CURRENT),
    (register.OUH, S.STANDARDS_MET, CURRENT),
    ("Berkshire Healthcare NHS Foundation Trust", S.STANDARDS_EXCEEDED, CURRENT),
    ("Southern Health NHS Foundation Trust", S.STANDARDS_MET, CURRENT),
    ("Solent NHS Trust", S.STANDARDS_MET, CURRENT),
    ("Dorset HealthCare University NHS Foundation Trust", S.STANDARDS_EXCEEDED, CURRENT),
    ("Isle of Wight NHS Trust", S.APPROACHING_STANDARDS, CURRENT),
    ("Buckinghamshire, Oxfordshire and Berkshire West Integrated Care Board", S.STANDARDS_MET, CURRENT),
    ("NHS England", S.STANDARDS_MET, CURRENT),
    (register.CCG, S.STANDARDS_MET, CCG_LAST_YEAR),
    (register.MIND, S.STANDARDS_MET, CURRENT),
    ("Response", S.STANDARDS_MET, CURRENT),
    ("Elmore Community Services", S.STANDARDS_MET, CURRENT),
    ("Connection Support", S.STANDARDS_MET, CURRENT),
    ("Principal Medical Limited", S.STANDARDS_MET, CURRENT),
    ("Oxford Federation for General Practice", S.STANDARDS_EXCEEDED, CURRENT),
    ("South Oxfordshire GP Federation", S.STANDARDS_MET, CURRENT),
    ("West Oxfordshire GP Federation", S.STANDARDS_MET, CURRENT),
    ("University of Oxford", S.STANDARDS_MET, CURRENT),
]
NO_DSPT = "Restore"  # left with no status: OMHP's partner DSPT is missing

# -- IG items (demo records) ---------------------------------------------------------------------


@dataclass(frozen=True)
class Record:
    reference: str
    item: str
    status: str
    notes: str
    approved_days_ago: int | None = None  # in place: approved this many days before the seed runs
    review_in_days: int | None = None  # in place: review this many days after (negative: past)


T, IN_PLACE, IN_PROGRESS = IGItemType, RecordedStatus.IN_PLACE, RecordedStatus.IN_PROGRESS

RECORDS = [
    # P-0011, Oxford Health and OUH (MoU, personal data): ISA in progress, the rest of its own in place.
    Record(
        "P-0011",
        T.ISA,
        IN_PROGRESS,
        "Demo record. The memorandum of understanding is not an information sharing agreement (it binds the "
        "trusts only on confidentiality and data protection): an ISA for the data the two trusts will share is "
        "being drafted.",
    ),
    Record(
        "P-0011",
        T.DPIA,
        IN_PLACE,
        "Demo record: the data flows between the two trusts for urgent care and end of life care, the MoU's "
        "early priorities.",
        approved_days_ago=200,
        review_in_days=165,
    ),
    Record(
        "P-0011",
        T.PRIVACY_NOTICE,
        IN_PLACE,
        "Demo record: the Trust's privacy notice names OUH among the organisations it shares personal data with.",
        approved_days_ago=180,
        review_in_days=185,
    ),
    Record(
        "P-0011",
        T.ROPA,
        IN_PLACE,
        "Demo record: entry for the sharing with OUH under the MoU.",
        approved_days_ago=180,
        review_in_days=185,
    ),
    # P-0002, OMHP (lead-provider subcontract, special category data).
    Record(
        "P-0002",
        T.ISA,
        IN_PLACE,
        "Demo record: information sharing agreement between Oxford Health and the partnership's voluntary "
        "sector partners.",
        approved_days_ago=300,
        review_in_days=65,
    ),
    Record(
        "P-0002",
        T.CALDICOTT,
        IN_PLACE,
        "Demo record: sharing approved by the Caldicott Guardian.",
        approved_days_ago=300,
        review_in_days=65,
    ),
    Record(
        "P-0002",
        T.DPIA,
        IN_PLACE,
        "Demo record: its review date has passed and no review has been recorded, so it has expired.",
        approved_days_ago=3 * 365,
        review_in_days=-30,
    ),
    Record(
        "P-0002",
        T.DPA,
        IN_PROGRESS,
        "Demo record. The Partnership Manager and the Trust's Head of Information Governance are agreeing which "
        "documents each partner needs (Trust partnerships update report, 2019).",
    ),
    # P-0006, NIHR ARC (research collaboration, aggregate data): its one required item, in place.
    Record(
        "P-0006",
        T.ISA,
        IN_PLACE,
        "Demo record: sharing of aggregate and anonymised figures between the collaboration's partners.",
        approved_days_ago=120,
        review_in_days=245,
    ),
    # P-0010, BOB provider collaborative (aggregate data).
    Record(
        "P-0010",
        T.ISA,
        IN_PROGRESS,
        "Demo record. “Formal agreements and ways of working are currently being developed” (Board of Directors, "
        "19 July 2023).",
    ),
    # P-0004, TalkingSpace Plus (procured contract, special category data).
    Record(
        "P-0004",
        T.DPIA,
        IN_PROGRESS,
        "Demo record: DPIA for the Digital Exemplar innovations, Sleepio for insomnia and virtual reality (VR) "
        "therapy for height phobia.",
    ),
    # P-0001, forensic network (provider collaborative, special category data).
    Record(
        "P-0001",
        T.JOINT_CONTROLLER,
        IN_PLACE,
        "Demo record: joint controller arrangement between the six trusts of the network.",
        approved_days_ago=400,
        review_in_days=330,
    ),
]


@dataclass(frozen=True)
class Added:
    dspt: int = 0
    items: int = 0

    def __bool__(self):
        return bool(self.dspt or self.items)


# -- Seeding ------------------------------------------------------------------------------------


def seed():
    """Add the demo DSPT statuses and IG items that are missing (audited as source "seed"); return
    how many of each were added."""
    with audit_context(source="seed"), transaction.atomic():
        today = local_today()
        dspt = sum(_seed_dspt(name, status, year, today) for name, status, year in DSPT)
        items = sum(_seed_record(record, today) for record in RECORDS)
    return Added(dspt, items)


def _organisation(name):
    return register._seed_organisation(next(org for org in register.ORGANISATIONS if org.name == name))


def _seed_dspt(name, status, year, today):
    organisation = _organisation(name)
    if organisation.dspt_status:
        return 0
    organisation.dspt_status = status
    organisation.dspt_year = expected_year(today) if year == CURRENT else year
    organisation.full_clean()
    organisation.save()
    return 1


def _seed_record(record, today):
    partnership = Partnership.objects.filter(reference=record.reference).first()
    if partnership is None or partnership.ig_items.filter(item=record.item).exists():
        return 0
    in_place = record.status == RecordedStatus.IN_PLACE
    item = IGItem(
        partnership=partnership,
        item=record.item,
        status=record.status,
        approved_on=today - record.approved_days_ago * DAY if in_place else None,
        review_on=today + record.review_in_days * DAY if in_place else None,
        notes=record.notes,
    )
    item.full_clean()
    item.save()
    if in_place:  # evidence, as the IG item page asks of an item in place
        upload = SimpleUploadedFile(
            f"{partnership.reference} {SHORT_LABELS[record.item]} (demo).pdf",
            demo_pdf(
                [
                    "Accord demo document - not a real document",
                    f"{partnership.reference} {_ascii(partnership.title)}",
                    IGItemType(record.item).label,
                ]
            ),
            content_type="application/pdf",
        )
        add_version(IGDocument(item=item), upload, check_upload(upload))  # the same bytes every run: stored once
    return 1


# -- A one-page PDF -------------------------------------------------------------------------------


def _ascii(text):
    for fancy, plain in (("–", "-"), ("—", "-"), ("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'), ("£", "GBP ")):
        text = text.replace(fancy, plain)
    return text.encode("ascii", "replace").decode("ascii")


def _pdf_string(text):
    return "(" + _ascii(text).replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def demo_pdf(lines):
    """A small, valid one-page PDF (A4, Helvetica) showing ``lines``: correct cross-reference
    offsets, so any PDF reader opens it."""
    text = ["BT", "/F1 12 Tf", "16 TL", "56 780 Td"]
    for line in lines:
        text.append(f"{_pdf_string(line)} Tj T*")
    text.append("ET")
    stream = "\n".join(text).encode("ascii")
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<</Font<</F1 4 0 R>>>>/Contents 5 0 R>>",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica/Encoding/WinAnsiEncoding>>",
        b"<</Length %d>>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def demo_step():
    """``seed_demo``'s IG step."""
    added = seed()
    return Seeded(added=counted(added.items, "IG item") | counted(added.dspt, "DSPT status", "DSPT statuses"))

"""``manage.py seed_demo``: the demo DSPT statuses and IG items, the gaps they leave, their
documents, their audit trail, and idempotence."""

from collections import defaultdict

import pytest
from django.apps import apps
from django.urls import reverse

from accounts.models import User
from assurance import ig_state
from assurance.models import Assurance, IGDocument, IGItem, RecordedStatus
from assurance.selectors import LEVEL_NOT_ASSESSED, gap_rows, partnership_ig
from board_reports.models import ReportVersion
from core.dates import local_today
from core.models import AuditEntry
from organisations.dspt import expected_year
from organisations.models import Organisation
from partnerships.models import Partnership
from self_assessments.models import Evidence
from tests.fixtures import seed_demo

pytestmark = pytest.mark.django_db


def stored_files(root):
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def gaps():
    """{reference: {item: status}} of every gap on the register, from the SQL of the gaps page."""
    found = defaultdict(dict)
    for row in gap_rows(local_today()).all_rows():
        found[row["reference"]][row["item"]] = row["ig_status"]
    return found


def page_states(reference):
    """{item: status} of every required item of one partnership, from the Python of its page."""
    p = Partnership.objects.prefetch_related("ig_items__documents", "agreements", "partner_roles__organisation").get(
        reference=reference
    )
    return {state.item.value: state.status for state in partnership_ig(p).items}


def test_partners_carry_dspt_statuses_of_every_kind(demo):
    current_year = expected_year(local_today())

    def dspt(name):
        org = Organisation.objects.get(name=name)
        return org.dspt_status, org.dspt_year

    assert dspt("Oxford University Hospitals NHS Foundation Trust") == ("standards_met", current_year)
    assert dspt("Berkshire Healthcare NHS Foundation Trust") == ("standards_exceeded", current_year)
    assert dspt("Isle of Wight NHS Trust") == ("approaching_standards", current_year)
    ccg = Organisation.objects.get(name="Oxfordshire Clinical Commissioning Group")
    assert (ccg.dspt_status, ccg.dspt_year) == ("standards_met", "2021-22")
    assert not ccg.dspt_is_current()
    assert dspt("Restore") == ("", "")


def test_the_gaps_show_a_realistic_mix(demo):
    found = gaps()
    statuses = {status for items in found.values() for status in items.values()}
    assert statuses == {Assurance.MISSING, Assurance.IN_PROGRESS, Assurance.EXPIRED}
    # Partner DSPT: in place, in progress, expired and missing across the register.
    assert "partner_dspt" not in found["P-0011"]  # OUH at Standards Met this year
    assert found["P-0001"]["partner_dspt"] == Assurance.IN_PROGRESS  # Isle of Wight: Approaching Standards
    assert found["P-0003"]["partner_dspt"] == Assurance.EXPIRED  # the CCG's 2021-22 assessment
    assert found["P-0002"]["partner_dspt"] == Assurance.MISSING  # Restore: no status
    # IG items recorded: in progress, expired, and in place (so not a gap).
    assert found["P-0011"] == {"isa": Assurance.IN_PROGRESS}
    assert found["P-0010"] == {"isa": Assurance.IN_PROGRESS}
    assert found["P-0002"]["dpia"] == Assurance.EXPIRED
    assert found["P-0002"]["dpa"] == Assurance.IN_PROGRESS
    assert "isa" not in found["P-0002"] and "caldicott" not in found["P-0002"]
    assert "P-0006" not in found  # its one required item, the ISA, is in place
    assert "P-0014" not in found  # shares no data
    # The Doncaster worked example's level of data sharing is not assessed.
    assert found["EX-0001"] == {LEVEL_NOT_ASSESSED: Assurance.MISSING}
    assert Partnership.objects.get(reference="EX-0001").data_sharing == ""
    assert set(Partnership.objects.values_list("data_sharing", flat=True)) == {
        "",
        "none",
        "aggregate",
        "personal",
        "special_category",
    }


def test_the_partnership_pages_agree_with_the_gaps_page(demo):
    found = gaps()
    for p in Partnership.objects.exclude(status="closed").exclude(data_sharing=""):
        page_gaps = {item: status for item, status in page_states(p.reference).items() if status != Assurance.IN_PLACE}
        assert page_gaps == found.get(p.reference, {}), p.reference
    assert page_states("P-0011")["dpia"] == Assurance.IN_PLACE
    assert ig_state.rebuild() == 0  # the demo's writes kept the derived IG state in step


def test_items_in_place_have_their_dates_and_a_pdf_that_can_be_downloaded(demo, client):
    today = local_today()
    # Besides the IG step's eight, the items Oxfordshire Mind's accepted self-assessment filled.
    from_assessment = IGItem.objects.filter(notes__startswith="From Oxfordshire Mind's self-assessment")
    assert from_assessment.count() == 3
    assert all(item.documents.count() == 1 for item in from_assessment)
    in_place = IGItem.objects.filter(status=RecordedStatus.IN_PLACE).exclude(pk__in=from_assessment)
    assert in_place.count() == 8
    for item in in_place:
        assert item.approved_on <= today
        assert item.review_on >= item.approved_on
        assert item.notes.startswith("Demo record")
        assert [d.version for d in item.documents.all()] == [1]
    assert not IGItem.objects.filter(status=RecordedStatus.IN_PROGRESS, documents__isnull=False).exists()
    assert IGDocument.objects.filter(item__in=in_place).count() == 8
    # Every stored file is an IG document's, a self-assessment's evidence or a board report's
    # (identical files shared): none left behind.
    kept = {d.file.name for d in IGDocument.objects.all()} | {e.file.name for e in Evidence.objects.all()}
    kept |= {f.name for v in ReportVersion.objects.all() for f in (v.docx, v.pdf) if f}
    assert [str(p.relative_to(demo.documents)) for p in stored_files(demo.documents)] == sorted(kept)

    client.force_login(User.objects.get(username="ben.cahill"))
    document = IGDocument.objects.get(item__partnership__reference="P-0011", item__item="dpia")
    assert (document.content_type, document.original_name) == ("application/pdf", "P-0011 DPIA (demo).pdf")
    response = client.get(reverse("assurance:document", args=[document.pk]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF-1.4") and body.rstrip().endswith(b"%%EOF")
    assert b"Accord demo document" in body


def test_the_gaps_page_and_a_partnership_page_render_the_demo(demo, client):
    client.force_login(User.objects.get(username="ben.cahill"))
    response = client.get(reverse("assurance:gaps"))
    assert response.status_code == 200
    page = response.content.decode()
    for text in ("Level of data sharing not assessed", "Expired", "In progress", "Missing"):
        assert text in page, text
    omhp = Partnership.objects.get(reference="P-0002")
    detail = client.get(omhp.get_absolute_url()).content.decode()
    assert "Caldicott Guardian approval" in detail


def test_every_demo_ig_write_is_audited_as_the_seed(demo):
    for model in (IGItem, IGDocument):
        entries = AuditEntry.objects.filter(
            object_type__app_label="assurance", object_type__model=model._meta.model_name
        )
        assert set(entries.filter(action="create").values_list("object_id", flat=True)) == set(
            model.objects.values_list("pk", flat=True)
        )
        assert set(entries.values_list("source", flat=True)) == {"seed"}
    with_dspt = Organisation.objects.exclude(dspt_status="")
    dspt_entries = AuditEntry.objects.filter(object_type__model="organisation", action="update", source="seed")
    assert {e.object_id for e in dspt_entries if "dspt_status" in e.changed_fields} == set(
        with_dspt.values_list("pk", flat=True)
    )


def test_a_second_run_writes_nothing_and_stores_no_file(demo):
    first = demo.output
    assert "12 IG items, 19 DSPT statuses," in first
    files = stored_files(demo.documents)

    def counts():
        return {model._meta.label: model._default_manager.count() for model in apps.get_models()}

    before = counts()
    last_audit = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    output = seed_demo()
    assert counts() == before
    assert AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() == last_audit
    assert stored_files(demo.documents) == files
    assert "nothing to add" in output


def test_a_dspt_status_changed_in_the_app_is_kept(demo):
    Organisation.objects.filter(name="Isle of Wight NHS Trust").update(dspt_status="standards_met")
    IGItem.objects.filter(partnership__reference="P-0010").update(notes="Edited in the app")
    assert "nothing to add" in seed_demo()
    assert Organisation.objects.get(name="Isle of Wight NHS Trust").dspt_status == "standards_met"
    assert IGItem.objects.get(partnership__reference="P-0010").notes == "Edited in the app"

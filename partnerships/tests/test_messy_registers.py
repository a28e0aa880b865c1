"""A trust's own register imports into an empty Accord: nothing lost, nothing silently dropped.

Each register of ``registers.py`` (title rows, merged cells, notes and RAG columns, directorate
and lead columns, blank rows, a totals row) is imported into an Accord that holds only two
people: it creates exactly the partnerships, organisations and service areas it should, keeps
every lead as written, names the columns it leaves out, and a second import changes nothing.
"""

import html
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import Role
from core.models import AuditEntry, ServiceArea
from organisations.models import Organisation
from partnerships.importing import import_register
from partnerships.models import PartnerRole, Partnership
from partnerships.tests.importing import database_counts, own_entries
from partnerships.tests.registers import COMMUNITY_CSV, MESSY_REGISTERS, OXFORD_HEALTH, expected_value
from tests.world import opened_at_now


@pytest.fixture
def people(make_user):
    """The only records of an empty Accord: the coordinator who imports, and one lead."""
    return {
        "coordinator": make_user(
            Role.COORDINATOR, username="coordinator", first_name="Ben", last_name="Cahill", email="ben.cahill@nhs.net"
        ),
        "aclarke": make_user(
            Role.LEAD, username="aclarke", first_name="Anne", last_name="Clarke", email="anne.clarke@nhs.net"
        ),
    }


def register_contents():
    return [
        (
            p.reference,
            p.title,
            p.annual_value,
            p.value_qualifier,
            p.value_note,
            p.service_area.name if p.service_area else None,
            p.lead.username if p.lead else None,
            p.recorded_lead,
        )
        for p in Partnership.objects.select_related("service_area", "lead").order_by("reference")
    ]


def expected_contents(register):
    return [
        (e.reference, e.title, expected_value(e), e.qualifier, e.note, e.service_area, e.lead, e.recorded_lead)
        for e in register.partnerships
    ]


@pytest.mark.parametrize("key", sorted(MESSY_REGISTERS))
def test_a_messy_register_imports_into_an_empty_accord_and_again_changes_nothing(tmp_path, people, key):
    register = MESSY_REGISTERS[key]
    assert not (Partnership.objects.exists() or Organisation.objects.exists() or ServiceArea.objects.exists())
    path = register.write(tmp_path)

    plan = import_register(path, sheet=register.sheet, user=people["coordinator"])

    # What the import says it creates...
    assert plan.header_row == register.header_row
    assert [(r.reference, r.title) for r in plan.rows if r.action == "create"] == [
        (e.reference, e.title) for e in register.partnerships
    ]
    assert sorted(new.name for new in plan.new_organisations) == register.organisations
    assert sorted(new.name for new in plan.new_service_areas) == register.service_areas
    assert [(lead.row, lead.text) for lead in plan.leads_to_confirm] == register.leads_to_confirm
    assert plan.not_imported == register.not_imported
    assert f"Not imported: {', '.join(register.not_imported)}." in plan.notices
    assert plan.skipped == register.skipped
    for row in register.skipped:
        assert f"Row {row} looks like a totals row and was skipped." in plan.notices
    # ... is exactly what the register now holds, every write audited as the coordinator's import.
    assert register_contents() == expected_contents(register)
    assert sorted(Organisation.objects.values_list("name", flat=True)) == register.organisations
    assert sorted(ServiceArea.objects.values_list("name", flat=True)) == register.service_areas
    written = Partnership.objects.count() + Organisation.objects.count() + ServiceArea.objects.count()
    assert own_entries(AuditEntry.objects.filter(source="import")).count() == written + PartnerRole.objects.count()
    assert set(AuditEntry.objects.filter(source="import").values_list("user_name", flat=True)) == {"Ben Cahill"}
    assert AuditEntry.objects.exclude(source="import").count() == 2  # the two people's accounts

    before = database_counts()
    again = import_register(path, sheet=register.sheet, user=people["coordinator"])
    assert (again.created, again.updated, again.unchanged) == (0, 0, len(register.partnerships))
    assert (again.new_organisations, again.new_service_areas) == ([], [])
    assert database_counts() == before  # no new row anywhere, the audit trail included


def test_the_command_names_what_it_created_what_it_left_out_and_the_leads_to_confirm(tmp_path, people):
    path = OXFORD_HEALTH.write(tmp_path)
    out = io.StringIO()
    call_command("import_register", str(path), stdout=out, stderr=io.StringIO())
    lines = out.getvalue().splitlines()
    assert "Not imported: RAG." in lines
    assert "Row 10 looks like a totals row and was skipped." in lines
    assert "Created P-0001 Thames Valley and Wessex Forensic Network (row 5)" in lines
    assert "Created P-0004 NIHR research collaboration (row 9)" in lines
    assert "New organisation: Restore" in lines
    assert "New service area: Research & Development" in lines
    assert (
        "Lead to confirm: row 5, P-0001 Thames Valley and Wessex Forensic Network: “Head of Forensic Services”. "
        "No user has this name, e-mail address or username."
    ) in lines
    assert lines[-1] == (
        "Imported: 4 created, 0 updated, 0 unchanged; 6 new organisations; 3 new service areas; 2 leads to confirm."
    )


def test_strict_refuses_a_file_with_a_column_it_would_not_import(tmp_path, people):
    path = COMMUNITY_CSV.write(tmp_path)
    before = database_counts()
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("import_register", str(path), "--strict", stdout=out, stderr=err)
    assert refused.value.returncode == 1
    assert str(refused.value) == (
        "Not imported: Last reviewed by. With --strict a file is imported only when every column is: nothing was "
        "imported. Rename or remove these columns, or import without --strict."
    )
    assert database_counts() == before


def test_strict_imports_a_file_whose_every_column_is_imported(tmp_path, people):
    """An export of the register maps every column (its Tier is derived, so it is recognised, not refused)."""
    import_register(OXFORD_HEALTH.write(tmp_path), user=people["coordinator"])
    export = tmp_path / "export.xlsx"
    call_command("export_register", str(export), stdout=io.StringIO())
    out = io.StringIO()
    call_command("import_register", str(export), "--strict", stdout=out)
    assert out.getvalue().splitlines()[-1] == "Imported: 0 created, 0 updated, 4 unchanged; 0 new organisations."


def test_leads_to_confirm_lists_the_imported_leads_and_the_coordinator_links_them(tmp_path, people, client):
    import_register(OXFORD_HEALTH.write(tmp_path), user=people["coordinator"])
    client.force_login(people["coordinator"])
    page = client.get(reverse("partnerships:leads_to_confirm"))
    listed = [(p.reference, p.recorded_lead) for p, *_ in page.context["rows"]]
    assert listed == [("P-0001", "Head of Forensic Services"), ("P-0004", "Director of Research")]
    forensic = Partnership.objects.get(reference="P-0001")
    response = client.post(
        reverse("partnerships:confirm_lead", args=[forensic.pk]),
        {"lead": people["aclarke"].pk, "recorded_lead": "Head of Forensic Services", **opened_at_now(forensic)},
    )
    assert response.status_code == 302 and response["Location"] == reverse("partnerships:leads_to_confirm")
    forensic.refresh_from_db()
    assert forensic.lead == people["aclarke"]
    entry = AuditEntry.objects.for_object(forensic).latest("id")
    assert (entry.user_name, entry.changed_fields, entry.after["lead"]) == ("Ben Cahill", ["lead"], "Anne Clarke")
    # Her name differs from the recorded job title, so the page still shows it, and says why.
    page = client.get(reverse("partnerships:leads_to_confirm"))
    assert "The linked user's name differs from the lead as recorded." in html.unescape(page.content.decode())
    # Re-importing the register leaves the confirmed lead linked.
    import_register(OXFORD_HEALTH.write(tmp_path), user=people["coordinator"])
    forensic.refresh_from_db()
    assert forensic.lead == people["aclarke"]

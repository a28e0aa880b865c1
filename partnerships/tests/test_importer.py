"""The register import engine: reading, matching, planning and writing all rows or none."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from core.models import AuditEntry
from organisations.models import Organisation
from partnerships.importing import (
    ImportFileError,
    ImportRefused,
    commit_plan,
    detect_header,
    import_register,
    load_rows,
    suggest_mapping,
)
from partnerships.models import PartnerRole, Partnership, Status, ValueQualifier
from partnerships.spreadsheet import REGISTER_COLUMNS, REGISTER_HEADERS
from partnerships.tests.importing import (
    NHS_NUMBER,
    NHS_NUMBER_FORMS,
    add_partnership,
    build_world,
    database_counts,
    messages,
    own_entries,
    plan_for,
    varied_register,
    write_csv,
    write_xlsx,
)

LEGACY_HEADERS = [
    "Ref",
    "Partnership",
    "Partner organisation(s)",
    "Type of arrangement",
    "Status",
    "Annual value (£)",
    "Start date",
    "End date",
    "Internal lead",
    "Tier",
    "Comments",
]


@pytest.fixture
def world(users, make_user):
    return build_world(users, make_user)


def legacy_rows(*data):
    """A register as trusts keep it: title rows above the header, a Tier column typed by hand."""
    return [
        ["Oxford Health NHS FT – partnership register"],
        ["Position at 31 March 2022", None, None, "Owner: Corporate Affairs"],
        [],
        LEGACY_HEADERS,
        *data,
    ]


# --- Reading the file and finding the columns -----------------------------------------------


def test_header_is_found_below_title_rows(tmp_path, world):
    path = write_xlsx(tmp_path / "register.xlsx", legacy_rows(["", "Carers alliance", "", "Informal", "Live"]))
    rows = load_rows(path, path.name)
    assert detect_header(rows) == 3  # the fourth row
    plan = plan_for(path)
    assert plan.header_row == 4
    assert [r.row for r in plan.rows] == [5]


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Partnership name", "title"),
        ("Name", "title"),
        ("TITLE", "title"),
        ("Partnership", "title"),
        ("Partner organisation(s)", "partners"),
        ("Partners", "partners"),
        ("Partner", "partners"),
        ("Annual value (£)", "annual_value"),
        ("Value", "annual_value"),
        ("Contract value", "annual_value"),
        ("annual  value", "annual_value"),
        ("Total annual value 2023/24", "annual_value"),
        ("Lead", "lead"),
        ("Internal lead", "lead"),
        ("Partnership lead", "lead"),
        ("Start date", "start_date"),
        ("End date", "end_date"),
        ("Status", "status"),
        ("Type of arrangement", "arrangement_type"),
        ("Arrangement type", "arrangement_type"),
        ("Type", "arrangement_type"),
        ("Notes", "notes"),
        ("Comments", "notes"),
        ("Ref", "reference"),
        ("ID", "reference"),
        ("Reference", "reference"),
        ("Tier", None),  # tier is derived, never imported
        ("Colour", None),
        # The trust's initials before "lead", and the other words registers use for the lead.
        ("OH lead", "lead"),
        ("OUH partnership lead", "lead"),
        ("Trust lead", "lead"),
        ("Lead officer", "lead"),
        ("Responsible manager", "lead"),
        ("Lead (name or job title)", "lead"),
        ("Lead as recorded", "recorded_lead"),
        ("Exec lead", "executive_sponsor"),
        ("Lead Executive Director", "executive_sponsor"),
        # Directorates are Accord's service areas.
        ("Directorate", "service_area"),
        ("Service area", "service_area"),
        ("Division", "service_area"),
        ("Care group", "service_area"),
        ("Value note", "value_note"),
        ("RAG", None),
        ("BAF lead", None),  # initials before "lead" only when the rest means the lead
    ],
)
def test_headers_are_matched_by_meaning(header, field):
    assert suggest_mapping([header]) == [field]


def test_every_export_header_maps_to_its_own_field():
    mapping = suggest_mapping(REGISTER_HEADERS)
    expected = [None if key == "tier" else key for key, _ in REGISTER_COLUMNS]
    assert mapping == expected


def test_a_field_goes_to_the_first_column_that_means_it():
    assert suggest_mapping(["Name", "Title", "Value"]) == ["title", None, "annual_value"]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_delimiter_is_sniffed(tmp_path, world, delimiter):
    path = write_csv(
        tmp_path / "register.csv",
        [["Name", "Partners", "Value"], ["Carers alliance", "Oxfordshire Mind; University of Oxford", "£1,500"]],
        delimiter=delimiter,
    )
    plan = plan_for(path)
    assert plan.problems == []
    created = plan.rows[0].instance
    assert created.title == "Carers alliance"
    assert created.annual_value == Decimal("1500")


def test_csv_saved_by_windows_excel_is_read(tmp_path, world):
    path = write_csv(tmp_path / "register.csv", [["Name", "Value"], ["Talking Space Plus", "£5.8m"]], encoding="cp1252")
    plan = plan_for(path)
    assert plan.rows[0].instance.annual_value == Decimal("5800000")


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("register.xls", b"\xd0\xcf\x11\xe0", "old-style Excel file"),
        ("register.pdf", b"%PDF-1.4", "Choose an .xlsx or .csv spreadsheet"),
        ("register.csv", b"", "The file is empty"),
        ("register.xlsx", b"not a zip at all", "not an Excel workbook"),
        ("register.xlsx", b"PK\x03\x04broken", "could not be read"),
        ("register.csv", b"\x81\x8d\x8f\x90\x9d", "not a readable CSV"),
    ],
)
def test_unreadable_files_get_a_clear_message(tmp_path, name, content, says):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ImportFileError) as error:
        load_rows(path, name)
    assert says in error.value.message


def test_a_named_worksheet_is_read_and_a_missing_one_explained(tmp_path, world):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "Notes"
    workbook.active.append(["Read me first"])
    register = workbook.create_sheet("Register 2022")
    register.append(["Name", "Status"])
    register.append(["Carers alliance", "Live"])
    path = tmp_path / "book.xlsx"
    workbook.save(path)
    assert load_rows(path, path.name, sheet="register 2022")[1] == ["Carers alliance", "Live"]
    with pytest.raises(ImportFileError) as error:
        load_rows(path, path.name, sheet="Register 2023")
    assert "no worksheet called “Register 2023”" in error.value.message
    assert "“Notes”, “Register 2022”" in error.value.message


# --- Planning --------------------------------------------------------------------------------


def test_legacy_register_plan(tmp_path, world):
    path = write_xlsx(
        tmp_path / "register.xlsx",
        legacy_rows(
            [
                "",
                "Thames Valley and Wessex Forensic Network",
                "Berkshire Healthcare (RWX); Buckinghamshire, Oxfordshire and Berkshire West ICB",
                "Provider collaborative",
                "Live",
                "£65m",
                datetime.datetime(2019, 4, 1),
                "ongoing",
                "Anne Clarke",
                "Tier 1",
                "Largest partnership",
            ],
            [
                "",
                "Oxfordshire Mental Health Partnership",
                "  oxfordshire   MIND ,Oxfordshire County Council, Restore",
                "Alliance",
                "Current",
                "c. £34m",
                "01.04.2015",
                "",
                "priya.shah@nhs.net",
                "1",
                "",
            ],
            [
                "",
                "NIHR research collaboration",
                "RTH\nNational Institute for Health and Care Research (X24)",
                "Research",
                "In development",
                "up to £2m",
                "April 2022",
                "",
                "pshah",
                "",
                "",
            ],
        ),
    )
    plan = plan_for(path)
    assert messages(plan) == []
    assert (plan.created, plan.updated, plan.unchanged) == (3, 0, 0)
    forensic, omhp, nihr = (r.instance for r in plan.rows)
    orgs = world["orgs"]
    assert {o.pk for o in plan.rows[0].add_partners} == {orgs["bhft"].pk, orgs["bob"].pk}
    assert forensic.annual_value == Decimal("65000000") and forensic.value_qualifier == ValueQualifier.EXACT
    assert forensic.status == Status.ACTIVE and forensic.end_date is None
    assert forensic.start_date == datetime.date(2019, 4, 1)
    assert forensic.lead == world["people"]["lead"]
    assert omhp.value_qualifier == ValueQualifier.APPROXIMATE
    assert omhp.start_date == datetime.date(2015, 4, 1)
    assert omhp.lead == world["people"]["priya"]
    assert nihr.annual_value == Decimal("2000000") and nihr.value_qualifier == ValueQualifier.UP_TO
    assert nihr.start_date == datetime.date(2022, 4, 1)
    # Matched by name whatever the case and spacing, and by ODS code; the rest proposed as new.
    omhp_partners = plan.rows[1].add_partners
    assert omhp_partners[0] == orgs["mind"] and omhp_partners[1] == orgs["occ"]
    assert [(n.name, n.ods_code, n.rows) for n in plan.new_organisations] == [
        ("Restore", None, [6]),
        ("National Institute for Health and Care Research", "X24", [7]),
    ]
    assert plan.rows[2].add_partners[0] == orgs["ouh"]
    # References are allocated for the whole batch, in file order.
    assert [r.reference for r in plan.rows] == ["P-0001", "P-0002", "P-0003"]
    assert any("Tier column is not imported" in n for n in plan.notices)


def test_a_comma_inside_a_known_name_does_not_split_it(tmp_path, world):
    path = write_csv(
        tmp_path / "r.csv",
        [
            ["Name", "Partners"],
            ["BOB collaborative", "Buckinghamshire, Oxfordshire and Berkshire West ICB"],
            ["Two partners", "Buckinghamshire, Oxfordshire and Berkshire West ICB, Oxfordshire Mind"],
        ],
    )
    plan = plan_for(path)
    bob, mind = world["orgs"]["bob"], world["orgs"]["mind"]
    assert plan.rows[0].add_partners == [bob]
    assert plan.rows[1].add_partners == [bob, mind]
    assert plan.new_organisations == []


def test_references_continue_from_the_register_and_skip_those_in_the_file(tmp_path, world):
    add_partnership("P-0041", "Existing one")
    path = write_csv(
        tmp_path / "r.csv", [["Ref", "Name"], ["", "First new"], ["P-0050", "Second new"], ["", "Third new"]]
    )
    plan = plan_for(path)
    assert [r.reference for r in plan.rows] == ["P-0051", "P-0050", "P-0052"]


def test_without_a_reference_column_rows_match_on_title(tmp_path, world):
    existing = add_partnership("P-0007", "Oxfordshire Carer Alliance", status=Status.ACTIVE)
    path = write_csv(
        tmp_path / "r.csv",
        [
            ["Name", "Status"],
            ["  oxfordshire   carer ALLIANCE ", "Under review"],
            ["Community diabetes service", "Live"],
        ],
    )
    plan = plan_for(path)
    update, create = plan.rows
    assert update.action == "update" and update.reference == "P-0007"
    assert [(c.label, c.before, c.after) for c in update.changes] == [
        ("Partnership name", existing.title, "oxfordshire carer ALLIANCE"),
        ("Status", "Active", "Under review"),
    ]
    assert create.action == "create" and create.reference == "P-0008"


def test_problems_name_row_and_column_in_plain_words(tmp_path, world):
    add_partnership("P-0001", "Existing")
    path = write_xlsx(
        tmp_path / "r.xlsx",
        legacy_rows(
            ["P-0001", "Fine row", "", "MoU", "Live", "£1m"],
            ["", "Bad money", "", "MoU", "Live", "twelve"],
            ["", "", "", "MoU", "Live"],
            ["P-0001", "Duplicate reference", "", "MoU", "Live"],
            ["", "Backwards", "", "Informal", "Live", "", "01/04/2022", "31/03/2022"],
            ["", "Closed without end", "", "Informal", "Ended"],
            ["", "Impossible date", "", "Zebra crossing", "Live", "", "31/02/2022"],
            ["", "Nobody", "", "MoU", "Live", "", "", "", "Dr Who"],
            ["bad ref!", "Bad reference", "", "MoU", "Live"],
        ),
    )
    plan = plan_for(path)
    assert messages(plan) == [
        "Row 6, Annual value (£): “twelve” is not an amount of money. Write it like £750k, 5,800,000 or £1.2m, "
        "or leave it blank if not known.",
        "Row 7, Partnership: Enter the partnership's name: every row needs one.",
        "Row 8, Ref: P-0001 is also on row 5. Each partnership can appear only once.",
        "Row 9, End date: The end date must be the same as or after the start date.",
        "Row 10, End date: Enter the date the partnership ended: a closed partnership needs an end date.",
        "Row 11, Type of arrangement: “Zebra crossing” is not a type of arrangement Accord knows. Use one of: "
        "Informal (no income transaction), Single action waiver, Formally procured contract, Memorandum of "
        "understanding, Provider collaborative, Section 75 agreement, Lead-provider subcontract, Alliance, "
        "Joint venture, Research collaboration, Other.",
        "Row 11, Start date: “31/02/2022” is not a real date. Check the day and the month (day first).",
        "Row 13, Ref: “BAD REF!” is not a valid reference. A reference is up to 20 letters, numbers, dashes or "
        "slashes, for example P-0042. Leave it blank to give the partnership the next free reference.",
    ]
    # A lead who is nobody's account is not a problem: kept as written, to be confirmed.
    assert [(lead.row, lead.text) for lead in plan.leads_to_confirm] == [(12, "Dr Who")]


def test_a_name_shared_by_two_users_keeps_the_current_lead_or_waits_to_be_confirmed(tmp_path, world, make_user):
    make_user(username="anne2", first_name="Anne", last_name="Clarke")
    add_partnership("P-0001", "Led by the first Anne", lead=world["people"]["lead"], recorded_lead="Anne Clarke")
    path = write_csv(
        tmp_path / "r.csv",
        [["Ref", "Name", "Lead"], ["P-0001", "Led by the first Anne", "Anne Clarke"], ["", "New", "anne clarke"]],
    )
    plan = plan_for(path)
    assert plan.rows[0].action == "unchanged"
    assert plan.problems == []
    new = plan.rows[1].instance
    assert (new.lead, new.recorded_lead) == (None, "anne clarke")
    assert [(lead.row, lead.text, lead.reason) for lead in plan.leads_to_confirm] == [
        (3, "anne clarke", "More than one user has this name.")
    ]


def test_a_sponsor_shared_by_two_users_is_a_problem_unless_it_is_the_current_one(tmp_path, world, make_user):
    make_user(username="martyn2", first_name="Martyn", last_name="Ward")
    add_partnership("P-0001", "Sponsored", executive_sponsor=world["people"]["executive"])
    path = write_csv(
        tmp_path / "r.csv",
        [["Ref", "Name", "Exec sponsor"], ["P-0001", "Sponsored", "Martyn Ward"], ["", "New", "martyn ward"]],
    )
    plan = plan_for(path)
    assert plan.rows[0].action == "unchanged"
    assert messages(plan) == [
        "Row 3, Exec sponsor: More than one user is called “martyn ward”. Write their username or e-mail address "
        "instead."
    ]


def test_reference_lists_are_matched_by_name_number_or_numbered_name(tmp_path, world):
    path = write_csv(
        tmp_path / "r.csv",
        [
            ["Name", "Strategic objectives", "BAF risk themes", "Service area"],
            ["A", "3) Sustainability; 1", "workforce, Partnership governance", "mental HEALTH"],
            ["B", "Developing our business through collaboration and partnerships", "", ""],
            ["C", "9) Space travel", "Dragons", "Research"],
        ],
    )
    plan = plan_for(path)
    objectives, baf, areas = world["objectives"], world["baf"], world["areas"]
    assert plan.rows[0].m2m == {
        "strategic_objectives": {objectives[3].pk, objectives[1].pk},
        "baf_themes": {baf["Workforce"].pk, baf["Partnership governance"].pk},
    }
    assert plan.rows[0].instance.service_area == areas["Mental health"]
    assert plan.rows[1].m2m == {"strategic_objectives": {objectives[4].pk}}
    assert [p.column for p in plan.problems] == ["Strategic objectives", "BAF risk themes"]
    assert all(p.row == 4 for p in plan.problems)


def test_a_known_organisation_with_another_ods_code_is_a_problem(tmp_path, world):
    path = write_csv(
        tmp_path / "r.csv", [["Name", "Partners"], ["A", "Oxford University Hospitals NHS Foundation Trust (RXQ)"]]
    )
    plan = plan_for(path)
    assert messages(plan) == [
        "Row 2, Partners: “Oxford University Hospitals NHS Foundation Trust (RXQ)”: the register already has Oxford "
        "University Hospitals NHS Foundation Trust with ODS code RTH. Correct the code or leave it out."
    ]


# --- Writing: all or nothing, and nothing when nothing changes ----------------------------------


def test_commit_writes_rows_partners_and_audit_entries(tmp_path, world):
    path = write_xlsx(
        tmp_path / "register.xlsx",
        legacy_rows(
            ["", "Carers alliance", "Oxfordshire Mind; Restore", "Informal", "Live", "£750k"],
            ["P-0100", "CAMHS partnership", "RWX", "Section 75", "Live", "8.6m"],
        ),
    )
    audit_before = AuditEntry.objects.count()
    plan = import_register(path, user=world["people"]["coordinator"])
    assert plan.summary() == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "new_organisations": 1,
        "new_service_areas": 0,
        "leads_to_confirm": 0,
        "problems": 0,
    }
    carers = Partnership.objects.get(title="Carers alliance")
    assert carers.reference == "P-0101"
    assert sorted(carers.partner_roles.values_list("organisation__name", "role")) == [
        ("Oxfordshire Mind", "member"),
        ("Restore", "member"),
    ]
    assert carers.status_changed_by == world["people"]["coordinator"]
    restore = Organisation.objects.get(name="Restore")
    assert restore.kind == "other" and restore.name_key == "restore"
    written = AuditEntry.objects.order_by("id")[audit_before:]
    entries = own_entries(AuditEntry.objects.filter(id__in=[e.id for e in written]))
    # 1 organisation + 2 partnerships + 3 partner links, all by the coordinator, as one import
    # (and the partners' totals they change: partnerships.partner_totals).
    assert len(entries) == 6
    entries = written
    assert {e.source for e in entries} == {"import"}
    assert {e.user_name for e in entries} == {"Ben Cahill"}
    assert len({e.request_id for e in entries}) == 1
    # Itself, its two partner links, and its IG gap (its level of data sharing not yet assessed).
    history = own_entries(AuditEntry.objects.for_object(carers))
    assert history.count() == 3
    assert AuditEntry.objects.for_object(carers).filter(object_label__startswith="IG gap").count() == 1


def test_an_imported_partnership_is_audited_with_its_objectives_and_baf_themes(tmp_path, world):
    path = write_csv(
        tmp_path / "r.csv",
        [
            ["Partnership name", "Strategic objectives", "BAF risk themes"],
            ["Carers alliance", "People; 1", "Workforce; Partnership governance"],
            ["Crisis café", "", ""],
        ],
    )
    import_register(path, user=world["people"]["coordinator"])

    def creation(title):
        partnership = Partnership.objects.get(title=title)
        return AuditEntry.objects.get(object_id=partnership.pk, object_type__model="partnership", action="create")

    carers = creation("Carers alliance")
    assert carers.after["strategic_objectives"] == ["1) Quality", "2) People"]
    assert carers.after["baf_themes"] == ["Partnership governance", "Workforce"]
    assert {"strategic_objectives", "baf_themes"} <= set(carers.changed_fields)
    cafe = creation("Crisis café")
    assert (cafe.after["strategic_objectives"], cafe.after["baf_themes"]) == ([], [])
    assert not {"strategic_objectives", "baf_themes"} & set(cafe.changed_fields)


def test_dry_run_writes_nothing(tmp_path, world):
    path = write_xlsx(tmp_path / "r.xlsx", legacy_rows(["", "Carers alliance", "Restore", "Informal", "Live", "£750k"]))
    before = database_counts()
    plan = import_register(path, dry_run=True)
    assert plan.created == 1 and len(plan.new_organisations) == 1
    assert database_counts() == before


def test_any_problem_writes_nothing(tmp_path, world):
    rows = [["", f"Partnership {n}", "Restore; Oxfordshire Mind", "MoU", "Live", "£1m"] for n in range(50)]
    rows.insert(40, ["", "The bad one", "", "MoU", "Live", "lots"])
    path = write_xlsx(tmp_path / "r.xlsx", legacy_rows(*rows))
    before = database_counts()
    with pytest.raises(ImportRefused) as refused:
        import_register(path)
    assert [str(p) for p in refused.value.problems] == [
        "Row 45, Annual value (£): “lots” is not an amount of money. Write it like £750k, 5,800,000 or £1.2m, "
        "or leave it blank if not known."
    ]
    assert database_counts() == before
    plan = plan_for(path)
    with pytest.raises(ImportRefused):
        commit_plan(plan)
    assert database_counts() == before


def test_reimporting_the_same_file_changes_nothing(tmp_path, world):
    rows = [
        ["", "Carers alliance", "Restore; Oxfordshire Mind", "Informal", "Live", "c. £750k", "1/4/19", "", "pshah"],
        ["", "NIHR", "RTH, University of Oxford", "Research", "Proposed", "up to £2m"],
    ]
    path = write_xlsx(tmp_path / "r.xlsx", legacy_rows(*rows))
    import_register(path)
    before = database_counts()
    # The first import gave the rows references; the file still has them blank, so its rows are
    # matched by name and change nothing.
    plan = import_register(path)
    assert (plan.created, plan.updated, plan.unchanged) == (0, 0, 2)
    assert database_counts() == before
    # The same rows with the references the import gave them: matched by reference.
    rows[0][0], rows[1][0] = "P-0001", "P-0002"
    plan = import_register(write_xlsx(tmp_path / "r2.xlsx", legacy_rows(*rows)))
    assert (plan.created, plan.updated, plan.unchanged) == (0, 0, 2)
    assert database_counts() == before


def test_a_row_without_a_reference_naming_two_partnerships_is_a_problem(tmp_path, world):
    add_partnership("P-0001", "Community diabetes service")
    add_partnership("P-0002", "Community diabetes service")
    path = write_csv(tmp_path / "r.csv", [["Ref", "Name"], ["", "Community Diabetes Service"], ["P-0002", "Renamed"]])
    plan = plan_for(path)
    assert messages(plan) == [
        "Row 2, Name: 2 partnerships on the register are called “Community Diabetes Service”. Write the reference "
        "of the one this row is about in a Reference column."
    ]
    assert plan.rows[1].action == "update"


def test_reimport_without_reference_column_matches_on_title(tmp_path, world):
    path = write_csv(
        tmp_path / "r.csv",
        [["Name", "Partners", "Value", "Status"], ["Carers alliance", "Restore", "£750k", "Live"]],
    )
    import_register(path)
    before = database_counts()
    plan = import_register(path)
    assert (plan.created, plan.updated, plan.unchanged) == (0, 0, 1)
    assert database_counts() == before


def test_an_update_changes_only_what_differs_and_never_removes_partners(tmp_path, world):
    orgs = world["orgs"]
    partnership = add_partnership("P-0002", "OMHP", [orgs["mind"], orgs["occ"]], annual_value=Decimal("34000000"))
    PartnerRole.objects.filter(partnership=partnership, organisation=orgs["occ"]).update(role="lead")
    path = write_csv(
        tmp_path / "r.csv",
        [
            ["Reference", "Partnership name", "Partners", "Annual value", "Status"],
            ["P-0002", "OMHP", "Oxfordshire Mind; RTH", "£35m", "Active"],
        ],
    )
    last_id = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    plan = import_register(path)
    assert plan.updated == 1
    assert [(c.label, c.before, c.after) for c in plan.rows[0].changes] == [
        ("Annual value (£)", "£34,000,000", "£35,000,000"),
        ("Partner organisations", "", "adds Oxford University Hospitals NHS Foundation Trust"),
    ]
    partnership.refresh_from_db()
    assert partnership.annual_value == Decimal("35000000")
    roles = dict(partnership.partner_roles.values_list("organisation__name", "role"))
    assert roles == {
        "Oxfordshire Mind": "member",
        "Oxfordshire County Council": "lead",  # kept, with its role, though the file leaves it out
        "Oxford University Hospitals NHS Foundation Trust": "member",
    }
    entries = own_entries(AuditEntry.objects.filter(id__gt=last_id)).order_by("id")
    assert [(e.action, e.changed_fields) for e in entries] == [
        ("update", ["annual_value"]),
        ("create", ["organisation", "partnership", "role"]),
    ]


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_export_then_import_is_a_no_op(tmp_path, world, extension):
    varied_register(world)
    path = tmp_path / f"register.{extension}"
    call_command("export_register", str(path))
    before = database_counts()
    titles_before = list(Partnership.objects.values_list("reference", "title", "notes", "purpose"))
    plan = import_register(path)
    assert plan.problems == []
    assert [r.action for r in plan.rows] == ["unchanged"] * 5, [r.changes for r in plan.rows]
    assert database_counts() == before
    assert list(Partnership.objects.values_list("reference", "title", "notes", "purpose")) == titles_before


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_export_imports_into_an_empty_register_unchanged(tmp_path, world, extension):
    """An export is a complete register: imported elsewhere, it recreates every field."""
    varied_register(world)
    path = tmp_path / f"register.{extension}"
    call_command("export_register", str(path))
    exported = path.read_bytes()
    PartnerRole.objects.all().delete()
    Partnership.objects.all().delete()
    plan = import_register(path)
    assert plan.created == 5
    again = tmp_path / f"again.{extension}"
    call_command("export_register", str(again))
    if extension == "csv":
        assert again.read_bytes() == exported
    else:
        assert load_rows(again, again.name) == load_rows(path, path.name)
    assert Partnership.objects.get(reference="P-0003").title.startswith("=HYPERLINK(")


# --- NHS numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_a_row_with_an_nhs_number_is_refused_without_repeating_it(tmp_path, world, extension):
    rows = [
        ["Name", "Status", "Notes", "Unmapped column"],
        ["Fine", "Live", "", ""],
        [f"Patient {NHS_NUMBER} pathway", "Live", f"See {NHS_NUMBER.replace(' ', '-')}", ""],
        ["Also fine", "Live", "", int(NHS_NUMBER.replace(" ", ""))],
    ]
    path = (write_csv if extension == "csv" else write_xlsx)(tmp_path / f"r.{extension}", rows)
    before = database_counts()
    with pytest.raises(ImportRefused) as refused:
        import_register(path)
    problems = [str(p) for p in refused.value.problems]
    assert [(p.row, p.column) for p in refused.value.problems] == [
        (3, "Name"),
        (3, "Notes"),
        (4, "Unmapped column"),
    ]
    assert all("looks like it contains an NHS number" in p for p in problems)
    for text in [*problems, refused.value.message]:
        assert not any(form in text for form in NHS_NUMBER_FORMS)
    assert database_counts() == before
    plan = plan_for(path)
    hidden = [r for r in plan.rows if r.hidden]
    assert [r.row for r in hidden] == [3, 4]
    assert all(r.title == "" or r.row == 4 for r in hidden)
    assert not any(form in (r.title + r.reference) for r in plan.rows for form in NHS_NUMBER_FORMS)
    assert not any(AuditEntry.objects.filter(after__icontains=form).exists() for form in NHS_NUMBER_FORMS)


# --- Performance -----------------------------------------------------------------------------


def test_planning_uses_a_fixed_number_of_queries(tmp_path, world, django_assert_max_num_queries):
    def file_of(n):
        rows = [["Name", "Partners", "Lead", "Strategic objectives", "Service area"]]
        rows += [[f"P {i}", "Oxfordshire Mind; Restore", "pshah", "1; 3", "Research"] for i in range(n)]
        return write_csv(tmp_path / f"r{n}.csv", rows)

    with django_assert_max_num_queries(8):
        plan_for(file_of(10))
    with django_assert_max_num_queries(8):
        plan_for(file_of(500))


# --- Reference lists, people and organisations that are no longer current ---------------------


def test_people_and_list_entries_no_longer_in_use_are_not_newly_chosen(tmp_path, world):
    priya = world["people"]["priya"]
    priya.is_active = False
    priya.save()
    world["areas"]["Research"].is_active = False
    world["areas"]["Research"].save()
    workforce = world["baf"]["Workforce"]
    workforce.is_active = False
    workforce.save()
    kept = add_partnership("P-0001", "Kept as it is", lead=priya, recorded_lead="Priya Shah", baf_themes=[workforce])
    path = write_csv(
        tmp_path / "r.csv",
        [
            ["Ref", "Name", "Lead", "Service area", "BAF risk themes"],
            ["P-0001", "Kept as it is", "Priya Shah", "", "Workforce"],
            ["", "New one", "pshah", "Research", "Workforce"],
        ],
    )
    plan = plan_for(path)
    assert plan.rows[0].action == "unchanged"  # what a record already has, it keeps
    # A lead who has left is kept as written, never linked anew: the coordinator confirms who now.
    assert [(lead.row, lead.text, lead.reason, lead.kept) for lead in plan.leads_to_confirm] == [
        (2, "Priya Shah", "The user of this name no longer has an active account.", "Priya Shah"),
        (3, "pshah", "The user of this name no longer has an active account.", ""),
    ]
    assert plan.rows[1].instance.lead is None
    assert messages(plan) == [
        "Row 3, Service area: “Research” is no longer in use. Choose a current service area, or leave the cell blank.",
        "Row 3, BAF risk themes: “Workforce” is no longer in use. Leave it out.",
    ]
    assert kept.lead == priya


def test_a_closed_organisation_is_linked_but_pointed_out(tmp_path, world):
    Organisation.objects.filter(pk=world["orgs"]["occ"].pk).update(closed_on=datetime.date(2022, 6, 30))
    path = write_csv(tmp_path / "r.csv", [["Name", "Partners"], ["A", "Oxfordshire County Council"]])
    plan = plan_for(path)
    assert plan.problems == []
    assert plan.rows[0].add_partners == [world["orgs"]["occ"]]
    assert "Oxfordshire County Council has closed, but row 2 adds it as a partner. Check this is right." in plan.notices


def test_an_nhs_number_above_the_table_is_refused_too(tmp_path, world):
    path = write_csv(tmp_path / "r.csv", [[f"Register (query about {NHS_NUMBER})"], ["Name", "Status"], ["A", "Live"]])
    plan = plan_for(path)
    assert [(p.row, p.column) for p in plan.problems] == [(1, "Name")]
    assert not any(form in str(p) for p in plan.problems for form in NHS_NUMBER_FORMS)


def test_an_update_writes_only_the_fields_the_file_changes(tmp_path, world):
    partnership = add_partnership("P-0003", "Community diabetes service", status=Status.ACTIVE)
    path = write_csv(
        tmp_path / "r.csv",
        [["Ref", "Name", "Status", "End date"], ["P-0003", "Community diabetes service", "Ended", "31/03/2024"]],
    )
    plan = plan_for(path)
    # Meanwhile a lead adds a note on the partnership page.
    Partnership.objects.filter(pk=partnership.pk).update(notes="Added while the preview was open")
    commit_plan(plan, user=world["people"]["coordinator"])
    partnership.refresh_from_db()
    assert partnership.status == Status.CLOSED and partnership.end_date == datetime.date(2024, 3, 31)
    assert partnership.status_changed_by == world["people"]["coordinator"]
    assert partnership.notes == "Added while the preview was open"
    entry = AuditEntry.objects.for_object(partnership).latest("id")
    assert entry.source == "import" and sorted(entry.changed_fields) == [
        "end_date",
        "status",
        "status_changed_at",
        "status_changed_by",
    ]

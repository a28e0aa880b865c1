"""What real registers hold, read rather than refused: leads as names or job titles, directorates
not yet on Accord's list, totals rows, merged cells, remarks beside values, names of files and
worksheets (never one holding an NHS number)."""

import pytest
from openpyxl import Workbook

from accounts.models import Role
from core.models import AuditEntry, ServiceArea
from partnerships.importing import (
    ImportFileError,
    SheetError,
    import_register,
    load_rows,
)
from partnerships.importing.service_areas import abbreviates
from partnerships.importing.totals import is_totals_row
from partnerships.models import Partnership
from partnerships.tests.importing import (
    NHS_NUMBER,
    NHS_NUMBER_FORMS,
    add_partnership,
    build_world,
    database_counts,
    messages,
    plan_for,
    write_csv,
    write_xlsx,
)


@pytest.fixture
def world(users, make_user):
    return build_world(users, make_user)


# --- Leads: kept as written, linked only to the one active user they name -------------------------


@pytest.mark.parametrize(
    ("cell", "linked"),
    [
        ("Anne Clarke", "lead"),
        ("  anne   CLARKE ", "lead"),
        ("Clarke, Anne", "lead"),
        ("Dr Anne Clarke", "lead"),
        ("Anne Clarke (Partnership Manager)", "lead"),
        ("lead", "lead"),  # her username
        ("priya.shah@nhs.net", "pshah"),
        ("Head of Adult Services", None),  # a job title is kept, never guessed
        ("Anne", None),
        ("Clarke", None),
    ],
)
def test_a_lead_is_linked_only_to_the_one_user_it_names(tmp_path, world, cell, linked):
    path = write_csv(tmp_path / "r.csv", [["Partnership name", "OH lead"], ["Carers alliance", cell]])
    plan = plan_for(path)
    assert plan.problems == []
    partnership = plan.rows[0].instance
    assert (partnership.lead.username if partnership.lead else None) == linked
    assert partnership.recorded_lead == " ".join(cell.split())
    assert [lead.text for lead in plan.leads_to_confirm] == ([] if linked else [" ".join(cell.split())])


def test_a_lead_column_and_a_lead_as_recorded_column_that_disagree_are_a_problem(tmp_path, world):
    path = write_csv(
        tmp_path / "r.csv",
        [
            ["Partnership name", "Lead", "Lead as recorded"],
            ["Linked, recorded differently", "Anne Clarke", "Partnership Manager"],
            ["Not linked, not recorded", "Head of Adult Services", ""],
            ["Not linked, recorded differently", "Head of Adult Services", "Director of Nursing"],
        ],
    )
    plan = plan_for(path)
    first, second, _ = (row.instance for row in plan.rows)
    assert (first.lead.username, first.recorded_lead) == ("lead", "Partnership Manager")
    assert (second.lead, second.recorded_lead) == (None, "Head of Adult Services")
    assert messages(plan) == [
        "Row 4, Lead: No user can be linked to “Head of Adult Services”, and the lead as recorded says “Director of "
        "Nursing”. Make them agree, or leave one of them blank."
    ]


def test_an_import_never_creates_a_user(tmp_path, world):
    users_before = type(world["people"]["lead"]).objects.count()
    path = write_csv(tmp_path / "r.csv", [["Name", "Trust lead"], ["A", "Someone New"], ["B", "new.person@nhs.net"]])
    import_register(path, user=world["people"]["coordinator"])
    assert type(world["people"]["lead"]).objects.count() == users_before
    assert list(Partnership.objects.order_by("title").values_list("lead", "recorded_lead")) == [
        (None, "Someone New"),
        (None, "new.person@nhs.net"),
    ]


# --- Service areas (directorates): matched, or proposed for those who may add them ---------------------


@pytest.mark.parametrize(
    ("short", "full", "expected"),
    [
        ("MH", "Mental health", True),
        ("CAMHS", "Child and adolescent mental health services", True),
        ("CYP", "Children and young people", True),
        ("Adult MH", "Adult mental health", True),
        ("Comm. services", "Community services", True),
        ("Adult & comm. services", "Adult and community services", True),
        ("mh", "Mental health", False),  # capitals stand for words; "mh" is not obviously an abbreviation
        ("Comm services", "Community services", False),  # a word cut short says so with a full stop
        ("Care services", "Career services", False),
        ("Community", "Community services", False),
        ("Mental health", "Mental health", False),  # the same words: matched as the name itself
    ],
)
def test_obvious_abbreviations(short, full, expected):
    assert abbreviates(short, full) is expected


def test_directorates_match_the_list_by_case_spacing_and_obvious_abbreviation(tmp_path, world):
    areas = world["areas"]  # Mental health, Community services, Research
    path = write_csv(
        tmp_path / "r.csv",
        [
            ["Name", "Directorate"],
            ["A", "MENTAL  health"],
            ["B", "MH"],
            ["C", "Comm. services"],
            ["D", "Learning disabilities"],
            ["E", "LD"],
            ["F", "learning Disabilities"],
        ],
    )
    plan = plan_for(path, user=world["people"]["coordinator"])
    assert plan.problems == []
    chosen = [row.instance.service_area for row in plan.rows]
    assert chosen[:3] == [areas["Mental health"], areas["Mental health"], areas["Community services"]]
    assert [(new.name, new.rows) for new in plan.new_service_areas] == [("Learning disabilities", [5, 6, 7])]
    assert chosen[3] is chosen[4] is chosen[5] is plan.new_service_areas[0].instance


def test_an_abbreviation_that_could_mean_two_directorates_is_a_problem(tmp_path, world):
    ServiceArea.objects.create(name="Men's health")
    path = write_csv(tmp_path / "r.csv", [["Name", "Directorate"], ["A", "MH"]])
    plan = plan_for(path, user=world["people"]["coordinator"])
    assert messages(plan) == [
        "Row 2, Directorate: “MH” could be the service area “Men's health” or “Mental health”. Write it in full."
    ]
    assert plan.new_service_areas == []


def test_new_directorates_are_created_with_the_import_and_audited(tmp_path, world):
    path = write_csv(tmp_path / "r.csv", [["Name", "Division"], ["A", "Forensic services"], ["B", "Forensic Services"]])
    import_register(path, user=world["people"]["coordinator"])
    forensic = ServiceArea.objects.get(name="Forensic services")
    assert set(Partnership.objects.values_list("service_area", flat=True)) == {forensic.pk}
    entry = AuditEntry.objects.get(object_type__model="servicearea", object_id=forensic.pk)
    assert (entry.action, entry.source, entry.user_name) == ("create", "import", "Ben Cahill")


@pytest.mark.parametrize("role", [Role.LEAD, Role.EXECUTIVE, Role.AUDITOR])
def test_anyone_not_allowed_to_add_service_areas_gets_todays_refusal(tmp_path, world, users, role):
    path = write_csv(tmp_path / "r.csv", [["Name", "Directorate"], ["A", "Forensic services"], ["B", "MH"]])
    plan = plan_for(path, user=users[role])
    assert messages(plan) == [
        "Row 2, Directorate: “Forensic services” is not a service area on Accord's list. Use a name from the list "
        "of service areas, or ask an administrator to add it."
    ]
    assert plan.rows[1].instance.service_area == world["areas"]["Mental health"]
    assert plan.new_service_areas == []


# --- Totals rows, blank rows and merged cells ------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "last", "expected"),
    [
        (["", "Total", "", "£107.4m"], False, True),
        (["TOTALS:", None, 107400000], False, True),
        (["Grand total", "", "", ""], False, True),
        (["", "", "Total annual value", "£107.4m"], False, True),
        (["Mental health", "Total"], False, True),  # a merged directorate runs into the totals row
        ([None, None, 107400000, "£2m"], True, True),  # the sums, nothing else, under the table
        ([None, None, 107400000], False, False),  # mid-table: a row missing its name, not a total
        (["Total Wellbeing Oxfordshire", "Oxfordshire Mind", "Alliance", "£500k"], True, False),
        (["Total Wellbeing Oxfordshire", "£500k"], False, True),  # alone with a value: looks like a total
        (["Talking Space Plus", "£5.8m"], True, False),
    ],
)
def test_totals_rows(row, last, expected):
    assert is_totals_row(row, last=last) is expected


def test_a_totals_row_is_skipped_and_said_so_and_blank_rows_are_ignored(tmp_path, world):
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [
            ["Name", "Value"],
            ["Talking Space Plus", "£5.8m"],
            [],
            [None, None],
            ["CAMHS partnership", "£8.6m"],
            ["Total", 14400000],
        ],
    )
    plan = plan_for(path)
    assert [row.row for row in plan.rows] == [2, 5]
    assert plan.skipped == [6]
    assert "Row 6 looks like a totals row and was skipped." in plan.notices


def test_an_nhs_number_in_a_totals_row_is_still_refused(tmp_path, world):
    path = write_csv(tmp_path / "r.csv", [["Name", "Value"], ["A", "£1m"], [f"Total {NHS_NUMBER}", "£1m"]])
    plan = plan_for(path)
    assert [(p.row, p.column) for p in plan.problems] == [(3, "Name")]


def test_a_merged_directorate_belongs_to_every_row_it_spans(tmp_path, world):
    workbook = Workbook()
    sheet = workbook.active
    for row in [
        ["Partnership register 2024/25"],
        ["Directorate", "Partnership", "Notes"],
        ["Mental health", "Oxfordshire Mental Health Partnership", "Spans two columns"],
        [None, "Talking Space Plus"],
        ["Research", "NIHR collaboration"],
    ]:
        sheet.append(row)
    sheet.merge_cells("A1:C1")  # a title across the table stays one cell
    sheet.merge_cells("A3:A4")  # a directorate down its rows
    sheet.merge_cells("C3:D3")  # a note widened across: the next column stays empty
    path = tmp_path / "merged.xlsx"
    workbook.save(path)
    rows = load_rows(path, path.name)
    assert rows[0] == ["Partnership register 2024/25"]
    assert [row[0] for row in rows[2:]] == ["Mental health", "Mental health", "Research"]
    assert rows[2] == ["Mental health", "Oxfordshire Mental Health Partnership", "Spans two columns"]
    plan = plan_for(path, user=world["people"]["coordinator"])
    assert [row.instance.service_area.name for row in plan.rows] == ["Mental health", "Mental health", "Research"]


# --- The value's note ------------------------------------------------------------------------------


def test_a_remark_beside_a_value_is_kept_as_its_note(tmp_path, world):
    path = write_csv(
        tmp_path / "r.csv",
        [
            ["Name", "Annual value", "Value note"],
            ["In kind", "0 - in-kind support", ""],
            ["Column note", "£8.6m", "recurrent"],
            ["Agreeing", "£34m (2019/20)", "2019/20"],
            ["Disagreeing", "£34m (2019/20)", "2020/21"],
        ],
    )
    plan = plan_for(path)
    notes = [(row.instance.annual_value, row.instance.value_note) for row in plan.rows]
    assert [note for _, note in notes] == ["in-kind support", "recurrent", "2019/20", "2020/21"]
    assert notes[0][0] == 0
    assert messages(plan) == [
        "Row 5, Value note: The annual value's cell says “2019/20” but this column says “2020/21”. Make them agree, "
        "or leave one of them blank."
    ]


def test_a_value_that_cannot_be_read_names_its_row_and_column_and_never_an_nhs_number(tmp_path, world):
    path = write_csv(
        tmp_path / "r.csv",
        [["Name", "Annual value (£)"], ["A", "£5k a month"], ["B", f"£1m ({NHS_NUMBER})"], ["C", "about lots"]],
    )
    plan = plan_for(path)
    assert [(p.row, p.column) for p in plan.problems] == [
        (2, "Annual value (£)"),
        (3, "Annual value (£)"),
        (4, "Annual value (£)"),
    ]
    assert "is not a value for a year" in plan.problems[0].message
    assert "looks like it contains an NHS number" in plan.problems[1].message
    assert not any(form in str(p) for p in plan.problems for form in NHS_NUMBER_FORMS)


# --- Names of files and worksheets -----------------------------------------------------------------


def test_a_file_named_with_an_nhs_number_is_refused_without_repeating_it(tmp_path):
    path = write_csv(tmp_path / f"referral {NHS_NUMBER}.csv", [["Name"], ["A"]])
    with pytest.raises(ImportFileError) as error:
        load_rows(path, path.name)
    assert error.value.message.startswith("The file name looks like it contains an NHS number.")
    assert not any(form in error.value.message for form in NHS_NUMBER_FORMS)


def test_worksheet_names_holding_an_nhs_number_are_refused_and_never_listed(tmp_path):
    workbook = Workbook()
    workbook.active.title = f"Patient {NHS_NUMBER.replace(' ', '')}"
    workbook.active.append(["Name"])
    workbook.create_sheet("Register").append(["Name"])
    path = tmp_path / "book.xlsx"
    workbook.save(path)
    for sheet in (None, f"Patient {NHS_NUMBER}"):
        with pytest.raises(ImportFileError) as error:
            load_rows(path, path.name, sheet=sheet)
        assert "The worksheet's name looks like it contains an NHS number." in error.value.message
    with pytest.raises(SheetError) as error:
        load_rows(path, path.name, sheet="2023")
    assert error.value.message == "The workbook has no worksheet called “2023”. Its worksheets are “Register”."
    assert load_rows(path, path.name, sheet="register") == [["Name"]]


def test_an_import_refused_for_a_name_writes_nothing(tmp_path, world):
    add_partnership("P-0001", "Existing")
    path = write_csv(tmp_path / f"{NHS_NUMBER.replace(' ', '-')}.csv", [["Name"], ["A"]])
    before = database_counts()
    with pytest.raises(ImportFileError):
        import_register(path)
    assert database_counts() == before

"""Messy registers in the layouts trusts keep them, built with openpyxl (no binary fixtures).

Each :class:`MessyRegister` writes its file and says exactly what importing it into an empty
Accord must create: the partnerships (reference, name, value, qualifier, value note, service
area, linked lead, lead as recorded), the organisations, the service areas, the leads to
confirm, the columns not imported and the totals rows skipped. The organisations and figures are
those of the seed board papers ("Trust partnerships update report": £65m, nearly £34m, £8.6m,
£5.8m, up to £2m).
"""

import csv
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from openpyxl import Workbook


@dataclass(frozen=True)
class Expected:
    reference: str
    title: str
    value: str | None  # the annual value in pounds, None when not known
    qualifier: str
    note: str
    service_area: str | None
    lead: str | None  # the linked user's username
    recorded_lead: str


@dataclass
class MessyRegister:
    name: str
    filename: str
    rows: list
    merged: list = field(default_factory=list)  # ranges such as "A1:J1"
    sheet: str | None = None
    header_row: int = 1
    partnerships: list = field(default_factory=list)
    organisations: list = field(default_factory=list)
    service_areas: list = field(default_factory=list)
    leads_to_confirm: list = field(default_factory=list)  # (row, text)
    not_imported: list = field(default_factory=list)
    skipped: list = field(default_factory=list)

    def write(self, folder):
        path = folder / self.filename
        if path.suffix == ".csv":
            with open(path, "w", newline="", encoding="utf-8") as handle:
                csv.writer(handle).writerows(self.rows)
            return path
        workbook = Workbook()
        if self.sheet:
            workbook.active.title = "Read me"
            workbook.active.append(["How to keep this register: one row per partnership; see tab 2."])
            sheet = workbook.create_sheet(self.sheet)
        else:
            sheet = workbook.active
            sheet.title = "Register"
        for row in self.rows:
            sheet.append(row)
        for cell_range in self.merged:
            sheet.merge_cells(cell_range)
        workbook.save(path)
        return path


OXFORD_HEALTH = MessyRegister(
    name="a title over the table, merged title and directorate cells, notes, RAG and a Total row",
    filename="Partnership register 2024-25.xlsx",
    rows=[
        ["Oxford Health NHS Foundation Trust – Partnership register 2024/25"],
        ["Owned by Strategy & Partnerships; refreshed every quarter"],
        [],
        [
            "Ref",
            "Partnership",
            "Partner organisation(s)",
            "Directorate",
            "OH lead",
            "Type",
            "Status",
            "Annual value (£)",
            "Notes",
            "RAG",
        ],
        [
            None,
            "Thames Valley and Wessex Forensic Network",
            "Berkshire Healthcare NHS FT; Southern Health NHS FT",
            "Forensic services",
            "Head of Forensic Services",
            "Provider collaborative",
            "Live",
            "£65m pa",
            "Collaboration of six NHS trusts",
            "G",
        ],
        [
            None,
            "Oxfordshire Mental Health Partnership",
            "Oxfordshire Mind; Restore; Response",
            "Mental health",  # merged down over the next row
            "Anne Clarke",
            "Alliance",
            "Live",
            "c. £34m (2019/20)",
            None,
            "A",
        ],
        [
            None,
            "Talking Space Plus",
            "Oxfordshire Mind",
            None,
            "Clarke, Anne",
            "Alliance",
            "Live",
            5800000,
            "Psychological therapies for adults",
            "G",
        ],
        [],
        [
            None,
            "NIHR research collaboration",
            "National Institute for Health and Care Research",
            "Research & Development",
            "Director of Research",
            "Research",
            "In development",
            "£1–2m",
            None,
            "A",
        ],
        [None, "Total", None, None, None, None, None, "=SUM(H5:H9)", None, None],
    ],
    merged=["A1:J1", "A2:J2", "D6:D7"],
    header_row=4,
    partnerships=[
        Expected(
            "P-0001",
            "Thames Valley and Wessex Forensic Network",
            "65000000",
            "exact",
            "",
            "Forensic services",
            None,
            "Head of Forensic Services",
        ),
        Expected(
            "P-0002",
            "Oxfordshire Mental Health Partnership",
            "34000000",
            "approximate",
            "2019/20",
            "Mental health",
            "aclarke",
            "Anne Clarke",
        ),
        Expected("P-0003", "Talking Space Plus", "5800000", "exact", "", "Mental health", "aclarke", "Clarke, Anne"),
        Expected(
            "P-0004",
            "NIHR research collaboration",
            "2000000",
            "up_to",
            "£1–2m",
            "Research & Development",
            None,
            "Director of Research",
        ),
    ],
    organisations=[
        "Berkshire Healthcare NHS FT",
        "National Institute for Health and Care Research",
        "Oxfordshire Mind",
        "Response",
        "Restore",
        "Southern Health NHS FT",
    ],
    service_areas=["Forensic services", "Mental health", "Research & Development"],
    leads_to_confirm=[(5, "Head of Forensic Services"), (9, "Director of Research")],
    not_imported=["RAG"],
    skipped=[10],
)

COMMUNITY_CSV = MessyRegister(
    name="a CSV with a title line, abbreviated service areas, leads as e-mails and names, nil values, a Grand total",
    filename="register.csv",
    rows=[
        ["Partnerships register – position at 31 March 2022"],
        [],
        [
            "ID",
            "Name of partnership",
            "Partners",
            "Service area",
            "Trust lead",
            "Arrangement",
            "Current status",
            "Value",
            "Comments",
            "Last reviewed by",
        ],
        [
            "",
            "Oxfordshire Carer Alliance",
            "PML; Oxfordshire GP federations",
            "Community services",
            "ben.cahill@nhs.net",
            "Informal",
            "In development",
            "nil",
            "Simplifying governance and voting",
            "BC",
        ],
        [
            "",
            "Community diabetes service",
            "Oxford University Hospitals NHS FT; Oxfordshire CCG",
            "Comm. services",
            "Head of Adult Services",
            "MoU",
            "Live",
            "0 - in-kind support",
            "",
            "BC",
        ],
        [
            "",
            "Integrated respiratory project",
            "Boehringer Ingelheim; Oxfordshire CCG",
            "Respiratory",
            "Anne Clarke",
            "Informal",
            "Live",
            "n/a",
            "The CCG leads the pilot",
            "",
        ],
        ["", "CAMHS schools support", "Response", "CYP", "clarke, anne", "Subcontract", "Live", "£500k", "", ""],
        [
            "",
            "Children's mental health trailblazer",
            "Response",
            "Children and young people",
            "Dr Anne Clarke",
            "Lead provider subcontract",
            "Live",
            "£1m - £2m",
            "",
            "",
        ],
        ["", "Grand total", "", "", "", "", "", "£2.5m", "", ""],
    ],
    header_row=3,
    partnerships=[
        Expected(
            "P-0001",
            "Oxfordshire Carer Alliance",
            "0",
            "exact",
            "",
            "Community services",
            "coordinator",
            "ben.cahill@nhs.net",
        ),
        Expected(
            "P-0002",
            "Community diabetes service",
            "0",
            "exact",
            "in-kind support",
            "Community services",
            None,
            "Head of Adult Services",
        ),
        Expected(
            "P-0003", "Integrated respiratory project", None, "exact", "", "Respiratory", "aclarke", "Anne Clarke"
        ),
        Expected(
            "P-0004",
            "CAMHS schools support",
            "500000",
            "exact",
            "",
            "Children and young people",
            "aclarke",
            "clarke, anne",
        ),
        Expected(
            "P-0005",
            "Children's mental health trailblazer",
            "2000000",
            "up_to",
            "£1m - £2m",
            "Children and young people",
            "aclarke",
            "Dr Anne Clarke",
        ),
    ],
    organisations=[
        "Boehringer Ingelheim",
        "Oxford University Hospitals NHS FT",
        "Oxfordshire CCG",
        "Oxfordshire GP federations",
        "PML",
        "Response",
    ],
    service_areas=["Children and young people", "Community services", "Respiratory"],
    leads_to_confirm=[(5, "Head of Adult Services")],
    not_imported=["Last reviewed by"],
    skipped=[9],
)

CARE_GROUPS = MessyRegister(
    name="the second worksheet, care groups merged down their rows, dates, and sums under the table",
    filename="Partnerships by care group.xlsx",
    sheet="Register 2023",
    rows=[
        ["Partnerships by care group, 2023"],
        [
            "Care group",
            "Partnership title",
            "Responsible manager",
            "Partner bodies",
            "Arrangement type",
            "Status",
            "Contract value",
            "Start",
            "End",
            "Contact",
        ],
        [
            "Adult Services",  # merged down over the next two rows
            "Adult social care section 75",
            "Director of Adult Services",
            "Oxfordshire County Council",
            "S75",
            "Active",
            "£65m p.a.",
            datetime.datetime(2019, 4, 1),
            "ongoing",
            "Partnerships team",
        ],
        [
            None,
            "Carers support contract",
            "Head of Adult Services",
            "Carers Oxfordshire",
            "Contract",
            "Active",
            "£500k",
            datetime.datetime(2021, 4, 1),
            datetime.datetime(2026, 3, 31),
            "Commissioning team",
        ],
        [
            None,
            "Reablement pilot",
            "Anne Clarke",
            "Oxfordshire County Council; Oxford University Hospitals NHS FT",
            "Informal",
            "Proposed",
            "TBC",
            None,
            None,
            None,
        ],
        [
            "Children and Young People",  # merged down over the next row
            "CAMHS schools support trailblazer",
            "Head of CAMHS",
            "Response",
            "Lead provider subcontract",
            "Active",
            "Nil.",
            datetime.datetime(2019, 9, 1),
            None,
            None,
        ],
        [None, "Healthy minds schools pilot", "Head of CAMHS", "Oxfordshire County Council", "Research", "Developing"],
        [],
        [None, None, None, None, None, None, 65500000],
    ],
    merged=["A1:J1", "A3:A5", "A6:A7"],
    header_row=2,
    partnerships=[
        Expected(
            "P-0001",
            "Adult social care section 75",
            "65000000",
            "exact",
            "",
            "Adult Services",
            None,
            "Director of Adult Services",
        ),
        Expected(
            "P-0002", "Carers support contract", "500000", "exact", "", "Adult Services", None, "Head of Adult Services"
        ),
        Expected("P-0003", "Reablement pilot", None, "exact", "", "Adult Services", "aclarke", "Anne Clarke"),
        Expected(
            "P-0004",
            "CAMHS schools support trailblazer",
            "0",
            "exact",
            "",
            "Children and Young People",
            None,
            "Head of CAMHS",
        ),
        Expected(
            "P-0005",
            "Healthy minds schools pilot",
            None,
            "exact",
            "",
            "Children and Young People",
            None,
            "Head of CAMHS",
        ),
    ],
    organisations=[
        "Carers Oxfordshire",
        "Oxford University Hospitals NHS FT",
        "Oxfordshire County Council",
        "Response",
    ],
    service_areas=["Adult Services", "Children and Young People"],
    leads_to_confirm=[
        (3, "Director of Adult Services"),
        (4, "Head of Adult Services"),
        (6, "Head of CAMHS"),
        (7, "Head of CAMHS"),
    ],
    not_imported=["Contact"],
    skipped=[9],
)

MESSY_REGISTERS = {"oxford-health": OXFORD_HEALTH, "community-csv": COMMUNITY_CSV, "care-groups": CARE_GROUPS}


def expected_value(expected):
    return None if expected.value is None else Decimal(expected.value)

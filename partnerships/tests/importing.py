"""Helpers for the import tests: a small register to import into, and spreadsheets to import."""

import csv
import datetime
from decimal import Decimal

from django.apps import apps
from openpyxl import Workbook

from core.models import BafRiskTheme, ServiceArea, StrategicObjective
from core.roles import Role
from organisations.models import Organisation, OrganisationKind
from partnerships.importing import build_plan, detect_header, load_rows, suggest_mapping
from partnerships.models import ArrangementType, PartnerRole, Partnership, Status, ValueQualifier

# 943 476 5919 passes the NHS number check (REFERENCE.md §8).
NHS_NUMBER = "943 476 5919"
NHS_NUMBER_FORMS = ("9434765919", "943 476 5919", "943-476-5919", "4765919")


def write_xlsx(path, rows, title="Register"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


def write_csv(path, rows, delimiter=",", encoding="utf-8"):
    with open(path, "w", newline="", encoding=encoding) as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


def plan_for(path, sheet=None, user=None):
    """The plan of importing the file at ``path`` as the page would first show it (nothing written)."""
    rows = load_rows(path, path.name, sheet=sheet)
    header = detect_header(rows)
    return build_plan(rows, header, suggest_mapping(rows[header]), user=user)


def messages(plan):
    return [str(p) for p in plan.problems]


def database_counts():
    """How many rows every table holds (every model, the many-to-many tables and the audit trail)."""
    return {model._meta.label: model._base_manager.count() for model in apps.get_models(include_auto_created=True)}


def build_world(users, make_user):
    """Organisations, reference lists and people like those of a real trust's register."""
    home = Organisation.objects.create(
        name="Oxford Health NHS Foundation Trust",
        ods_code="RNU",
        kind=OrganisationKind.FOUNDATION_TRUST,
        is_home_trust=True,
    )
    orgs = {
        "ouh": Organisation.objects.create(
            name="Oxford University Hospitals NHS Foundation Trust",
            ods_code="RTH",
            kind=OrganisationKind.FOUNDATION_TRUST,
        ),
        "bob": Organisation.objects.create(
            name="Buckinghamshire, Oxfordshire and Berkshire West ICB", ods_code="QU9", kind=OrganisationKind.ICB
        ),
        "occ": Organisation.objects.create(name="Oxfordshire County Council", kind=OrganisationKind.LOCAL_AUTHORITY),
        "bhft": Organisation.objects.create(
            name="Berkshire Healthcare NHS Foundation Trust", ods_code="RWX", kind=OrganisationKind.FOUNDATION_TRUST
        ),
        "mind": Organisation.objects.create(name="Oxfordshire Mind", kind=OrganisationKind.VCSE),
        "oxford": Organisation.objects.create(name="University of Oxford", kind=OrganisationKind.ACADEMIC),
    }
    objectives = {
        n: StrategicObjective.objects.create(number=n, name=name)
        for n, name in [
            (1, "Quality"),
            (2, "People"),
            (3, "Sustainability"),
            (4, "Developing our business through collaboration and partnerships"),
        ]
    }
    baf = {
        name: BafRiskTheme.objects.create(name=name)
        for name in ["Workforce", "Financial sustainability", "Partnership governance"]
    }
    areas = {
        name: ServiceArea.objects.create(name=name) for name in ["Mental health", "Community services", "Research"]
    }
    people = {
        "coordinator": users[Role.COORDINATOR],
        "lead": users[Role.LEAD],  # Anne Clarke, username "lead"
        "executive": users[Role.EXECUTIVE],  # Martyn Ward
        "priya": make_user(
            Role.LEAD, username="pshah", first_name="Priya", last_name="Shah", email="priya.shah@nhs.net"
        ),
    }
    return {"home": home, "orgs": orgs, "objectives": objectives, "baf": baf, "areas": areas, "people": people}


def add_partnership(reference, title, partners=(), **fields):
    fields.setdefault("arrangement_type", ArrangementType.MOU)
    fields.setdefault("status", Status.ACTIVE)
    objectives = fields.pop("strategic_objectives", ())
    themes = fields.pop("baf_themes", ())
    partnership = Partnership.objects.create(reference=reference, title=title, **fields)
    partnership.strategic_objectives.set(objectives)
    partnership.baf_themes.set(themes)
    for org in partners:
        PartnerRole.objects.create(partnership=partnership, organisation=org)
    return partnership


def varied_register(world):
    """Partnerships using every register field, including text a spreadsheet could run as a formula."""
    orgs, people, objectives, baf, areas = (
        world["orgs"],
        world["people"],
        world["objectives"],
        world["baf"],
        world["areas"],
    )
    return [
        add_partnership(
            "P-0001",
            "Thames Valley and Wessex Forensic Network",
            [orgs["bhft"], orgs["bob"]],
            arrangement_type=ArrangementType.PROVIDER_COLLABORATIVE,
            trust_role="lead",
            annual_value=Decimal("65000000"),
            start_date=datetime.date(2019, 4, 1),
            next_review_date=datetime.date(2026, 3, 31),
            lead=people["lead"],
            executive_sponsor=people["executive"],
            service_area=areas["Mental health"],
            strategic_objectives=[objectives[1], objectives[4]],
            baf_themes=[baf["Partnership governance"]],
            data_sharing="special_category",
            standard_signed_on=datetime.date(2021, 6, 30),
            material_contribution=True,
            recorded_lead="Dr Anne Clarke (Partnership Manager)",
            purpose="Secure care closer to home.\nTwo lines of purpose.",
            notes="Reviewed by the board; see minutes, item 7",
        ),
        add_partnership(
            "P-0002",
            "Oxfordshire Mental Health Partnership",
            [orgs["mind"], orgs["occ"]],
            annual_value=Decimal("34000000"),
            value_qualifier=ValueQualifier.APPROXIMATE,
            lead=people["priya"],
        ),
        add_partnership(
            "P-0003",
            '=HYPERLINK("http://evil.example","click")',
            [orgs["ouh"]],
            status=Status.CLOSED,
            start_date=datetime.date(2018, 1, 1),
            end_date=datetime.date(2022, 3, 30),
            annual_value=Decimal("2000000"),
            value_qualifier=ValueQualifier.UP_TO,
            value_note="£1–2m",
        ),
        add_partnership(
            "P-0004",
            "-5 per cent waiting list pilot",
            notes="+44 1865 000000 is the switchboard",
            recorded_lead="Head of Adult Services",
            value_note="awaiting the contract",
        ),
        add_partnership("P-0005", "@Home respiratory project", annual_value=Decimal("1234.56")),
    ]


def own_entries(entries):
    """Audit entries of the rows written, without those of the derived partner totals and IG state
    kept in step with them (``partnerships.partner_totals``, ``assurance.ig_state``, audited too)
    and of the import's own record (who
    queued it, ``partnerships.RegisterImport``)."""
    from django.contrib.contenttypes.models import ContentType

    from partnerships.models import PartnerTotal, RegisterImport

    derived = ContentType.objects.filter(app_label="assurance", model__in=["igstate", "iggap"])  # assurance.ig_state
    kept_aside = [*ContentType.objects.get_for_models(PartnerTotal, RegisterImport).values(), *derived]
    return entries.exclude(object_type__in=kept_aside)

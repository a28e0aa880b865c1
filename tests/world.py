"""A small, realistic register for tests that need one of everything.

``build_world()`` creates a user of every role (plus a second lead and a lead's delegate), the
reference lists, a few organisations and two partnerships, each with a partner and a headline:
enough to build every URL of the register with real objects and to check who may reach which.
Users get no usable password (tests log in with ``force_login``), which keeps the world cheap
to build for hundreds of tests.

``build_world(everything=True)`` adds a spare partnership with nothing on it (which can still be
deleted), then each app's records: the ``build(w)`` of every app's rows module
(``tests/rows.py``): agreements in every state a lifecycle step starts from, risk profiles, IG
items with stored documents... Their attributes are documented there. The caller points
``settings.DOCUMENT_STORAGE_DIR`` at a folder of the test's own first.
"""

import datetime
import functools
import importlib
import sysconfig
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from accounts.models import User
from core.audit import audit_context
from core.models import BafRiskTheme, ServiceArea, StrategicObjective
from core.roles import Role
from core.versions import VERSION_FIELD, record_token
from organisations.models import Organisation, OrganisationKind
from partnerships.models import (
    ArrangementType,
    Headline,
    PartnerRole,
    PartnerRoleKind,
    Partnership,
    Status,
    TrustRole,
    ValueQualifier,
)
from tests.rows import CONTRIBUTOR, builders

# Accord's own apps: every installed app whose code is in this project, not in an installed
# package (Django's, third parties'), so a new app's models are enumerated here unasked.
PROJECT_DIR = Path(__file__).resolve().parents[1]
PACKAGE_DIRS = {Path(sysconfig.get_paths()[key]).resolve() for key in ("purelib", "platlib")}


def _is_accord_app(config):
    path = Path(config.path).resolve()
    return path.is_relative_to(PROJECT_DIR) and not any(path.is_relative_to(d) for d in PACKAGE_DIRS)


ACCORD_APPS = tuple(config.label for config in apps.get_app_configs() if _is_accord_app(config))

# 943 476 5919 passes the NHS number modulus-11 check (REFERENCE.md §8).
NHS_NUMBER = "943 476 5919"
NHS_NUMBER_DIGITS = "9434765919"

# Who is who in the permission tests: the role a user has, and how they stand to the partnership.
ROLE_USERS = {
    "administrator": (Role.ADMINISTRATOR, "Ada", "Admin"),
    "coordinator": (Role.COORDINATOR, "Ben", "Cahill"),
    "owner": (Role.LEAD, "Anne", "Clarke"),
    "other_lead": (Role.LEAD, "Olu", "Other"),
    "delegate": (Role.LEAD, "Dee", "Legate"),
    "executive": (Role.EXECUTIVE, "Martyn", "Ward"),
    "board_member": (Role.BOARD_MEMBER, "Bea", "Board"),
    "auditor": (Role.AUDITOR, "Aud", "Itor"),
}


def make_user(username, role=Role.LEAD, first_name="", last_name="", **extra):
    """A user who can only be logged in with ``force_login`` (no password hashing: fast)."""
    user = User(username=username, role=role, first_name=first_name, last_name=last_name, **extra)
    user.set_unusable_password()
    user.save()
    return user


@dataclass
class World:
    users: dict = field(default_factory=dict)
    sessions: dict = field(default_factory=dict)  # {user key: a session cookie}, where made (tests.fixtures)
    objective: StrategicObjective = None
    objective2: StrategicObjective = None
    baf_theme: BafRiskTheme = None
    spare_theme: BafRiskTheme = None  # on no partnership: can be deleted
    service_area: ServiceArea = None
    spare_area: ServiceArea = None  # on no partnership: can be deleted
    home_trust: Organisation = None
    partner_org: Organisation = None
    other_org: Organisation = None
    spare_org: Organisation = None
    partnership: Partnership = None
    partner_role: PartnerRole = None
    headline: Headline = None
    other_partnership: Partnership = None
    other_partner_role: PartnerRole = None
    other_headline: Headline = None
    spare_partnership: Partnership = None  # with everything=True: nothing on it, so it can be deleted
    # Each app's rows module adds its records' attributes (tests/rows.py: ``build``).

    def user(self, key):
        return self.users[key]


MIGRATED_DATA = (
    ("core.migrations.0003_default_tier_thresholds", "create_thresholds"),
    ("risks.migrations.0002_default_matrix", "create_matrix"),
    ("assurance.migrations.0002_default_requirements", "create_defaults"),
    ("self_assessments.migrations.0002_default_template", "create_default"),
)


def as_migrated():
    """The rows the migrations write (tier thresholds, the risk matrix, IG requirements), again if
    missing: a browser test's flush of the database removes them, and a worker may run other tests
    after one. Each is a get-or-create."""
    for module, function in MIGRATED_DATA:
        getattr(importlib.import_module(module), function)(apps, None)


def build_world(everything=False):
    """Everything a page might need, created as the administrator (so it is audited like real data)."""
    as_migrated()
    w = World()
    for key, (role, first, last) in ROLE_USERS.items():
        w.users[key] = make_user(key, role=role, first_name=first, last_name=last)
    with audit_context(user=w.users["administrator"], source="test"):
        w.objective = StrategicObjective.objects.create(number=1, name="Deliver outstanding care")
        w.objective2 = StrategicObjective.objects.create(number=2, name="Be a great place to work")
        w.baf_theme = BafRiskTheme.objects.create(name="System working", strategic_objective=w.objective)
        w.spare_theme = BafRiskTheme.objects.create(name="Financial sustainability")
        w.service_area = ServiceArea.objects.create(name="Forensic services")
        w.spare_area = ServiceArea.objects.create(name="Learning disability services")
        w.home_trust = Organisation.objects.create(
            name="Oxford Health NHS Foundation Trust",
            kind=OrganisationKind.FOUNDATION_TRUST,
            ods_code="RNU",
            is_home_trust=True,
        )
        w.partner_org = Organisation.objects.create(
            name="Oxford University Hospitals NHS Foundation Trust",
            kind=OrganisationKind.FOUNDATION_TRUST,
            ods_code="RTH",
        )
        w.users[CONTRIBUTOR] = make_user(
            CONTRIBUTOR,
            role=Role.PARTNER_CONTRIBUTOR,
            first_name="Cora",
            last_name="Partner",
            organisation=w.partner_org,
        )
        w.other_org = Organisation.objects.create(
            name="Southern Health NHS Foundation Trust", kind=OrganisationKind.FOUNDATION_TRUST, ods_code="RW1"
        )
        w.spare_org = Organisation.objects.create(name="Oxfordshire Carers Forum", kind=OrganisationKind.VCSE)
        w.partnership = Partnership.objects.create(
            reference="P-0001",
            title="Thames Valley Forensic Network",
            purpose="Secure care close to home.",
            arrangement_type=ArrangementType.PROVIDER_COLLABORATIVE,
            trust_role=TrustRole.LEAD,
            status=Status.ACTIVE,
            lead=w.users["owner"],
            executive_sponsor=w.users["executive"],
            service_area=w.service_area,
            annual_value=Decimal("65000000"),
            value_qualifier=ValueQualifier.APPROXIMATE,
            start_date=datetime.date(2020, 4, 1),
            next_review_date=datetime.date(2030, 4, 1),
            data_sharing="personal",
        )
        w.partnership.strategic_objectives.add(w.objective)
        w.partnership.baf_themes.add(w.baf_theme)
        w.partnership.delegates.add(w.users["delegate"])
        w.partner_role = PartnerRole.objects.create(
            partnership=w.partnership, organisation=w.partner_org, role=PartnerRoleKind.MEMBER
        )
        w.headline = Headline.objects.create(
            partnership=w.partnership,
            date=datetime.date(2024, 3, 1),
            text="Bed occupancy back under target.",
            author=w.users["owner"],
        )
        w.other_partnership = Partnership.objects.create(
            reference="P-0002",
            title="Talking Space Plus",
            arrangement_type=ArrangementType.LEAD_PROVIDER_SUBCONTRACT,
            status=Status.ACTIVE,
            lead=w.users["other_lead"],
            annual_value=Decimal("5800000"),
            start_date=datetime.date(2019, 4, 1),
        )
        w.other_partner_role = PartnerRole.objects.create(
            partnership=w.other_partnership, organisation=w.other_org, role=PartnerRoleKind.PROVIDER
        )
        w.other_headline = Headline.objects.create(
            partnership=w.other_partnership, date=datetime.date(2024, 2, 1), text="Waiting times down."
        )
        if everything:
            build_everything(w)
    return w


def build_everything(w):
    """A spare partnership with nothing on it, then every app's records (``tests/rows.py``)."""
    _check_document_store()
    w.spare_partnership = Partnership.objects.create(
        reference="P-0009",
        title="Oxfordshire Carers Hub",
        arrangement_type=ArrangementType.INFORMAL,
        status=Status.DEVELOPING,
    )
    for build in builders():
        build(w)


def _check_document_store():
    default_store = Path(settings.BASE_DIR) / "var"
    assert not Path(settings.DOCUMENT_STORAGE_DIR).resolve().is_relative_to(default_store.resolve()), (
        "point settings.DOCUMENT_STORAGE_DIR at a folder of the test's own before building the world"
    )


# A small, valid PDF (one blank page): what the document store accepts as a PDF.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \n"
    b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n164\n%%EOF\n"
)


def pdf_upload(name="Memorandum of understanding.pdf", marker=""):
    """A PDF as a browser uploads it; ``marker`` makes its content (and so its checksum) distinct."""
    return SimpleUploadedFile(name, PDF + marker.encode(), content_type="application/pdf")


def accord_models(include_auto_created=True):
    """Every model of Accord's own apps (m2m link tables included unless asked otherwise)."""
    return [
        model
        for label in ACCORD_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=include_auto_created)
    ]


def database_state():
    """A picture of every Accord table, so a test can show that a request changed nothing at all:
    two pictures are equal unless a row was added, changed or deleted in between.

    Thousands of tests take this picture twice, so it is cheap. On SQLite (in-process) it is every
    row of every table, one ``SELECT`` a table. On PostgreSQL, inside the test's transaction, it is
    each table's count of rows inserted, updated and deleted so far in this transaction
    (``pg_stat_xact_user_tables``): any write moves it, even one that stores the values already
    there, or one rolled back to a savepoint. Users are pictured by their rows, a last login left
    out (signing in is not a change a request makes to the register). Outside a transaction (a
    browser test's live server) PostgreSQL is read row by row too, in one statement."""
    if connection.vendor == "postgresql" and connection.in_atomic_block and _counts_writes():
        return {**_written_counts(), **_rows(_tables(users_only=True))}
    return database_rows()


def database_rows():
    """Every row of every Accord table (a user's last login left out): for a test whose request
    writes and then rolls its own savepoint back, which the PostgreSQL write counts would see."""
    return _rows(_tables())


def _rows(tables):
    """{table label: its rows as dicts, in primary-key order} for the ``_tables()`` given."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_one_statement(tables))
            read = dict(cursor.fetchall())
            found = ((t.label, t.columns, read[n]) for n, t in enumerate(tables))
        else:
            found = ((t.label, t.columns, cursor.execute(t.select()).fetchall()) for t in tables)
        return {label: [dict(zip(columns, row, strict=True)) for row in rows] for label, columns, rows in found}


def _written_counts():
    """{table label: (rows inserted, updated, deleted in this transaction)} for every Accord table but users."""
    labels = {model._meta.db_table: model._meta.label for model in accord_models() if model is not User}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_xact_user_tables"
            " WHERE schemaname = current_schema()"
        )
        return {labels[name]: counts for name, *counts in cursor.fetchall() if name in labels}


@functools.cache
def _counts_writes():
    """Whether the PostgreSQL server keeps the per-transaction write counts (``track_counts``, on by default)."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW track_counts")
        return cursor.fetchone()[0] == "on"


@dataclass(frozen=True)
class _Table:
    label: str
    columns: tuple
    name: str  # quoted, as are the two below
    listed: str
    pk: str

    def select(self):
        return f"SELECT {self.listed} FROM {self.name} ORDER BY {self.pk}"  # noqa: S608 - names from the models


@functools.cache
def _tables(users_only=False):
    """Each Accord table (or the users' only), with the columns pictured: all but a user's last login."""
    quote = connection.ops.quote_name
    tables = []
    for model in accord_models():
        if users_only and model is not User:
            continue
        columns = tuple(f.column for f in model._meta.concrete_fields if not (model is User and f.name == "last_login"))
        listed = ", ".join(quote(column) for column in columns)
        name, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
        tables.append(_Table(model._meta.label, columns, name, listed, pk))
    return tuple(tables)


@functools.cache
def _one_statement(tables):
    """PostgreSQL: (n, the n-th table's rows as a JSON array of arrays) for every table given, in one
    statement (a hundred round trips to the server were a third of a permission test's time)."""
    parts = []
    for n, t in enumerate(tables):
        rows = f"json_agg(json_build_array({t.listed}) ORDER BY {t.pk})"
        parts.append(f"SELECT {n}, (SELECT coalesce({rows}, '[]') FROM {t.name})")  # noqa: S608 - names from the models
    return " UNION ALL ".join(parts)


def opened_at_now(record):
    """The hidden field of ``record``'s edit page opened now: the version it is stored at ({} for a new record)."""
    if record.pk is None:
        return {}
    return {VERSION_FIELD: record_token(type(record)._base_manager.get(pk=record.pk))}


def partnership_form_data(partnership, **changes):
    """The POST body of the partnership form, as a browser would send it for ``partnership``."""

    def day(value):
        return value.strftime("%d/%m/%Y") if value else ""

    p = partnership
    data = {
        "reference": "",
        "title": p.title,
        "purpose": p.purpose,
        "arrangement_type": p.arrangement_type,
        "trust_role": p.trust_role,
        "status": p.status,
        "lead": p.lead_id or "",
        "recorded_lead": p.recorded_lead,
        "delegates": [u.pk for u in p.delegates.all()] if p.pk else [],
        "executive_sponsor": p.executive_sponsor_id or "",
        "service_area": p.service_area_id or "",
        "annual_value": "" if p.annual_value is None else str(p.annual_value),
        "value_qualifier": p.value_qualifier,
        "value_note": p.value_note,
        "start_date": day(p.start_date),
        "end_date": day(p.end_date),
        "next_review_date": day(p.next_review_date),
        "strategic_objectives": [o.pk for o in p.strategic_objectives.all()] if p.pk else [],
        "baf_themes": [t.pk for t in p.baf_themes.all()] if p.pk else [],
        "data_sharing": p.data_sharing,
        "standard_signed_on": day(p.standard_signed_on),
        "notes": p.notes,
    }
    if p.material_contribution:
        data["material_contribution"] = "on"
    data.update(opened_at_now(p))
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def organisation_form_data(org, **changes):
    data = {
        "name": org.name,
        "kind": org.kind,
        "ods_code": org.ods_code or "",
        "charity_number": org.charity_number,
        "company_number": org.company_number,
        "website": org.website,
        "notes": org.notes,
        "postcode": getattr(org, "postcode", ""),
        "opened_on": day(getattr(org, "opened_on", None)),
        "dspt_status": getattr(org, "dspt_status", ""),
        "dspt_year": getattr(org, "dspt_year", ""),
    }
    if org.is_home_trust:
        data["is_home_trust"] = "on"
    closed_on = getattr(org, "closed_on", None)
    if closed_on:
        data["closed_on"] = closed_on.strftime("%d/%m/%Y")
    data.update(opened_at_now(org))
    data.update(changes)
    return data


def day(value):
    """A date as a user types it: day first."""
    return value.strftime("%d/%m/%Y") if value else ""


def agreement_form_data(agreement, **changes):
    """The POST body of the agreement form, as a browser would send it for ``agreement``."""
    a = agreement
    data = {
        "kind": a.kind,
        "title": a.title,
        "purpose": a.purpose,
        "legally_binding": a.legally_binding,
        "binding_exceptions": a.binding_exceptions,
        "commencement": a.commencement,
        "stated_commencement_date": day(a.stated_commencement_date),
        "term_end_date": day(a.term_end_date),
        "notice_period": a.notice_period,
        "governance": a.governance,
    }
    data.update(opened_at_now(a))
    data.update(changes)
    return data

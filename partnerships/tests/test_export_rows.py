"""The register export reads plain values, yet writes exactly what the model instances would.

``reference_rows`` below is the export as it was first written (model instances with their
links prefetched, about ten times slower); it stays here only so the fast export can be
checked against it cell by cell, type included, and file byte by byte.
"""

import datetime
import io
from decimal import Decimal

import pytest
from django.db.models import Prefetch

from core.exports import write_csv
from core.models import BafRiskTheme
from core.roles import Role
from partnerships.models import (
    ArrangementType,
    DataSharing,
    PartnerRole,
    Partnership,
    Status,
    TrustRole,
    ValueQualifier,
)
from partnerships.spreadsheet import REGISTER_COLUMNS, REGISTER_HEADERS, register_rows
from partnerships.tests.importing import add_partnership, build_world, varied_register
from partnerships.views import register_queryset


def _join(items):
    return "; ".join(str(i) for i in items)


def _reference_values(p):
    return {
        "reference": p.reference,
        "title": p.title,
        "partners": _join(r.organisation.name for r in p.partner_roles.all()),
        "arrangement_type": p.get_arrangement_type_display(),
        "trust_role": p.get_trust_role_display() if p.trust_role else "",
        "status": p.get_status_display(),
        "tier": getattr(p, "tier", None) or p.derived_tier(),
        "annual_value": p.annual_value,
        "value_qualifier": p.get_value_qualifier_display() if p.annual_value is not None else "",
        "value_note": p.value_note,
        "start_date": p.start_date,
        "end_date": p.end_date,
        "next_review_date": p.next_review_date,
        "lead": str(p.lead) if p.lead else "",
        "recorded_lead": p.recorded_lead,
        "executive_sponsor": str(p.executive_sponsor) if p.executive_sponsor else "",
        "service_area": p.service_area.name if p.service_area else "",
        "strategic_objectives": _join(o.name for o in p.strategic_objectives.all()),
        "material_contribution": p.material_contribution,
        "baf_themes": _join(t.name for t in p.baf_themes.all()),
        "data_sharing": p.get_data_sharing_display() if p.data_sharing else "",
        "standard_signed_on": p.standard_signed_on,
        "purpose": p.purpose,
        "notes": p.notes,
    }


def reference_rows(queryset, chunk_size=2000):
    """The export built from model instances: the slow, obviously right version."""
    if "tier" not in queryset.query.annotations:
        queryset = queryset.with_tier()
    queryset = (
        queryset.select_related("lead", "executive_sponsor", "service_area")
        .prefetch_related(None)
        .prefetch_related(
            Prefetch("partner_roles", queryset=PartnerRole.objects.select_related("organisation")),
            "strategic_objectives",
            "baf_themes",
        )
    )
    for p in queryset.iterator(chunk_size=chunk_size):
        values = _reference_values(p)
        yield [values[key] for key, _ in REGISTER_COLUMNS]


def typed(rows):
    """Cells with their types: 1 and True, or Decimal("1") and 1, must not pass for each other."""
    return [[(type(value).__name__, value) for value in row] for row in rows]


def csv_text(rows):
    stream = io.StringIO()
    write_csv(stream, REGISTER_HEADERS, rows)
    return stream.getvalue()


@pytest.fixture
def register(users, make_user):
    """The varied register of the import tests, and partnerships that stretch every column."""
    world = build_world(users, make_user)
    orgs, objectives, baf, areas = world["orgs"], world["objectives"], world["baf"], world["areas"]
    varied_register(world)
    username_only = make_user(Role.LEAD, username="jbloggs")
    surname_only = make_user(Role.EXECUTIVE, username="okafor", last_name="Okafor")
    retired_theme = BafRiskTheme.objects.create(name="Cyber security", is_active=False)
    add_partnership(
        "P-0006",
        "Buckinghamshire community wellbeing alliance",
        [orgs["oxford"], orgs["mind"], orgs["bhft"], orgs["ouh"]],  # not in alphabetical order
        arrangement_type=ArrangementType.ALLIANCE,
        trust_role=TrustRole.COMMISSIONER,
        status=Status.CLOSED,
        start_date=datetime.date(2017, 4, 1),
        end_date=datetime.date(2023, 3, 31),
        lead=username_only,
        executive_sponsor=surname_only,
        service_area=areas["Community services"],
        strategic_objectives=[objectives[4], objectives[2], objectives[1]],
        baf_themes=[retired_theme, baf["Workforce"], baf["Financial sustainability"]],
        data_sharing=DataSharing.AGGREGATE,
        purpose="",
        notes="Closed after the 2023 re-procurement.",
    )
    add_partnership(
        "P-0007",
        "Primary care mental health pilot",
        [orgs["occ"]],
        arrangement_type=ArrangementType.SECTION_75,
        annual_value=Decimal("0"),  # known to be nothing: still has a qualifier
        value_qualifier=ValueQualifier.APPROXIMATE,
        lead=surname_only,
        executive_sponsor=surname_only,
        next_review_date=datetime.date(2025, 9, 30),
    )
    add_partnership(
        "P-0008",
        "Digital front door",
        status=Status.UNDER_REVIEW,
        annual_value=Decimal("250000.50"),
        value_qualifier=ValueQualifier.UP_TO,
        executive_sponsor=world["people"]["executive"],
        material_contribution=True,
    )
    add_partnership("P-0009", "Research network scoping", status=Status.PROPOSED)  # almost nothing known
    return world


QUERYSETS = {
    "everything, no tier annotation": lambda: Partnership.objects.all(),
    "the register page's own queryset": lambda: register_queryset().order_by("reference", "pk"),
    "highest value first": lambda: Partnership.objects.with_tier().order_by("-annual_value", "pk"),
    "by lead, descending": lambda: Partnership.objects.order_by("-lead__first_name", "-lead__username", "-pk"),
    "closed only": lambda: Partnership.objects.filter(status=Status.CLOSED),
    "tier 1 only": lambda: Partnership.objects.with_tier().filter(tier=1).order_by("title"),
}


@pytest.mark.parametrize("chunk_size", [2000, 2])
@pytest.mark.parametrize("name", sorted(QUERYSETS))
def test_the_export_writes_what_the_model_instances_would(register, name, chunk_size):
    queryset = QUERYSETS[name]
    expected = list(reference_rows(queryset(), chunk_size=chunk_size))
    rows = list(register_rows(queryset(), chunk_size=chunk_size))
    assert len(rows) == queryset().count() > 0
    assert [row[0] for row in rows] == list(queryset().values_list("reference", flat=True))
    assert typed(rows) == typed(expected)
    assert csv_text(rows) == csv_text(expected)


def test_the_export_shows_names_labels_and_lists_as_people_read_them(register):
    rows = {row[0]: dict(zip(REGISTER_HEADERS, row, strict=True)) for row in register_rows(Partnership.objects.all())}
    closed = rows["P-0006"]
    assert closed["Partner organisations"] == (
        "Berkshire Healthcare NHS Foundation Trust; Oxford University Hospitals NHS Foundation Trust; "
        "Oxfordshire Mind; University of Oxford"
    )
    assert (closed["Lead"], closed["Executive sponsor"]) == ("jbloggs", "Okafor")
    assert closed["Strategic objectives"] == (
        "Quality; People; Developing our business through collaboration and partnerships"
    )
    assert closed["BAF risk themes"] == "Cyber security; Financial sustainability; Workforce"
    assert (closed["Type of arrangement"], closed["Trust role"], closed["Status"]) == (
        "Alliance",
        "Commissioner",
        "Closed",
    )
    assert (closed["Data sharing"], closed["End date"]) == ("Aggregate or anonymised", datetime.date(2023, 3, 31))
    assert (closed["Annual value (£)"], closed["Value qualifier"], closed["Tier"]) == (None, "", 3)
    nothing = rows["P-0007"]
    assert (nothing["Annual value (£)"], nothing["Value qualifier"]) == (Decimal("0"), "Approximate")
    up_to = rows["P-0008"]
    assert (up_to["Value qualifier"], up_to["Tier"], up_to["Lead"]) == ("Up to", 1, "")
    assert up_to["Executive sponsor"] == "Martyn Ward"
    assert rows["P-0002"]["Lead"] == "Priya Shah"
    empty = rows["P-0009"]
    assert [empty[h] for h in ("Partner organisations", "Trust role", "Service area", "Data sharing")] == [""] * 4

"""The requirements matrix: the defaults Accord ships, and the administrator's page that changes
them, with the change taking effect at once on every partnership's IG status and gaps."""

import html
import importlib
import re

import pytest
from django.apps import apps as django_apps
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from assurance.forms import cell_name
from assurance.models import ITEMS, IGItemType, IGRequirement
from assurance.selectors import requirement_matrix
from assurance.tests.builders import partnership
from core.models import AuditEntry
from core.roles import Role
from partnerships.models import ArrangementType, DataSharing, Partnership
from tests.editing import opened_version
from tests.text import readable_text
from tests.world import database_state

GRID = reverse("assurance:requirements")

I = IGItemType  # noqa: E741
A = ArrangementType
PERSONAL = {I.ISA, I.DPIA, I.PARTNER_DSPT, I.PRIVACY_NOTICE, I.ROPA}


def expected_default(arrangement_type, level):
    """The defaults, as the migration's docstring states them."""
    if level == "none":
        return set()
    if level == "aggregate":
        return {I.ISA}
    items = set(PERSONAL)
    if level == "special_category":
        items.add(I.CALDICOTT)
    if arrangement_type in (A.PROCURED_CONTRACT, A.SINGLE_ACTION_WAIVER, A.LEAD_PROVIDER_SUBCONTRACT):
        items.add(I.DPA)
    if arrangement_type in (A.PROVIDER_COLLABORATIVE, A.SECTION_75):
        items.add(I.JOINT_CONTROLLER)
    return items


@pytest.mark.django_db
def test_the_defaults_cover_every_arrangement_type_and_level():
    matrix = requirement_matrix()
    assert set(matrix) == {(a.value, level.value) for a in ArrangementType for level in DataSharing}
    for (arrangement_type, level), items in matrix.items():
        assert items == expected_default(arrangement_type, level), (arrangement_type, level)


@pytest.mark.django_db
def test_the_data_migration_writes_every_default_as_a_row():
    migration = importlib.import_module("assurance.migrations.0002_default_requirements")
    IGRequirement.objects.all().delete()

    migration.create_defaults(django_apps, None)

    rows = IGRequirement.objects.all()
    assert len(rows) == len(ArrangementType) * len(DataSharing)
    for row in rows:
        assert set(row.required_items) == expected_default(row.arrangement_type, row.data_sharing)


@pytest.mark.django_db
def test_some_defaults_spelled_out():
    matrix = requirement_matrix()
    assert matrix[("informal", "none")] == set()
    assert matrix[("informal", "aggregate")] == {"isa"}
    assert matrix[("mou", "personal")] == {"isa", "dpia", "partner_dspt", "privacy_notice", "ropa"}
    assert matrix[("section_75", "special_category")] == {
        "isa",
        "dpia",
        "partner_dspt",
        "privacy_notice",
        "ropa",
        "caldicott",
        "joint_controller",
    }
    assert matrix[("lead_provider_subcontract", "personal")] == {
        "isa",
        "dpia",
        "partner_dspt",
        "privacy_notice",
        "ropa",
        "dpa",
    }
    assert "dpa" not in matrix[("procured_contract", "aggregate")]


def grid_post(matrix, **changes):
    """The grid as a browser submits it: a checked box sends "on", an unchecked one nothing."""
    data = {}
    for (arrangement_type, level), items in matrix.items():
        for item in items:
            data[cell_name(arrangement_type, level, item)] = "on"
    for name, ticked in changes.items():
        if ticked:
            data[name] = "on"
        else:
            data.pop(name, None)
    return data


def page_text(response):
    return readable_text(response.content.decode())


def requirement_entries():
    return AuditEntry.objects.filter(object_type=ContentType.objects.get_for_model(IGRequirement))


def gap_items(client, p):
    body = client.get(reverse("assurance:gaps"), {"q": p.reference, "export": "csv"}).content.decode()
    return {line.split(",")[2] for line in body.splitlines()[1:]}


def test_the_administrator_sees_the_grid_with_the_current_requirements(client_for):
    response = client_for(Role.ADMINISTRATOR).get(reverse("assurance:requirements"))
    assert response.status_code == 200
    body = response.content.decode()
    ticked = set(re.findall(r'<input type="checkbox" name="([a-z_0-9]+)"[^>]*checked', body))
    expected = {cell_name(a, level, item) for (a, level), items in requirement_matrix().items() for item in items}
    assert ticked == expected
    assert len(re.findall(r'<input type="checkbox"', body)) == len(ArrangementType) * len(DataSharing) * len(ITEMS)
    assert "Provider collaborative, personal data: Joint controller arrangement" in html.unescape(body)


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.LEAD, Role.EXECUTIVE, Role.BOARD_MEMBER, Role.AUDITOR])
def test_only_the_administrator_may_see_or_change_the_matrix(client_for, role):
    client = client_for(role)
    before = database_state()
    assert client.get(reverse("assurance:requirements")).status_code == 403
    assert client.get(reverse("assurance:requirements_history")).status_code == 403
    post = client.post(reverse("assurance:requirements"), grid_post(requirement_matrix(), **{"mou__none__dpia": True}))
    assert post.status_code == 403
    assert database_state() == before


def test_a_matrix_change_changes_required_items_and_gaps_at_once_and_is_audited(client_for, users):
    client = client_for(Role.ADMINISTRATOR)
    shared_figures = partnership(A.MOU, "aggregate", title="Shared figures")
    no_sharing = partnership(A.INFORMAL, "none", title="Carers' café")
    assert gap_items(client, shared_figures) == {"Information sharing agreement"}
    assert gap_items(client, no_sharing) == set()
    assert Partnership.objects.filter(pk=no_sharing.pk).filter(**{}).exists()

    response = client.post(
        GRID,
        {
            **opened_version(client, GRID),
            **grid_post(requirement_matrix(), mou__aggregate__isa=False, informal__none__dpia=True),
        },
    )

    assert response.status_code == 302
    assert "IG requirements saved: 2 cells changed." in page_text(client.get(response["Location"]))
    assert requirement_matrix()[("mou", "aggregate")] == set()
    assert requirement_matrix()[("informal", "none")] == {"dpia"}
    # The gaps page, the register's filter and the partnership page follow straight away.
    assert gap_items(client, shared_figures) == set()
    assert gap_items(client, no_sharing) == {"Data protection impact assessment (DPIA)"}
    register = client.get(reverse("partnerships:list"), {"ig_gaps": "any"}).content.decode()
    assert no_sharing.reference in register and shared_figures.reference not in register
    page = page_text(client.get(no_sharing.get_absolute_url()))
    assert "Data protection impact assessment (DPIA) Missing" in page
    # Each changed cell is one audited update, saying which item changed and by whom.
    entries = requirement_entries().order_by("object_label")
    assert [(e.object_label, e.changed_fields, e.user) for e in entries] == [
        ("Informal (no income transaction), none", ["dpia"], users[Role.ADMINISTRATOR]),
        ("Memorandum of understanding, aggregate or anonymised", ["isa"], users[Role.ADMINISTRATOR]),
    ]
    history = page_text(client.get(reverse("assurance:requirements_history")))
    assert "Updated IG requirement: Informal (no income transaction), none" in history
    assert "Data protection impact assessment (DPIA) No Yes" in history


def test_saving_the_grid_unchanged_writes_nothing(client_for):
    client = client_for(Role.ADMINISTRATOR)
    before = database_state()
    response = client.post(GRID, {**opened_version(client, GRID), **grid_post(requirement_matrix())})
    assert response.status_code == 302
    assert "Nothing was changed" in page_text(client.get(response["Location"]))
    assert database_state() == before


def test_a_cell_without_a_row_requires_the_defaults_and_gets_a_row_once_changed(client_for):
    IGRequirement.objects.filter(arrangement_type="other").delete()
    assert requirement_matrix()[("other", "personal")] == expected_default("other", "personal")
    p = partnership(A.OTHER, "aggregate")
    client = client_for(Role.ADMINISTRATOR)
    assert gap_items(client, p) == {"Information sharing agreement"}  # the default, with no row

    client.post(GRID, {**opened_version(client, GRID), **grid_post(requirement_matrix(), other__aggregate__ropa=True)})

    assert requirement_matrix()[("other", "aggregate")] == {"isa", "ropa"}
    assert IGRequirement.objects.filter(arrangement_type="other").count() == 1  # only the changed cell
    created = requirement_entries().filter(action="create").get()
    assert created.object_label == "Other, aggregate or anonymised"
    assert gap_items(client, p) == {"Information sharing agreement", "Record of processing activities (ROPA) entry"}


def test_the_administration_page_links_to_the_matrix(client_for):
    body = client_for(Role.ADMINISTRATOR).get(reverse("core:administration")).content.decode()
    assert reverse("assurance:requirements") in body

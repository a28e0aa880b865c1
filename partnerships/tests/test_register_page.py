"""The register page: a lead opens it on "My partnerships"; anyone may choose its columns."""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.audit import audit_context
from partnerships.spreadsheet import REGISTER_HEADERS
from tests.text import readable_text, without_cell_headings
from tests.world import build_world

REGISTER = reverse("partnerships:list")


@pytest.fixture
def world(db):
    return build_world()


def references(response):
    """The references listed in the register's table, in order."""
    body = without_cell_headings(response.content.decode())
    table = body.split("<tbody", 1)[1].split("</tbody>", 1)[0] if "<tbody" in body else ""
    return re.findall(r">(P-\d{4})</a>", table)


def column_headings(response):
    body = response.content.decode()
    head = body.split("<thead", 1)[1].split("</thead>", 1)[0]
    return [
        re.sub(r" \(sort( descending)?\)$", "", readable_text(h))
        for h in re.findall(r"<th [^>]*>(.*?)</th>", head, flags=re.S)
    ]


def as_user(client, world, key):
    client.force_login(world.user(key))
    return client


# --- "My partnerships" ----------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["owner", "delegate"])
def test_a_lead_opens_the_register_on_the_partnerships_they_lead_or_are_delegated_on(client, world, key):
    response = as_user(client, world, key).get(REGISTER)
    assert references(response) == ["P-0001"]
    page = readable_text(response.content.decode())
    assert "Showing 1 to 1 of 1 partnership" in page
    assert '<strong aria-current="page">My partnerships</strong>' in response.content.decode()
    assert 'href="?partnerships=all">All partnerships</a>' in response.content.decode()


def test_all_partnerships_is_one_link_away_and_stays_chosen_with_other_filters(client, world):
    client = as_user(client, world, "owner")
    assert references(client.get(REGISTER, {"partnerships": "all"})) == ["P-0001", "P-0002"]
    assert references(client.get(REGISTER, {"partnerships": "all", "status": "active", "sort": "-reference"})) == [
        "P-0002",
        "P-0001",
    ]
    response = client.get(REGISTER, {"partnerships": "all"})
    assert '<strong aria-current="page">All partnerships</strong>' in response.content.decode()


def test_a_lead_with_no_partnerships_is_told_so_and_can_see_the_whole_register(client, world):
    with audit_context(source="test"):
        world.other_partnership.lead = world.user("owner")
        world.other_partnership.save()
    response = as_user(client, world, "other_lead").get(REGISTER)
    assert references(response) == []
    assert "No partnerships match these filters." in readable_text(response.content.decode())
    assert 'href="?partnerships=all">All partnerships</a>' in response.content.decode()


@pytest.mark.parametrize("key", ["administrator", "coordinator", "executive", "board_member", "auditor"])
def test_other_roles_open_on_the_whole_register_even_when_they_lead_a_partnership(client, world, key):
    with audit_context(source="test"):
        world.other_partnership.lead = world.user(key)
        world.other_partnership.save()
    response = as_user(client, world, key).get(REGISTER)
    assert references(response) == ["P-0001", "P-0002"]
    assert "aria-current" not in response.content.decode().split('id="results"', 1)[1].split("<table", 1)[0]
    assert references(client.get(REGISTER, {"partnerships": "mine"})) == ["P-0002"]


def test_a_leads_download_holds_the_rows_the_page_shows(client, world):
    client = as_user(client, world, "owner")

    def exported(params):
        response = client.get(REGISTER, {**params, "export": "xlsx"})
        sheet = load_workbook(io.BytesIO(response.content)).active
        return sorted(row[0] for row in sheet.iter_rows(min_row=2, values_only=True))

    assert exported({}) == ["P-0001"]
    assert exported({"partnerships": "all"}) == ["P-0001", "P-0002"]


# --- choosing columns -----------------------------------------------------------------------------

DEFAULT_COLUMNS = ["Reference", "Title", "Partners", "Status", "Tier", "Annual value", "Lead", "Risk profile"]


def test_the_register_shows_its_default_columns_and_offers_the_others(client, world):
    response = as_user(client, world, "coordinator").get(REGISTER)
    assert column_headings(response) == DEFAULT_COLUMNS
    page = response.content.decode()
    for name in ("arrangement_type", "next_review_date", "risk_highest_score"):
        assert f'name="columns" type="checkbox" value="{name}">' in page, f"{name} can be chosen, unticked"
    assert 'name="columns" type="checkbox" value="title" checked>' in page


def test_chosen_columns_are_shown_in_order_and_remembered_for_the_session(client, world):
    client = as_user(client, world, "coordinator")
    chosen = {"columns": ["reference", "next_review_date", "title", "risk_highest_score", "no_such_column"]}
    response = client.get(REGISTER, {**chosen, "status": "active"})
    assert column_headings(response) == ["Reference", "Title", "Next review", "Highest current score"]
    assert references(response) == ["P-0001", "P-0002"], "choosing columns keeps the rows"
    assert "1 Apr 2030" in readable_text(response.content.decode())
    assert column_headings(client.get(REGISTER)) == ["Reference", "Title", "Next review", "Highest current score"]
    sort_link = 'href="?status=active&amp;sort=title"'
    assert sort_link in client.get(REGISTER, {"status": "active"}).content.decode(), "links do not repeat the choice"


def test_the_reference_column_stays_however_the_columns_are_chosen(client, world):
    client = as_user(client, world, "coordinator")
    assert column_headings(client.get(REGISTER, {"columns": ["lead"]})) == ["Reference", "Lead"]
    assert column_headings(client.get(REGISTER, {"columns": ""})) == ["Reference"]


def test_choosing_columns_does_not_change_the_download(client, world):
    """The download keeps the register's layout, so that it imports back whatever is on screen."""
    client = as_user(client, world, "coordinator")
    client.get(REGISTER, {"columns": ["lead"]})
    sheet = load_workbook(io.BytesIO(client.get(REGISTER, {"export": "xlsx"}).content)).active
    assert [c.value for c in next(sheet.iter_rows(max_row=1))] == list(REGISTER_HEADERS)

"""The IG gaps page, its exports and the register's "IG gaps" filter, against a direct computation.

A varied register (every arrangement type and level of data sharing, partners at every DSPT
status, IG records and agreements in every state, closed partnerships) is built; the expected
gaps are computed partnership by partnership with the partnership page's own rules
(``partnership_ig``), and the page, each filter, the sort, the pages and the exports must show
exactly those. The register (``builders.Register``) is built once for the module; what the page
costs in queries is ``test_gaps_queries.py``.
"""

import html
import re

import pytest
from django.urls import reverse

from assurance.models import Assurance, IGItemType
from assurance.selectors import LEVEL_NOT_ASSESSED_LABEL, partnership_ig
from assurance.tests.builders import I, Register, today
from core.roles import Role
from partnerships.models import Partnership, Status
from partnerships.views import PartnershipDetailView
from tests.fixtures import held_for_module
from tests.spreadsheets import read_records
from tests.text import without_cell_headings


@pytest.fixture(scope="module")
def shared_register(django_db_setup, django_db_blocker):
    """Built once for the module, in a transaction rolled back after it; each test runs in a savepoint."""
    with held_for_module(django_db_blocker):
        register = Register()
        register.grow_to(60)
        yield register


@pytest.fixture
def register(db, users, shared_register):
    return shared_register


def expected_gaps(partnerships=None):
    """(reference, item, status) of every gap, computed one partnership at a time with the page's rules."""
    rows = set()
    queryset = PartnershipDetailView().get_queryset()
    for p in queryset.filter(pk__in=(partnerships or Partnership.objects.all()).values("pk")):
        for gap in partnership_ig(p, today()).gaps:
            if gap == LEVEL_NOT_ASSESSED_LABEL:
                rows.add((p.reference, gap, "Missing"))
            else:
                rows.add((p.reference, gap.label, Assurance(gap.status).label))
    return rows


def exported(client, fmt="csv", **query):
    response = client.get(reverse("assurance:gaps"), {**query, "export": fmt})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="ig-gaps')
    return read_records(response)


def as_set(records):
    return {(r["Reference"], r["IG item"], r["Status"]) for r in records}


def shown(response):
    """(reference, item) of each row of the page's table, in order."""
    body = without_cell_headings(response.content.decode())
    table = body[body.index("<tbody") : body.index("</tbody>")] if "<tbody" in body else ""
    rows = re.findall(r"<tr class=\"nhsuk-table__row\"[^>]*>(.*?)</tr>", table, flags=re.S)
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S) for row in rows]
    return [
        (html.unescape(re.sub(r"<[^>]+>", "", c[0]).strip()), html.unescape(re.sub(r"<[^>]+>", "", c[2]).strip()))
        for c in cells
    ]


def test_the_page_lists_exactly_the_gaps_a_direct_computation_finds(client_for, register):
    expected = expected_gaps()
    statuses = {status for _, _, status in expected}
    assert statuses == {"Missing", "In progress", "Expired"}  # the register exercises every kind of gap
    assert any(item == LEVEL_NOT_ASSESSED_LABEL for _, item, _ in expected)
    client = client_for(Role.AUDITOR)

    assert as_set(exported(client)) == expected
    assert as_set(exported(client, "xlsx")) == expected
    page = client.get(reverse("assurance:gaps"))
    assert f"Showing 1 to 50 of {len(expected)} IG gaps" in page.content.decode()
    closed = Partnership.objects.filter(status=Status.CLOSED).values_list("reference", flat=True)
    assert closed and not {ref for ref, _, _ in expected} & set(closed)


FILTERS = [
    ({"item": "dpia"}, lambda ref, item, status, p: item == I.DPIA.label),
    ({"item": "data_sharing_level"}, lambda ref, item, status, p: item == LEVEL_NOT_ASSESSED_LABEL),
    ({"status": "expired"}, lambda ref, item, status, p: status == "Expired"),
    ({"status": "in_progress"}, lambda ref, item, status, p: status == "In progress"),
    (
        {"status": "missing", "item": "partner_dspt"},
        lambda r, item, status, p: status == "Missing" and item.startswith("Partners"),
    ),
    ({"arrangement_type": "section_75"}, lambda ref, item, status, p: p.arrangement_type == "section_75"),
    ({"data_sharing": "special_category"}, lambda ref, item, status, p: p.data_sharing == "special_category"),
    ({"data_sharing": "not_assessed"}, lambda ref, item, status, p: p.data_sharing == ""),
    ({"q": "Partnership 001"}, lambda ref, item, status, p: p.title.startswith("Partnership 001")),
]


@pytest.mark.parametrize(("query", "keep"), FILTERS, ids=[str(f[0]) for f in FILTERS])
def test_each_filter_shows_and_exports_only_the_matching_gaps(client_for, register, query, keep):
    partnerships = {p.reference: p for p in Partnership.objects.all()}
    expected = {row for row in expected_gaps() if keep(*row, partnerships[row[0]])}
    assert expected
    client = client_for(Role.COORDINATOR)
    assert as_set(exported(client, **query)) == expected
    assert as_set(exported(client, "xlsx", **query)) == expected
    body = client.get(reverse("assurance:gaps"), query).content.decode()
    assert f"of {len(expected)} IG gap" in body or f"Showing 1 to {len(expected)} of {len(expected)}" in body


def test_the_lead_filter(client_for, register):
    lead = register.leads[1]
    expected = expected_gaps(Partnership.objects.filter(lead=lead))
    assert expected
    assert as_set(exported(client_for(Role.EXECUTIVE), lead=lead.pk)) == expected


def test_a_bad_filter_value_shows_no_rows_says_so_and_downloads_nothing(client_for, register):
    response = client_for(Role.COORDINATOR).get(reverse("assurance:gaps"), {"status": "in_place"})
    assert response.status_code == 400
    assert "Check the filters" in response.content.decode()
    assert shown(response) == []
    export = client_for(Role.COORDINATOR).get(reverse("assurance:gaps"), {"status": "in_place", "export": "csv"})
    assert export.status_code == 400
    assert "Content-Disposition" not in export


def test_the_page_sorts_and_pages_in_the_database(client_for, register):
    client = client_for(Role.COORDINATOR)
    expected = expected_gaps()
    order = {item: n for n, item in enumerate([LEVEL_NOT_ASSESSED_LABEL, *(i.label for i in IGItemType)])}
    by_reference = sorted(((ref, item) for ref, item, _ in expected), key=lambda r: (r[0], order[r[1]]))
    assert shown(client.get(reverse("assurance:gaps"))) == by_reference[:50]
    assert shown(client.get(reverse("assurance:gaps"), {"page": 2})) == by_reference[50:100]

    descending = sorted(((ref, item) for ref, item, _ in expected), key=lambda r: (r[0], order[r[1]]), reverse=True)
    assert shown(client.get(reverse("assurance:gaps"), {"sort": "-reference"})) == descending[:50]

    # The last page (read in reverse, with the total, in one query), asked for or past the end.
    last = by_reference[(len(by_reference) - 1) // 50 * 50 :]
    assert 0 < len(last) < 50, "the register ends on a part page"
    for page in ("last", 9999):
        response = client.get(reverse("assurance:gaps"), {"page": page})
        assert shown(response) == last
        assert f"of {len(expected)} IG gaps" in response.content.decode()
    last_descending = descending[(len(descending) - 1) // 50 * 50 :]
    assert shown(client.get(reverse("assurance:gaps"), {"sort": "-reference", "page": "last"})) == last_descending

    by_status = client.get(reverse("assurance:gaps"), {"sort": "ig_status", "status": ""})
    statuses = [
        status for ref, item, status in sorted(expected, key=lambda r: (r[2] != "Expired", r[2] != "In progress"))
    ]
    first = shown(by_status)[0]
    assert next(s for r, i, s in expected if (r, i) == first) == statuses[0] == "Expired"


def test_the_register_filter_agrees_with_the_gaps(client_for, register):
    with_gaps = {ref for ref, _, _ in expected_gaps()}
    everything = set(Partnership.objects.values_list("reference", flat=True))
    client = client_for(Role.BOARD_MEMBER)

    def listed(value):
        response = client.get(reverse("partnerships:list"), {"ig_gaps": value, "export": "csv"})
        return {record["Reference"] for record in read_records(response)}

    assert listed("any") == with_gaps
    assert listed("none") == everything - with_gaps
    assert with_gaps and everything - with_gaps

"""The IG gaps page, its exports and the register's "IG gaps" filter, against a direct computation.

A varied register (every arrangement type and level of data sharing, partners at every DSPT
status, IG records and agreements in every state, closed partnerships) is built; the expected
gaps are computed partnership by partnership with the partnership page's own rules
(``partnership_ig``), and the page, each filter, the sort, the pages and the exports must show
exactly those. The page and the filter must cost the same number of queries for 10 partnerships
as for 200.
"""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import AgreementKind, AgreementStatus
from assurance.models import Assurance, IGItemType, RecordedStatus
from assurance.selectors import LEVEL_NOT_ASSESSED_LABEL, partnership_ig
from assurance.tests.builders import DAY, agreement, last_year, organisation, partnership, record, today
from core.roles import Role
from partnerships.models import ArrangementType, DataSharing, Partnership, Status
from partnerships.views import PartnershipDetailView
from tests.spreadsheets import read_records
from tests.text import without_cell_headings
from tests.world import make_user

I = IGItemType  # noqa: E741
LEVELS = ["", *DataSharing.values]
DSPT = [
    ("standards_met", None),
    ("standards_exceeded", None),
    ("", ""),
    ("approaching_standards", None),
    ("standards_met", "stale"),
    ("not_published", None),
    ("standards_not_met", None),
]


class Register:
    """A register that can grow, each partnership's situation chosen by its index."""

    def __init__(self):
        self.leads = [
            make_user(f"lead{i}", role=Role.LEAD, first_name=f"Lead{i}", last_name="Person") for i in range(4)
        ]
        self.partners = [
            organisation(f"Partner {n}", status, last_year() if year == "stale" else year)
            for n, (status, year) in enumerate(DSPT)
        ]
        self.size = 0

    def grow_to(self, total):
        for n in range(self.size, total):
            self.add(n)
        self.size = total

    def add(self, n):
        arrangement_type = list(ArrangementType)[n % len(ArrangementType)]
        level = LEVELS[(n // 3) % len(LEVELS)]
        status = Status.CLOSED if n % 13 == 12 else Status.ACTIVE
        partners = [self.partners[n % len(self.partners)]] if n % 11 else []
        if n % 4 == 0:
            partners.append(self.partners[(n // 4) % len(self.partners)])
        p = partnership(
            arrangement_type,
            level,
            partners=list({o.pk: o for o in partners}.values()),
            lead=self.leads[n % len(self.leads)] if n % 7 else None,
            status=status,
            reference=f"P-{n:04d}",
            title=f"Partnership {n:04d}",
        )
        variant = n % 6
        if variant == 1:
            record(p, I.ISA)
            record(p, I.DPIA, RecordedStatus.IN_PROGRESS)
        elif variant == 2:
            record(p, I.DPIA, review_on=today())  # expiry today: still in place
            record(p, I.ROPA, review_on=today() - DAY)  # expired yesterday
            agreement(p, AgreementKind.INFORMATION_SHARING, AgreementStatus.DRAFT)
        elif variant == 3:
            agreement(p, AgreementKind.INFORMATION_SHARING, AgreementStatus.IN_FORCE, today() + 30 * DAY)
            agreement(p, AgreementKind.DATA_PROCESSING, AgreementStatus.SUPERSEDED)
            record(p, I.PRIVACY_NOTICE)
        elif variant == 4:
            agreement(p, AgreementKind.INFORMATION_SHARING, AgreementStatus.IN_FORCE, today() - DAY)
            for item in (I.DPIA, I.JOINT_CONTROLLER, I.CALDICOTT, I.PRIVACY_NOTICE, I.ROPA, I.DPA):
                record(p, item)
        return p


@pytest.fixture
def register(db, users):
    r = Register()
    r.grow_to(60)
    return r


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


def count_queries(client, url, query):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, query)
    assert response.status_code == 200
    return len(captured), response


@pytest.mark.parametrize(
    ("url_name", "query"),
    [
        ("assurance:gaps", {}),
        ("assurance:gaps", {"status": "missing", "data_sharing": "personal", "sort": "-lead"}),
        ("assurance:gaps", {"export": "csv"}),
        ("partnerships:list", {"ig_gaps": "any"}),
        ("partnerships:list", {"ig_gaps": "none"}),
    ],
)
def test_queries_do_not_grow_with_the_register(client_for, db, users, url_name, query):
    register = Register()
    client = client_for(Role.COORDINATOR)
    url = reverse(url_name)
    register.grow_to(10)
    small, response = count_queries(client, url, query)
    assert rows_of(response)  # an empty page cannot pass for a cheap one
    register.grow_to(200)
    large, response = count_queries(client, url, query)
    assert len(rows_of(response)) > 10 or "export" not in query
    assert small == large, f"{small} queries for 10 partnerships, {large} for 200"


def rows_of(response):
    if response.get("Content-Disposition", "").startswith("attachment"):
        return read_records(response)
    body = response.content.decode()
    if "<tbody" not in body:
        return []
    return re.findall(r'<tr class="nhsuk-table__row"', body[body.index("<tbody") : body.index("</tbody>")])


def test_a_partnership_page_costs_the_same_with_one_ig_item_or_every_one(client_for, db, users):
    from assurance.tests.builders import organisation as org

    p = partnership(ArrangementType.SECTION_75, "special_category", partners=[org("Oxfordshire County Council")])
    record(p, I.ISA)
    client = client_for(Role.LEAD)
    url = p.get_absolute_url()
    small, _ = count_queries(client, url, {})
    for n, item in enumerate((I.DPIA, I.DPA, I.JOINT_CONTROLLER, I.CALDICOTT, I.PRIVACY_NOTICE, I.ROPA)):
        record(p, item)
        org(f"Partner {n}", "standards_met").partner_roles.create(partnership=p)
    for _ in range(3):
        agreement(p, AgreementKind.INFORMATION_SHARING, AgreementStatus.IN_FORCE)
    large, response = count_queries(client, url, {})
    assert small == large, f"{small} queries with one IG item, {large} with all"
    assert response.content.decode().count('data-ig-item="') == 7  # the DPA is recorded but not required

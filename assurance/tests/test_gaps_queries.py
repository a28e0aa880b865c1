"""The IG gaps page and the register's "IG gaps" filter cost the same number of queries for 10
partnerships as for 200, and a partnership page the same with one IG item or every one (in a module
of its own: each test grows a register of its own, which ``test_gaps.py``'s shared one would meet)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import AgreementKind, AgreementStatus
from assurance.tests.builders import I, Register, agreement, partnership, record
from core.roles import Role
from partnerships.models import ArrangementType
from tests.spreadsheets import read_records


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

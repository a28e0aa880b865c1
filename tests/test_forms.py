"""Bad input on every form of the register: a 400 page with the NHS.UK error summary, nothing written.

For each case the page must answer 400, title itself "Error: …", list every problem in the error
summary with a link to the field that has it (an element that exists on the page), show the same
message next to the field, and leave every Accord table, audit trail included, untouched.
"""

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from core.views import ObjectEditView
from partnerships.models import PartnerRole
from tests.test_permission_matrix import url_patterns, view_class
from tests.world import build_world, database_state, organisation_form_data, partnership_form_data

REQUIRED = "This field is required."


@dataclass(frozen=True)
class Case:
    page: str
    args: Callable
    data: Callable
    errors: dict  # field -> (part of) the message shown for it
    role: str = "coordinator"
    setup: Callable | None = None


def new_partnership(**changes):
    data = {
        "title": "Oxfordshire Carer Alliance",
        "arrangement_type": "alliance",
        "status": "proposed",
        "value_qualifier": "exact",
    }
    data.update(changes)
    return lambda w: data


def partnership(**changes):
    return lambda w: partnership_form_data(w.partnership, **changes)


def organisation(**changes):
    return lambda w: organisation_form_data(w.spare_org, **changes)


def add_second_partner(w):
    PartnerRole.objects.create(partnership=w.partnership, organisation=w.spare_org, role="member")


NOT_A_DATE = "Enter a real date, day first, for example 30/03/2022."
END_BEFORE_START = "The end date must be the same as or after the start date."

CASES = {
    "partnership: nothing filled in": Case(
        "partnerships:add",
        lambda w: [],
        lambda w: {},
        {
            "title": "Enter the name of the partnership.",
            "arrangement_type": "Choose the type of arrangement.",
            "status": "Choose the status of the partnership.",
            "value_qualifier": "Choose whether the annual value is exact",
        },
    ),
    "partnership: words for money and impossible dates": Case(
        "partnerships:add",
        lambda w: [],
        new_partnership(annual_value="about 2 million", start_date="31/02/2024", next_review_date="next spring"),
        {
            "annual_value": "Enter the annual value in pounds as a number, for example 750000.",
            "start_date": NOT_A_DATE,
            "next_review_date": NOT_A_DATE,
        },
    ),
    "partnership: end before start, and a qualifier with no value": Case(
        "partnerships:add",
        lambda w: [],
        new_partnership(start_date="01/04/2022", end_date="31/03/2022", value_qualifier="approximate"),
        {"end_date": END_BEFORE_START, "value_qualifier": "needs an annual value"},
    ),
    "partnership: a negative value": Case(
        "partnerships:add",
        lambda w: [],
        new_partnership(annual_value="-5000"),
        {"annual_value": "Enter an annual value of £0 or more, or leave it blank if not known."},
    ),
    "partnership: a reference already used": Case(
        "partnerships:add",
        lambda w: [],
        new_partnership(reference="P-0002"),
        {"reference": "The reference P-0002 is already used by another partnership."},
    ),
    "partnership: a strategic objective that does not exist": Case(
        "partnerships:add",
        lambda w: [],
        new_partnership(strategic_objectives=["999999"]),
        {"strategic_objectives": "Select a valid choice."},
    ),
    "partnership edit: title removed": Case(
        "partnerships:edit",
        lambda w: [w.partnership.pk],
        partnership(title=""),
        {"title": "Enter the name of the partnership."},
    ),
    "partnership edit: end before start": Case(
        "partnerships:edit",
        lambda w: [w.partnership.pk],
        partnership(end_date="01/01/2019"),
        {"end_date": END_BEFORE_START},
    ),
    "partnership edit by its lead: end before start": Case(
        "partnerships:edit",
        lambda w: [w.partnership.pk],
        partnership(end_date="01/01/2019", title=""),
        {"end_date": END_BEFORE_START, "title": "Enter the name of the partnership."},
        role="owner",
    ),
    "partnership edit: closed with no end date": Case(
        "partnerships:edit",
        lambda w: [w.partnership.pk],
        partnership(status="closed"),
        {"end_date": "a closed partnership needs an end date"},
    ),
    "close: no end date": Case(
        "partnerships:close",
        lambda w: [w.partnership.pk],
        lambda w: {"end_date": ""},
        {"end_date": "Enter the date the partnership ended."},
    ),
    "close: an end date before the start": Case(
        "partnerships:close",
        lambda w: [w.partnership.pk],
        lambda w: {"end_date": "31/03/2020"},
        {"end_date": END_BEFORE_START},
    ),
    "close: not a date": Case(
        "partnerships:close",
        lambda w: [w.partnership.pk],
        lambda w: {"end_date": "end of March"},
        {"end_date": NOT_A_DATE},
    ),
    "partner: the same organisation twice": Case(
        "partnerships:partner_add",
        lambda w: [w.partnership.pk],
        lambda w: {"organisation": w.partner_org.pk, "role": "funder"},
        {"organisation": "Oxford University Hospitals NHS Foundation Trust is already a partner in this partnership."},
        role="owner",
    ),
    "partner: none chosen": Case(
        "partnerships:partner_add",
        lambda w: [w.partnership.pk],
        lambda w: {"organisation": "", "role": "member"},
        {"organisation": "Choose the partner organisation."},
    ),
    "partner: the trust itself": Case(
        "partnerships:partner_add",
        lambda w: [w.partnership.pk],
        lambda w: {"organisation": w.home_trust.pk, "role": "member"},
        {"organisation": "Select a valid choice."},
    ),
    "partner edit: changed to an organisation already a partner": Case(
        "partnerships:partner_edit",
        lambda w: [w.partner_role.pk],
        lambda w: {"organisation": w.spare_org.pk, "role": "member"},
        {"organisation": "Oxfordshire Carers Forum is already a partner in this partnership."},
        setup=add_second_partner,
    ),
    "headline: nothing filled in": Case(
        "partnerships:headline_add",
        lambda w: [w.partnership.pk],
        lambda w: {"date": "", "text": "  "},
        {"date": "Enter the date of the headline.", "text": "Enter the headline."},
        role="delegate",
    ),
    "headline: not a date": Case(
        "partnerships:headline_add",
        lambda w: [w.partnership.pk],
        lambda w: {"date": "32/01/2024", "text": "Contract signed."},
        {"date": NOT_A_DATE},
    ),
    "headline edit: text removed": Case(
        "partnerships:headline_edit",
        lambda w: [w.headline.pk],
        lambda w: {"date": "01/03/2024", "text": ""},
        {"text": "Enter the headline."},
        role="owner",
    ),
    "organisation: nothing filled in": Case(
        "organisations:add",
        lambda w: [],
        lambda w: {},
        {"name": "Enter the organisation's name.", "kind": "Choose the kind of organisation."},
    ),
    "organisation: bad ODS code and web address": Case(
        "organisations:add",
        lambda w: [],
        lambda w: {"name": "Banbury Hub", "kind": "vcse", "ods_code": "R N U", "website": "not a website"},
        {"ods_code": "Enter an ODS code in the NHS format", "website": "Enter a full web address"},
    ),
    "organisation: a name already on the register": Case(
        "organisations:add",
        lambda w: [],
        lambda w: {"name": " southern HEALTH nhs foundation trust", "kind": "nhs_trust"},
        {"name": "is already on the register."},
    ),
    "organisation edit: another organisation's ODS code": Case(
        "organisations:edit",
        lambda w: [w.spare_org.pk],
        organisation(ods_code="rth"),
        {"ods_code": "Another organisation already has the ODS code RTH."},
    ),
    "organisation edit: a second home trust": Case(
        "organisations:edit",
        lambda w: [w.spare_org.pk],
        organisation(is_home_trust="on"),
        {"is_home_trust": "Another organisation is already marked as the home trust."},
    ),
    "organisation edit: name removed": Case(
        "organisations:edit",
        lambda w: [w.spare_org.pk],
        organisation(name=""),
        {"name": "Enter the organisation's name."},
    ),
}


@pytest.fixture
def world(db):
    return build_world()


def text(fragment):
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def error_summary(body):
    """[(link target, message)] of the page's error summary."""
    match = re.search(r'<div class="nhsuk-error-summary".*?</ul>', body, flags=re.S)
    assert match, "the page has an NHS.UK error summary"
    assert "There is a problem" in match.group(0)
    return [
        (href, text(label)) for href, label in re.findall(r'<a href="#([^"]+)">(.*?)</a>', match.group(0), flags=re.S)
    ]


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_is_explained_and_nothing_is_written(client, world, name):
    case = CASES[name]
    if case.setup:
        case.setup(world)
    client.force_login(world.user(case.role))
    before = database_state()

    response = client.post(reverse(case.page, args=case.args(world)), case.data(world))

    assert response.status_code == 400
    body = response.content.decode()
    assert re.search(r"<title>\s*Error: ", body), "the page title starts with Error:"
    links = error_summary(body)
    for target, message in links:
        assert f'id="{target}"' in body, f"the summary links to #{target}, which is not on the page"
        assert message != REQUIRED, "say what is missing, not just that something is"
    by_field = {}
    for target, message in links:
        field = re.sub(r"^id_|_\d+$", "", target)
        by_field.setdefault(field, []).append(message)
    assert set(by_field) == set(case.errors), by_field
    for field, expected in case.errors.items():
        assert any(expected in m for m in by_field[field]), (field, by_field[field])
        inline = re.search(
            rf'<span class="nhsuk-error-message" id="id_{field}-error">(.*?)</span>\s*(?:</div>|<)', body, flags=re.S
        )
        assert inline and expected in text(inline.group(1)), f"{field}: the message is shown next to the field too"
    assert database_state() == before


def test_every_register_form_page_has_a_bad_input_case():
    """A form page added to the register (an add or edit page) gets a case here too."""
    register_forms = {
        name
        for name, pattern in url_patterns()
        if name.split(":")[0] in ("partnerships", "organisations")
        and view_class(pattern)
        and issubclass(view_class(pattern), ObjectEditView)
    }
    assert register_forms == {c.page for c in CASES.values()}

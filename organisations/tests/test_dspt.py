"""An organisation's DSPT status and assessment year: recorded with the organisation, shown and
filtered, and treated as not current once older than the assessment expected: the newest year
whose deadline (30 June after the year ends, the date in Europe/London) has passed."""

import datetime
import html
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.audit import audit_context
from core.dates import local_today
from core.roles import Role
from organisations.dspt import (
    DsptStatus,
    assessment,
    assessment_conditions,
    deadline,
    expected_year,
    financial_year,
    is_current_year,
    validate_year,
    year_starting,
)
from organisations.models import Organisation, OrganisationKind
from tests.world import database_state, organisation_form_data

UTC = datetime.UTC
D = datetime.date


# --- the financial year: one rule, across 31 March / 1 April ------------------------------------


@pytest.mark.parametrize(
    ("today", "year"),
    [
        (D(2025, 3, 31), "2024-25"),
        (D(2025, 4, 1), "2025-26"),
        (D(2025, 1, 1), "2024-25"),
        (D(2025, 12, 31), "2025-26"),
        (D(2000, 3, 31), "1999-00"),
        (D(2000, 4, 1), "2000-01"),
    ],
)
def test_the_financial_year_runs_from_april_to_march(today, year):
    assert financial_year(today) == year


@pytest.mark.parametrize(
    ("year", "due"),
    [("2024-25", D(2025, 6, 30)), ("2025-26", D(2026, 6, 30)), ("1999-00", D(2000, 6, 30))],
)
def test_a_years_assessment_is_due_by_30_june_after_the_year_ends(year, due):
    assert deadline(year) == due


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2026, 6, 30), "2024-25"),  # the 2025-26 deadline is today: 2024-25 still stands
        (D(2026, 7, 1), "2025-26"),
        (D(2026, 11, 23), "2025-26"),  # in 2026-27 no one can yet hold a 2026-27 assessment
        (D(2027, 3, 31), "2025-26"),
        (D(2027, 4, 1), "2025-26"),  # a new financial year, but 2026-27 is not due until 30 June 2027
        (D(2000, 7, 1), "1999-00"),
    ],
)
def test_the_assessment_expected_is_the_newest_whose_deadline_has_passed(today, expected):
    assert expected_year(today) == expected


def test_an_assessment_is_current_until_the_next_one_is_due_and_not_the_day_after():
    assert is_current_year("2024-25", D(2026, 6, 30))
    assert not is_current_year("2024-25", D(2026, 7, 1))
    assert is_current_year("2025-26", D(2026, 7, 1))
    assert is_current_year("2026-27", D(2026, 11, 23))  # submitted early: newer is current too
    assert not is_current_year("2023-24", D(2026, 6, 30))
    assert not is_current_year("", D(2026, 6, 30))


def test_the_day_is_the_date_in_london_not_utc():
    # 23:30 UTC on 30 June 2026 is 00:30 on 1 July in London (British Summer Time).
    late_evening_utc = datetime.datetime(2026, 6, 30, 23, 30, tzinfo=UTC)
    assert local_today(late_evening_utc) == D(2026, 7, 1)
    assert not is_current_year("2024-25", local_today(late_evening_utc))
    # In winter London keeps UTC: 23:30 UTC on 31 January is still 31 January.
    assert local_today(datetime.datetime(2025, 1, 31, 23, 30, tzinfo=UTC)) == D(2025, 1, 31)


@pytest.mark.parametrize("year", ["2024-25", "1999-00", "2025-26"])
def test_years_written_yyyy_yy_with_consecutive_years_are_accepted(year):
    validate_year(year)


@pytest.mark.parametrize("year", ["2024-26", "2024/25", "24-25", "2024-2025", "2024", "2024-5", " 2024-25x"])
def test_other_ways_of_writing_a_year_are_refused(year):
    with pytest.raises(ValidationError, match="financial year, for example 2024-25"):
        validate_year(year)


# --- the rule in Python and in SQL agree --------------------------------------------------------

STATUSES = ["", *DsptStatus.values]
YEARS = ["", "2023-24", "2024-25", "2025-26"]
DAYS = [D(2026, 6, 30), D(2026, 7, 1)]


@pytest.mark.django_db
def test_the_sql_conditions_agree_with_the_python_rule_for_every_status_year_and_day():
    orgs = Organisation.objects.bulk_create(
        Organisation(name=f"Partner {n}", name_key=f"partner {n}", dspt_status=status, dspt_year=year)
        for n, (status, year) in enumerate((s, y) for s in STATUSES for y in YEARS)
    )
    for today in DAYS:
        python = {org.pk: assessment(org.dspt_status, org.dspt_year, today) for org in orgs}
        sql = {}
        for outcome, condition in assessment_conditions(today).items():
            for pk in Organisation.objects.filter(condition).values_list("pk", flat=True):
                assert pk not in sql, "an organisation matched two outcomes"
                sql[pk] = outcome
        assert sql == python


def test_what_each_status_means_for_assurance():
    today = D(2026, 6, 30)
    assert assessment("standards_exceeded", "2024-25", today) == "in_place"
    assert assessment("standards_met", "2024-25", today) == "in_place"
    assert assessment("approaching_standards", "2024-25", today) == "in_progress"
    assert assessment("standards_met", "2023-24", today) == "expired"
    assert assessment("standards_not_met", "2024-25", today) == "missing"
    assert assessment("not_published", "2024-25", today) == "missing"
    assert assessment("", "", today) == "missing"
    assert assessment("standards_met", "2024-25", D(2026, 7, 1)) == "expired"


# --- recorded with the organisation --------------------------------------------------------------


@pytest.fixture
def org(db):
    with audit_context(source="test"):
        return Organisation.objects.create(
            name="Oxfordshire Mind", kind=OrganisationKind.VCSE, charity_number="1088315"
        )


def page_text(response):
    return html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_coordinator_records_a_dspt_status_and_it_shows_on_the_organisation_page(client_for, org):
    client = client_for(Role.COORDINATOR)
    year = expected_year(local_today())
    data = organisation_form_data(org, dspt_status="standards_met", dspt_year=year, postcode="ox4 1xb")

    response = client.post(reverse("organisations:edit", args=[org.pk]), data)

    assert response.status_code == 302
    org.refresh_from_db()
    assert (org.dspt_status, org.dspt_year, org.postcode) == ("standards_met", year, "OX4 1XB")
    text = " ".join(page_text(client.get(org.get_absolute_url())).split())
    assert f"DSPT status Standards Met ({year})" in text
    assert "Not current" not in text


def test_a_status_older_than_the_one_expected_shows_as_not_current_and_says_why(client_for, org):
    expected = expected_year(local_today())
    older = year_starting(int(expected[:4]) - 1)
    org.dspt_status, org.dspt_year = "standards_exceeded", older
    org.save()
    text = " ".join(page_text(client_for(Role.BOARD_MEMBER).get(org.get_absolute_url())).split())
    due = deadline(expected)
    assert f"Standards Exceeded ({older}) Not current" in text
    assert f"the {expected} assessment was due by 30 June {due.year}" in text


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"dspt_status": "standards_met", "dspt_year": "2024/25"}, "dspt_year", "for example 2024-25"),
        ({"dspt_status": "standards_met", "dspt_year": "2024-26"}, "dspt_year", "for example 2024-25"),
        ({"dspt_status": "standards_met", "dspt_year": ""}, "dspt_year", "Enter the year of the DSPT assessment"),
        ({"dspt_status": "", "dspt_year": "2024-25"}, "dspt_status", "Choose the DSPT status published"),
        ({"dspt_status": "standards_met", "dspt_year": "2099-00"}, "dspt_year", "cannot be later than this financial"),
        ({"dspt_status": "standards_very_good", "dspt_year": "2024-25"}, "dspt_status", "Select a valid choice"),
    ],
)
def test_bad_dspt_input_is_refused_with_the_error_summary_and_nothing_written(client_for, org, changes, field, message):
    client = client_for(Role.COORDINATOR)
    before = database_state()

    response = client.post(reverse("organisations:edit", args=[org.pk]), organisation_form_data(org, **changes))

    assert response.status_code == 400
    body = html.unescape(response.content.decode())
    assert "There is a problem" in body
    assert f'href="#id_{field}"' in body
    assert message in body
    assert database_state() == before


def test_a_lead_cannot_change_an_organisations_dspt_status(client_for, org):
    client = client_for(Role.LEAD)
    before = database_state()
    data = organisation_form_data(org, dspt_status="standards_met", dspt_year=expected_year(local_today()))
    assert client.post(reverse("organisations:edit", args=[org.pk]), data).status_code == 403
    assert database_state() == before


def test_the_organisations_list_filters_by_dspt_status_and_currency(client_for, db):
    this_year = expected_year(local_today())
    with audit_context(source="test"):
        for name, status, year in [
            ("Current Met", "standards_met", this_year),
            ("Stale Met", "standards_met", "2019-20"),
            ("Current Approaching", "approaching_standards", this_year),
            ("Nothing Recorded", "", ""),
        ]:
            Organisation.objects.create(name=name, dspt_status=status, dspt_year=year)
    client = client_for(Role.EXECUTIVE)

    def listed(**query):
        body = client.get(reverse("organisations:list"), query).content.decode()
        return {n for n in ("Current Met", "Stale Met", "Current Approaching", "Nothing Recorded") if n in body}

    assert listed(dspt_status="standards_met") == {"Current Met", "Stale Met"}
    assert listed(dspt_status="not_recorded") == {"Nothing Recorded"}
    assert listed(dspt_current="current") == {"Current Met", "Current Approaching"}
    assert listed(dspt_current="not_current") == {"Stale Met"}
    assert listed(dspt_status="standards_met", dspt_current="not_current") == {"Stale Met"}

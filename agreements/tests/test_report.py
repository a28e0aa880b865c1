"""The agreements' part of the board report: what it collects, writes and finds changed."""

import datetime

import pytest

from agreements import services
from agreements.tests import builders as b
from tests.report_parts import assert_json_ready, assert_pure, collect_bounded, part, text_of

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2024, 1, 15)  # 76 days before the builders' term end, 31 March 2024
SINCE = datetime.date(2023, 10, 2)


@pytest.fixture
def orgs():
    return b.organisation("Oxford Health NHS Foundation Trust", "RNU"), b.organisation("Oxfordshire Mind")


def make(reference, orgs, state="in_force", term_end_date=b.TERM_END):
    a = b.agreement(b.partnership(reference), orgs, title=f"MoU {reference}", term_end_date=term_end_date)
    if state == "in_force":
        b.in_force(a)
    elif state == "approved":
        b.approved(a)
    return a


def test_collect_counts_in_force_awaiting_signature_and_expiring(orgs):
    make("P001", orgs)
    make("P002", orgs, term_end_date=datetime.date(2026, 3, 31))
    make("P003", orgs, state="approved")
    make("P004", orgs, state="draft")
    data = part("agreements").collect(AS_OF, SINCE)
    assert_json_ready(data)
    assert (data["in_force"], data["awaiting_signature"]) == (2, 1)
    assert [(r["reference"], r["term_end_date"]) for r in data["expiring"]] == [("P001", "2024-03-31")]
    assert {r["reference"] for r in data["in_force_agreements"]} == {"P001", "P002"}


def test_write_gives_the_figures_and_the_agreements_ending(orgs):
    make("P001", orgs)
    make("P003", orgs, state="approved")
    data = part("agreements").collect(AS_OF, SINCE)
    text = text_of(part("agreements").write(data))
    assert "1 agreement in force and 1 agreement approved and awaiting signature" in text
    assert "P001 | MoU P001 | 31 March 2024" in text
    assert ("Agreements in force", "1") in part("agreements").figures(data)
    assert "1 partnership agreement is in force; 1 of them ends within 90 days." in part("agreements").summary(data)
    assert_pure("agreements", data)


def test_write_an_empty_register():
    data = part("agreements").collect(AS_OF, None)
    text = text_of(part("agreements").write(data))
    assert part("agreements").summary(data) == ["No partnership agreements are in force; none ends within 90 days."]
    assert "no agreements in force" in text and "No agreement in force ends within 90 days." in text


def test_changes_name_the_agreements_signed_and_those_ended(orgs):
    ending = make("P001", orgs)
    make("P002", orgs)
    before = part("agreements").collect(AS_OF, SINCE)
    services.terminate(ending, AS_OF)
    make("P005", orgs)
    now = part("agreements").collect(AS_OF, SINCE)
    assert part("agreements").changes(before, now) == [
        "Agreement signed and in force: P005 MoU P005.",
        "Agreement no longer in force: P001 MoU P001.",
    ]
    assert part("agreements").changes({}, now)  # an older shape: everything reads as new
    assert_pure("agreements", now, before)


def test_collect_costs_the_same_whatever_the_registers_size(orgs, django_assert_max_num_queries):
    make("P001", orgs)

    def grow():
        for n in range(10):
            make(f"Q{n:03d}", orgs, state=("in_force", "approved")[n % 2])

    data = collect_bounded("agreements", (AS_OF, SINCE), grow, 3, django_assert_max_num_queries)
    assert data["in_force"] == 6

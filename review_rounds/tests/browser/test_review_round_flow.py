"""A review round in the browser: the coordinator launches it over every open partnership, a lead
confirms one partnership and proposes closing another (refused first without a reason), and the
coordinator sees the progress and closes the round; the pages have no serious accessibility
problems."""

import datetime

import pytest
from playwright.sync_api import expect

from core.dates import local_today
from partnerships.models import ArrangementType, Partnership, Status
from review_rounds.models import Outcome, ReviewTask
from tests.browser.conftest import follow_menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def register(users):
    lead = users["lead"]
    return [
        Partnership.objects.create(
            reference=reference, title=title, arrangement_type=ArrangementType.MOU, status=Status.ACTIVE, lead=lead
        )
        for reference, title in (("P-0001", "Thames Valley Forensic Network"), ("P-0002", "Oxfordshire Carers Hub"))
    ]


def test_a_round_is_launched_answered_and_closed(users, login, axe_violations, register, live_server):
    forensic, carers = register
    page = login(users["coordinator"])
    follow_menu(page, "Review rounds")
    page.get_by_role("link", name="Launch a review round").click()
    page.get_by_label("Title").fill("Register spring clean 2026")
    deadline = local_today() + datetime.timedelta(days=30)
    page.get_by_label("Deadline").fill(deadline.strftime("%d/%m/%Y"))
    page.get_by_label("All open partnerships").check()
    assert axe_violations() == []
    page.get_by_role("button", name="Launch the round").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register spring clean 2026")
    expect(page.get_by_text("0 of 2 responded (0%)")).to_be_visible()
    assert axe_violations() == []
    page.get_by_role("button", name="Log out").click()

    # The lead confirms one partnership from its page's "Register review" panel…
    page = login(users["lead"])
    page.goto(f"{live_server.url}{forensic.get_absolute_url()}")
    expect(page.get_by_role("heading", name="Register review")).to_be_visible()
    page.get_by_role("link", name="Respond to the review").click()
    page.get_by_label("Still accurate: confirm it").check()
    assert axe_violations() == []
    page.get_by_role("button", name="Send the response").click()
    expect(page.get_by_text("Response recorded for P-0001 Thames Valley Forensic Network")).to_be_visible()

    # …and proposes closing the other, with a reason once asked for one.
    page.goto(f"{live_server.url}{carers.get_absolute_url()}")
    page.get_by_role("link", name="Respond to the review").click()
    page.get_by_label("Propose closing it").check()
    page.get_by_role("button", name="Send the response").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_role("link", name="Say why the partnership should close.")).to_be_visible()
    assert axe_violations() == []
    page.get_by_label("Why it should close").fill("The hub moved to the county council in March.")
    page.get_by_role("button", name="Send the response").click()
    expect(page.get_by_text("Closure proposed").first).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    # The coordinator sees the progress and closes the round.
    page = login(users["coordinator"])
    follow_menu(page, "Review rounds")
    page.get_by_role("link", name="Register spring clean 2026").click()
    expect(page.get_by_text("2 of 2 responded (100%)")).to_be_visible()
    expect(page.get_by_text("Closure proposed: 1")).to_be_visible()
    page.get_by_role("link", name="Close the round").click()
    page.get_by_role("button", name="Close the round").click()
    expect(page.get_by_text("Review round closed: Register spring clean 2026")).to_be_visible()
    expect(page.locator(".nhsuk-summary-list")).to_contain_text("Closed")
    assert axe_violations() == []
    outcomes = dict(ReviewTask.objects.values_list("partnership__reference", "outcome"))
    assert outcomes == {"P-0001": Outcome.CONFIRMED, "P-0002": Outcome.CLOSURE_PROPOSED}

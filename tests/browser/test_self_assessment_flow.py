"""A self-assessment from issue to acceptance: the coordinator invites Oxfordshire Mind's partner
contributor and issues a questionnaire to Mind; the contributor accepts the invitation, answers
(told what is missing until the evidence is uploaded) and submits; the coordinator returns it with
a comment; the contributor resubmits; the coordinator accepts and the score and the action for the
"not met" finding appear on the contributor's page. Pages checked with axe-core."""

import datetime
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from organisations.models import Organisation
from self_assessments.tests.rows import make_version
from tests.world import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "copper-meadow-lantern-77"  # noqa: S105 - the test's own password
EMAIL = "rachel.green@oxfordshiremind.org.uk"


def log_in(page, live_server, username, password):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def open_assessment(page, live_server):
    page.goto(f"{live_server.url}/self-assessments/")
    page.get_by_role("link", name="Oxfordshire Mind").click()


def test_answer_submit_return_resubmit_accept(users, login, axe_violations, live_server):
    from conftest import TEST_PASSWORD

    mind = Organisation.objects.create(name="Oxfordshire Mind", kind="vcse")
    version = make_version("Governance self-assessment")
    policy, meetings, volunteers = (q.text for q in version.sections.first().questions.order_by("position"))

    # The coordinator invites Mind's contributor and issues the questionnaire to Mind.
    page = login(users["coordinator"])
    page.goto(f"{live_server.url}{mind.get_absolute_url()}")
    page.get_by_role("link", name="Invite a partner contributor").click()
    page.get_by_label("First name").fill("Rachel")
    page.get_by_label("Last name").fill("Green")
    page.get_by_label("E-mail address").fill(EMAIL)
    page.get_by_role("button", name="Send the invitation").click()
    page.goto(f"{live_server.url}/self-assessments/issue/")
    assert axe_violations() == []
    page.get_by_label("Questionnaire").select_option(label=str(version))
    page.get_by_label("Organisations").select_option(label="Oxfordshire Mind")
    due = datetime.date.today() + datetime.timedelta(days=28)
    page.get_by_label("Due date").fill(due.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Issue").click()
    expect(page.get_by_text("Issued to 1 organisation")).to_be_visible()

    # The contributor accepts the invitation, answers, is told the evidence is missing, uploads it, submits.
    page.context.clear_cookies()
    [message] = mail.outbox
    page.goto(re.search(r"(https?://\S+/invitation/\S+)", message.body).group(1))
    page.get_by_label("Choose a password").fill(PASSWORD)
    page.get_by_label("Confirm the password").fill(PASSWORD)
    page.get_by_role("button", name="Set my password").click()
    log_in(page, live_server, EMAIL, PASSWORD)
    page.get_by_role("link", name="Self-assessments").click()
    page.get_by_role("link", name="Oxfordshire Mind").click()
    page.get_by_role("link", name="Answer the questions").click()
    assert axe_violations() == []
    page.get_by_role("group", name=policy).get_by_label("Yes").check()
    page.get_by_role("group", name=meetings).get_by_label("Your answer").fill("Every two months, minuted.")
    page.get_by_role("button", name="Submit to the trust").click()
    missing = page.locator("#missing")
    expect(missing).to_contain_text(f"{policy} needs evidence.")
    expect(missing).not_to_contain_text(meetings)
    page.get_by_role("button", name=f"Save and upload evidence for: {policy}").click()
    page.get_by_label("Evidence").set_input_files(
        {"name": "Safeguarding adults policy.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("Evidence added: Safeguarding adults policy.pdf")).to_be_visible()
    page.get_by_role("button", name="Submit to the trust").click()
    expect(page.get_by_text("Self-assessment submitted to the trust for review.")).to_be_visible()
    expect(page.locator("strong.nhsuk-tag").first).to_have_text("Submitted")

    # The coordinator returns it with a comment.
    log_in(page, live_server, users["coordinator"].username, TEST_PASSWORD)
    open_assessment(page, live_server)
    page.get_by_role("link", name="Review the answers").click()
    assert axe_violations() == []
    page.get_by_label("Comment for the organisation").fill("Please say who chairs the meetings.")
    page.get_by_role("button", name="Return with comment").click()
    expect(page.get_by_text("Returned to the organisation with your comment.")).to_be_visible()

    # The contributor reads the comment, changes the answer and resubmits.
    log_in(page, live_server, EMAIL, PASSWORD)
    open_assessment(page, live_server)
    expect(page.locator("#return-comment")).to_contain_text("Please say who chairs the meetings.")
    page.get_by_role("link", name="Answer the questions").click()
    page.get_by_role("group", name=meetings).get_by_label("Your answer").fill(
        "Every two months, chaired by the chair of trustees, minuted."
    )
    page.get_by_role("button", name="Submit to the trust").click()
    expect(page.locator("strong.nhsuk-tag").first).to_have_text("Resubmitted")

    # The coordinator records the findings and accepts: the score and the action appear.
    log_in(page, live_server, users["coordinator"].username, TEST_PASSWORD)
    open_assessment(page, live_server)
    page.get_by_role("link", name="Review the answers").click()
    page.get_by_label(f"Finding for: {policy}").select_option(label="Not met")
    page.get_by_label(f"Finding for: {meetings}").select_option(label="Met")
    page.get_by_label(f"Finding for: {volunteers}").select_option(label="Not applicable")
    page.get_by_label("Owner of the actions").fill("Chief executive, Oxfordshire Mind")
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_text("Self-assessment accepted.")).to_be_visible()
    expect(page.locator("#score")).to_have_text("50.0%")

    log_in(page, live_server, EMAIL, PASSWORD)
    open_assessment(page, live_server)
    expect(page.locator("#score")).to_have_text("50.0%")
    actions = page.locator("#actions + table")
    expect(actions).to_contain_text(f"Put in place: {policy}")
    expect(actions).to_contain_text("Chief executive, Oxfordshire Mind")
    expect(actions).to_contain_text("Open")
    assert axe_violations() == []

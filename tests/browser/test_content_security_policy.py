"""Under the strict Content-Security-Policy the main pages break no rule and still work: Accord's
scripts run from its own files, htmx filters the register, and a filter it refuses says why."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from conftest import TEST_PASSWORD
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Listens from before any script of the page runs (the browser's own injection, not a <script>).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.__cspViolations.push(`${event.violatedDirective}: ${event.blockedURI} (${where})`);
});
"""


@pytest.fixture
def world(db, settings, tmp_path):
    settings.DOCUMENT_STORAGE_DIR = tmp_path / "documents"
    return build_world(everything=True)


@pytest.fixture
def signed_in(page, live_server, world):
    """The administrator signed in through the login page, every violation and console error kept."""
    administrator = world.user("administrator")
    administrator.set_password(TEST_PASSWORD)
    administrator.save()
    problems = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{live_server.url}{reverse('login')}")
    page.get_by_label("Username").fill(administrator.username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return page, problems


def violations(page):
    return page.evaluate("window.__cspViolations")


def test_the_main_pages_break_no_rule_of_the_policy(signed_in, live_server, world):
    page, problems = signed_in
    paths = [
        reverse("partnerships:list"),
        world.partnership.get_absolute_url(),
        reverse("partnerships:edit", args=[world.partnership.pk]),
        reverse("partnerships:history", args=[world.partnership.pk]),
        world.draft_agreement.get_absolute_url(),
        reverse("agreements:list"),
        reverse("risks:heatmap"),
        reverse("risks:profile", args=[world.partnership.pk]),
        reverse("risks:detail", args=[world.risk.pk]),
        reverse("assurance:gaps"),
        reverse("organisations:list"),
        reverse("core:audit_log"),
        reverse("core:administration"),
        reverse("assurance:requirements"),
    ]
    for path in paths:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        # Accord's first script ran from its own file (no inline script left to refuse).
        assert "js-enabled" in page.evaluate("document.body.className"), path
        assert violations(page) == [], (path, violations(page))
    assert [p for p in problems if "Content Security Policy" in p] == []


def test_htmx_filters_and_a_refused_filter_says_why(signed_in, live_server, world):
    page, problems = signed_in
    page.goto(f"{live_server.url}{reverse('partnerships:list')}")
    results = page.locator("#results")
    expect(results).to_contain_text("Showing 1 to 3 of 3 partnerships")
    page.get_by_label("Partner organisation").fill("Southern Health")
    page.get_by_role("button", name="Apply filters").click()
    expect(results).to_contain_text("Showing 1 to 1 of 1 partnership")
    assert "partner=Southern" in page.url, "htmx pushed the filtered address"
    page.get_by_label("Partner organisation").fill("")
    page.get_by_label("Annual value from (£)").fill("a lot")
    page.get_by_role("button", name="Apply filters").click()
    expect(results).to_contain_text("Check the filters")
    expect(results).to_contain_text("Annual value from")
    expect(page.get_by_role("heading", level=1)).to_have_text("Partnership register")  # the page, not only its results
    assert violations(page) == []
    assert [p for p in problems if "Content Security Policy" in p] == []

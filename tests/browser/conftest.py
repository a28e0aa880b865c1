"""Browser tests: Playwright drives Debian's Chromium against a live Accord server."""

from pathlib import Path

import pytest

from conftest import TEST_PASSWORD

AXE = Path(__file__).resolve().parents[2] / "frontend" / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def login(page, live_server):
    """Log ``user`` in through the real login form; returns the page."""

    def do_login(user):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(TEST_PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        return page

    return do_login


@pytest.fixture
def axe_violations(page):
    """Run axe-core in the page and return its serious and critical violations."""

    def run():
        # Evaluated through the browser's debugging protocol, not added as a <script>: the pages'
        # Content-Security-Policy rightly refuses an inline script.
        page.evaluate(AXE.read_text(encoding="utf-8"))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        return [
            {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]

    return run


def follow_menu(page, name):
    """Follow the header menu's link ``name``, opening "More" first when the header has folded the
    link into it (it does when the entries do not fit on one line)."""
    link = page.get_by_role("navigation", name="Menu").get_by_role("link", name=name, exact=True)
    if not link.count():
        page.get_by_role("button", name="Browse More").click()
    link.click()

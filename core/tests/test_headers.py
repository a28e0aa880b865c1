"""What every response tells the browser: a strict Content-Security-Policy on pages, a stricter
one on downloads, and ``Cache-Control: no-store`` on everything shown to someone signed in."""

import re

import pytest
from django.test import Client
from django.urls import reverse

PAGE_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "object-src": "'none'",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
}
DOWNLOAD_POLICY = "default-src 'none'; sandbox"


def policy(response):
    header = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


def assert_page_policy(response):
    directives = policy(response)
    assert {name: directives.get(name) for name in PAGE_POLICY} == PAGE_POLICY
    assert "unsafe" not in response["Content-Security-Policy"]


def assert_not_stored(response):
    assert "no-store" in response["Cache-Control"].split(", ")


def test_a_page_has_the_strict_policy_and_is_not_stored(coordinator):
    response = coordinator.get(reverse("partnerships:list"))
    assert response.status_code == 200
    assert_page_policy(response)
    assert_not_stored(response)


def test_a_fragment_htmx_asks_for_has_them_too(coordinator):
    response = coordinator.get(reverse("partnerships:list"), {"status": "active"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert_page_policy(response)
    assert_not_stored(response)


@pytest.mark.parametrize("name", ["partnerships:list", "assurance:gaps", "risks:escalated", "risks:heatmap"])
def test_an_export_is_a_file_never_a_page_and_is_not_stored(coordinator, name):
    response = coordinator.get(reverse(name), {"export": "csv"})
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Security-Policy"] == DOWNLOAD_POLICY
    assert_not_stored(response)


def test_a_document_download_keeps_its_own_policy_and_is_not_stored(coordinator, world):
    response = coordinator.get(reverse("agreements:document", args=[world.document.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Security-Policy"] == DOWNLOAD_POLICY
    assert_not_stored(response)


def test_the_login_page_has_the_strict_policy_and_is_not_cached(db):
    response = Client().get(reverse("login"))
    assert response.status_code == 200
    assert_page_policy(response)
    assert_not_stored(response)  # Django's own never_cache on the login view


def test_a_redirect_to_the_login_page_says_nothing_of_caching(db):
    """No one is signed in: nothing private to keep out of a cache (and nothing to protect)."""
    response = Client().get(reverse("partnerships:list"))
    assert response.status_code == 302
    assert "no-store" not in response.get("Cache-Control", "")


def test_static_files_are_cached_as_usual(world, settings):
    """Scripts and styles are the same for everyone: they are not held back from the cache."""
    settings.WHITENOISE_USE_FINDERS = settings.WHITENOISE_AUTOREFRESH = True
    client = Client()  # a new client: WhiteNoise reads those settings when it starts
    client.force_login(world.user("coordinator"))
    response = client.get("/static/accord/js-enabled.js")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


MAIN_PAGES = [
    ("partnerships:list", lambda w: []),
    ("partnerships:detail", lambda w: [w.partnership.pk]),
    ("partnerships:edit", lambda w: [w.partnership.pk]),
    ("agreements:detail", lambda w: [w.draft_agreement.pk]),
    ("risks:heatmap", lambda w: []),
    ("risks:profile", lambda w: [w.partnership.pk]),
    ("assurance:gaps", lambda w: []),
    ("core:audit_log", lambda w: []),
]


@pytest.mark.parametrize(("name", "args"), MAIN_PAGES)
def test_pages_hold_no_inline_script_style_or_event_handler(client, world, name, args):
    """What the policy would refuse is not on the page to begin with."""
    client.force_login(world.user("administrator"))
    body = client.get(reverse(name, args=args(world))).content.decode()
    scripts = re.findall(r"<script\b[^>]*>", body)
    assert scripts and all(" src=" in tag for tag in scripts), scripts
    assert "<style" not in body
    assert not re.search(r"\sstyle=", body)
    assert not re.search(r"<[^>]+\son[a-z]+=", body)

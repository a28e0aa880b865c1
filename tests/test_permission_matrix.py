"""Every URL of Accord × every role → what the server answers, from each app's rows.

Each app's ``tests/rows.py`` has a row per URL name of the app (``PAGES``: see ``tests/rows.py``).
The tests enumerate every URL pattern the resolver knows and fail when a pattern has no row (or a
row no pattern), so a new page cannot be added without deciding who may use it. Each row says,
for GET and for POST, what each role gets:

- ``OK`` (200), ``REDIRECT`` (302 somewhere other than the login page), ``LOGIN`` (302 to the
  login page, for anonymous visitors), ``FORBIDDEN`` (403), ``NOT_FOUND`` (404),
  ``NOT_ALLOWED`` (405), and for a POST that writes, ``SAVED`` (302 and the change made).

A POST that is not ``SAVED`` must leave every row of every Accord table, the audit trail
included, exactly as it was. The roles are the six of the trust, the anonymous visitor, and for
partnership leads three people: the lead of the partnership, a colleague delegated on it, and a
lead of another partnership.

The world is the shared one (``tests/fixtures.py``: built once per module, every app's records).

Exports (``?export=csv`` / ``?export=xlsx``, each app's ``EXPORTS``) follow the list page's
answer: a role that may see the list gets a file holding exactly the rows it may see (and only
the filtered ones); anyone else gets the same refusal as for the page, never data. And the pages
of the other lead's partnership's records (each app's ``THEIRS``) refuse the owning lead and
their delegate.
"""

import pytest
from django.urls import reverse

from core.models import AuditEntry
from core.views import ObjectListView
from tests.editing import opened_version
from tests.fixtures import sign_in
from tests.rows import (
    DENIED,
    LOGIN,
    NOT_ALLOWED,
    OK,
    OWNERS,
    REDIRECT,
    ROLES,
    SAVED,
    SIGNED_IN,
    TRUST,
    assert_no_data,
    assert_outcome,
    collect,
)
from tests.spreadsheets import is_download, read_records
from tests.urls import url_names, url_patterns, view_class
from tests.world import database_state

PAGES = collect("PAGES")
EXPORTS = collect("EXPORTS")
THEIRS = collect("THEIRS")


@pytest.fixture(autouse=True)
def staging(settings, tmp_path):
    """Uploaded registers wait in a folder of the test's own."""
    settings.IMPORT_STAGING_DIR = tmp_path / "imports"


def row(name):
    assert name in PAGES, f"The URL {name!r} has no row in PAGES: add one saying what each role gets for GET and POST."
    assert name in url_names(), f"PAGES has a row for {name!r}, which is no longer a URL of the app."
    return PAGES[name]


CASES = [
    (name, role, method)
    for name in url_names() + sorted(set(PAGES) - set(url_names()))
    for role in ROLES
    for method in ("get", "post")
]


@pytest.mark.parametrize(("name", "role", "method"), CASES)
def test_permission_matrix(client, world, name, role, method):
    page = row(name)
    expected = getattr(page, method)[role]
    sign_in(client, world, role)
    if page.prepare:
        page.prepare(client, world, role)
    url = reverse(name, args=page.args(world))
    before = database_state()
    audit_count = AuditEntry.objects.count()

    data = page.data(world)
    if method == "post" and expected == SAVED:
        data = {**opened_version(client, url), **data}  # an edit page's hidden version, as a browser sends it
    response = client.get(url) if method == "get" else client.post(url, data)

    assert_outcome(response, expected)
    if expected == SAVED:
        assert AuditEntry.objects.count() > audit_count, "an allowed change must be written to the audit trail"
        assert page.effect(world), f"{role} was allowed to POST to {name} but the change was not made"
    else:
        assert database_state() == before, f"{method.upper()} {url} as {role} changed the database"
    if expected in DENIED:
        assert_no_data(response, world)


def test_every_url_pattern_has_a_row_and_every_row_a_pattern():
    names = set(url_names())
    assert names - set(PAGES) == set(), "URLs with no row in PAGES"
    assert set(PAGES) - names == set(), "rows of PAGES that are no longer URLs"


def test_the_table_is_complete_and_writes_say_what_they_do():
    for name, page in PAGES.items():
        for method in ("get", "post"):
            assert set(getattr(page, method)) == set(ROLES), (name, method)
        assert SAVED not in page.get.values(), f"{name}: a GET must never write"
        if SAVED in page.post.values():
            assert page.effect is not None, f"{name}: say what an allowed POST does"
        assert page.get["anonymous"] in (LOGIN, OK), f"{name}: anonymous visitors are sent to the login page"
    # Anonymous visitors reach nothing but the login page and an invitation's link.
    assert sorted(n for n, p in PAGES.items() if p.get["anonymous"] == OK) == ["accounts:accept_invitation", "login"]


@pytest.mark.parametrize("name", [n for n, p in url_patterns() if p.pattern.converters])
def test_a_url_typed_by_hand_for_a_missing_record_is_404_or_403(client, world, name):
    """A made-up id never gives a page, an error, or a write: 404 (or 403 for a role with no right)."""
    pattern = dict(url_patterns())[name]
    url = reverse(name, kwargs=dict.fromkeys(pattern.pattern.converters, 999999))
    before = database_state()
    for role in SIGNED_IN:
        sign_in(client, world, role)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            allowed = getattr(row(name), method)[role]
            if allowed == NOT_ALLOWED:
                assert response.status_code == 405, (role, method, response.status_code)
            elif allowed in (OK, SAVED, REDIRECT):
                assert response.status_code == 404, (role, method, response.status_code)
            else:
                assert response.status_code in (403, 404), (role, method, response.status_code)
    assert database_state() == before


# --- the other lead's partnership ---------------------------------------------------------------


def test_every_page_a_lead_may_change_has_a_row_for_another_leads_records():
    """A page the owning lead may POST to must be tried on the other lead's partnership's records too
    (not a page everyone in the trust may save to: one about the user's own things, their API tokens)."""
    changing = {
        name
        for name, page in PAGES.items()
        if all(page.post[role] == SAVED for role in OWNERS) and not all(page.post[role] == SAVED for role in TRUST)
    }
    assert changing - set(THEIRS) == set(), "pages a lead may change with no THEIRS row"


@pytest.mark.parametrize("name", sorted(THEIRS))
def test_a_lead_cannot_change_another_leads_partnership(client, world, name):
    """The owner of P-0001 (and their delegate) typing the URLs of P-0002's records get 403."""
    args, data = THEIRS[name]
    for role in OWNERS:
        sign_in(client, world, role)
        before = database_state()
        url = reverse(name, args=args(world))
        assert client.get(url).status_code == 403
        response = client.post(url, data(world))
        assert response.status_code == 403
        assert database_state() == before


# --- exports ---------------------------------------------------------------------------------


def exportable_lists():
    return sorted(
        name
        for name, pattern in url_patterns()
        if view_class(pattern)
        and issubclass(view_class(pattern), ObjectListView)
        and view_class(pattern).export_formats
    )


def test_every_list_with_downloads_has_an_export_row():
    assert exportable_lists() == sorted(EXPORTS)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_exports_hold_only_what_the_role_may_see(client, world, name, role, fmt):
    spec = EXPORTS[name]
    page = row(name)
    sign_in(client, world, role)
    url = reverse(name)

    for query, expected_rows in (({}, spec.rows), (spec.filter, spec.filtered_rows)):
        response = client.get(url, {**query, "export": fmt})
        if page.get[role] == OK:
            assert is_download(response), response.status_code
            keys = sorted(str(r[spec.key]) for r in read_records(response))
            assert keys == expected_rows(world, role)
        else:
            assert_outcome(response, page.get[role])
            assert_no_data(response, world)


@pytest.mark.parametrize("name", exportable_lists())
def test_an_unknown_export_format_is_refused(client, world, name):
    sign_in(client, world, "administrator")
    response = client.get(reverse(name), {"export": "exe"})
    assert response.status_code == 404
    assert not is_download(response)

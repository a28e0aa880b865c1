"""Bad input on every form page of every app: a 400 page with the NHS.UK error summary, nothing written.

The cases are each app's ``FORMS`` rows (``tests/rows.py``). For each, the page must answer 400,
title itself "Error: …", list every problem in the error summary with a link to the field that
has it (an element that exists on the page), show the same message next to the field, and leave
every Accord table, audit trail included, untouched. A form page with no case fails the last test.
"""

import html
import re

import pytest
from django.conf import settings
from django.urls import reverse

from core.views import ObjectEditView
from tests.editing import opened_version
from tests.rows import REQUIRED, collect, row_modules
from tests.urls import url_patterns, view_class
from tests.world import build_world, database_state

CASES = collect("FORMS")


@pytest.fixture
def world(db):
    return build_world(everything=True)


def stored_files():
    """Every file in the document store (the test's own folder)."""
    return sorted(p for p in settings.DOCUMENT_STORAGE_DIR.rglob("*") if p.is_file())


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
    files = stored_files()

    url = reverse(case.page, args=case.args(world))
    response = client.post(url, {**opened_version(client, url), **case.data(world)})

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
    assert stored_files() == files, "no document stored"


def takes_input(pattern):
    """An add or edit page, an upload, or any page whose form asks for something (a date, a name)."""
    view = view_class(pattern)
    if view is None:
        return False
    if issubclass(view, ObjectEditView):
        return True
    form_class = pattern.callback.view_initkwargs.get("form_class", getattr(view, "form_class", None))
    return isinstance(form_class, type) and bool(form_class.base_fields)


def test_every_form_page_has_a_bad_input_case():
    """A form page added to any app (one that registered its test rows) gets a case there too."""
    apps_with_rows = set(row_modules())
    form_pages = {
        name
        for name, pattern in url_patterns()
        if ":" in name and name.split(":")[0] in apps_with_rows and takes_input(pattern)
    }
    assert {"agreements:add", "agreements:sign", "agreements:document_add", "core:tierthresholds_edit"} <= form_pages
    assert form_pages == {c.page for c in CASES.values()}

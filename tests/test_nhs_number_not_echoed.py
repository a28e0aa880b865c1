"""A refused NHS number is never shown back: every form of Accord that has free text, posted with
an NHS number (written a different way) in every text box and as the name of every file.

Forms are found from the permission matrix: every page a role may POST to, filled as a browser
would from the page itself. Each must answer 400 and write nothing, and neither the page (its
inputs, textareas, title, heading, error summary, links) nor the session and cookies may hold the
number's ten digits in any grouping.
"""

import re
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.rows import OK, REDIRECT, SAVED, collect
from tests.test_forms import takes_input
from tests.urls import url_patterns
from tests.world import NHS_NUMBER_DIGITS, PDF, database_state

PAGES = collect("PAGES")
WRITTEN = [
    "Patient 943 476 5919 was discussed",
    "(943) 476-5919",
    "9434765919",
    "943_476_5919",
    "943\u00a0476\u00a05919",
    "9434 765 919",
]
# The digits in any grouping: any characters but digits between them (entities, tags, spaces).
ANY_GROUPING = re.compile(r"\D{0,16}".join(NHS_NUMBER_DIGITS))
TEXT_INPUTS = {"text", "search", "email", "url", "tel", None}


class PostForms(HTMLParser):
    """The page's POST forms (not the header's log-out button) as a browser would submit them."""

    def __init__(self, logout_url):
        super().__init__()
        self.logout_url, self.forms, self.current, self.select, self.textarea = logout_url, [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            wanted = (attrs.get("method") or "").lower() == "post" and attrs.get("action") != self.logout_url
            self.current = {"values": {}, "text": [], "files": [], "choices": []} if wanted else None
            if wanted:
                self.forms.append(self.current)
        elif self.current is None:
            return
        elif tag == "input" and attrs.get("name"):
            self._input(attrs)
        elif tag == "textarea":
            self.textarea = attrs["name"]
            self.current["text"].append(self.textarea)
            self.current["values"][self.textarea] = ""
        elif tag == "select":
            self.select = attrs.get("name")
            self.current["choices"].append(self.select)
        elif self.select and tag == "option" and ("selected" in attrs or self.select not in self.current["values"]):
            self.current["values"][self.select] = attrs.get("value", "")

    def _input(self, attrs):
        kind, name = attrs.get("type"), attrs["name"]
        if kind == "file":
            self.current["files"].append(name)
        elif kind in ("checkbox", "radio"):
            if name not in self.current["choices"]:
                self.current["choices"].append(name)
            if "checked" in attrs or (kind == "radio" and name not in self.current["values"]):
                self.current["values"][name] = attrs.get("value", "on")
        elif kind != "password":
            self.current["values"][name] = attrs.get("value", "")
            if kind in TEXT_INPUTS:
                self.current["text"].append(name)

    def handle_data(self, data):
        if self.textarea:
            self.current["values"][self.textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def post_form(body):
    """The page's form (the one that is not the header's log-out button)."""
    parser = PostForms(reverse("logout"))
    parser.feed(body)
    assert len(parser.forms) == 1, "one form on the page"
    return parser.forms[0]


def writers(name):
    """The first role that may write through the page."""
    page = PAGES[name]
    return next(r for r, o in page.post.items() if o in (SAVED, REDIRECT) and page.get.get(r) == OK)


# Every page where something is typed or chosen: add and edit pages, uploads, lifecycle steps that
# ask for something, the risk matrix, the register import and its preview, the user pages.
# Passwords are left out: never stored as typed, never shown, and under the password rules.
FORM_PAGES = [
    *sorted(
        name
        for name, pattern in url_patterns()
        if ":" in name and takes_input(pattern) and name in PAGES and name != "accounts:password"
    ),
    "partnerships:import",
    "partnerships:import_preview",
]


@pytest.fixture(autouse=True)
def staging(settings, tmp_path):
    """Uploaded registers wait in a folder of the test's own (the world is the shared one)."""
    settings.IMPORT_STAGING_DIR = tmp_path / "imports"


def nhs_number_upload(name, extension):
    content = PDF if extension == ".pdf" else b"Reference,Partnership name\r\nP-0500,Banbury Carers Hub\r\n"
    return SimpleUploadedFile(f"{name}{extension}", content)


def shown_anywhere(client, response):
    """Everything the browser gets back and keeps: the page, the session and the cookies."""
    session = "" if client.session is None else repr(dict(client.session.items()))
    cookies = " ".join(morsel.value for morsel in response.cookies.values())
    return "\n".join([response.content.decode(), session, cookies])


@pytest.mark.parametrize("name", FORM_PAGES)
def test_a_refused_nhs_number_is_never_shown_back(client, world, name):
    page, role = PAGES[name], writers(name)
    client.force_login(world.user(role))
    if page.prepare:
        page.prepare(client, world, role)
    url = reverse(name, args=page.args(world))
    form_page = client.get(url)
    assert not ANY_GROUPING.search(shown_anywhere(client, form_page)), "the page had the digits already"
    form = post_form(form_page.content.decode())
    data = dict(form["values"])
    # Typed into every text box; where there is none, forced into every choice (a crafted POST).
    for n, field in enumerate(form["text"] or form["choices"]):
        data[field] = WRITTEN[n % len(WRITTEN)]
    extension = ".csv" if name == "partnerships:import" else ".pdf"
    for n, field in enumerate(form["files"]):
        data[field] = nhs_number_upload(WRITTEN[(n + 3) % len(WRITTEN)], extension)
    before = database_state()

    response = client.post(url, data)

    assert response.status_code == 400, response.status_code
    assert "looks like it contains an NHS number" in response.content.decode()
    found = ANY_GROUPING.search(shown_anywhere(client, response))
    assert not found, f"the number is shown back: …{found and found.group()}…"
    assert database_state() == before

"""Each app's rows of Accord's cross-cutting tests, and the kinds of row they are made of.

The permission matrix (``tests/test_permission_matrix.py``), the exports, the audit coverage
(``tests/test_audit.py``), the bad-input forms (``tests/test_forms.py``) and the query counts
(``tests/test_query_counts.py``) are the same checks for every app, fed with rows each app writes
in its own ``<app>/tests/rows.py`` and registers from its ``AppConfig.ready``
(``core.registry.test_rows``). An app's rows module may hold:

- ``build(w)``: adds the app's records to the shared world (``tests.world.build_world``);
- ``PAGES``: ``{url name: Page}``, what each role gets for GET and POST of each of its URLs;
- ``EXPORTS``: ``{url name: Export}``, what each role's download of each of its lists holds;
- ``private(world)``: ``[text]``, what only those allowed to see the app's records may read;
- ``AUDIT``: ``{model label: Change}``, how to create, change and delete each of its models;
- ``FORMS``: ``{case name: Form}``, bad input on each of its form pages and what the page says;
- ``QUERIES``: ``{url name: Growth}``, how to grow what each of its list and detail pages shows;
- ``STALE``: ``{case name: Stale}``, two people on each of its edit pages, one saving first;
- ``RECORDS``: ``{model label: world → record}``, a saved record of each of its models with free
  text, on which the model-level NHS-number guard is tried.

The checks fail when a URL, an export, a model or a form page of any app has no row, so a new
app cannot be forgotten (and no central file grows with every app).
"""

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlparse

from django.urls import reverse

from core import registry
from core.audit import audit_context
from tests.spreadsheets import is_download

# --- what the server answers -----------------------------------------------------------------

OK, REDIRECT, LOGIN, FORBIDDEN, NOT_FOUND, NOT_ALLOWED, SAVED, REFUSED = (
    "200",
    "redirect",
    "302 to login",
    "403",
    "404",
    "405",
    "saved",
    "403 or 404",  # refused without a word on whether the record exists: a partner contributor
)
DENIED = {LOGIN, FORBIDDEN, NOT_FOUND, NOT_ALLOWED, REFUSED}

# Who is who: the trust's roles, and for partnership leads three people: the lead of the world's
# partnership ("owner"), a colleague delegated on it, and the lead of another partnership. And
# someone outside the trust: a partner contributor of the world's partnership's partner
# organisation ("contributor"), who is refused everything a row does not grant them by name.
TRUST = (
    "administrator",
    "coordinator",
    "owner",
    "other_lead",
    "delegate",
    "executive",
    "board_member",
    "auditor",
)
CONTRIBUTOR = "contributor"
SIGNED_IN = (*TRUST, CONTRIBUTOR)
ROLES = ("anonymous", *SIGNED_IN)
KEEPERS = ("administrator", "coordinator")
ADMIN = ("administrator",)
OWNERS = ("owner", "delegate")
CHANGERS = KEEPERS + OWNERS  # who may change the records of the owning lead's partnership


def only(outcome, roles, otherwise=FORBIDDEN, anonymous=LOGIN, contributor=None):
    """``outcome`` for ``roles``, ``otherwise`` for every other role of the trust.

    A partner contributor gets what ``contributor`` says; a row that says nothing refuses them:
    405 where the method is refused to everyone in the trust, else 403 or 404 (``REFUSED``),
    never what the trust's roles get.
    """
    table = dict.fromkeys(TRUST, otherwise)
    table.update(dict.fromkeys(roles, outcome))
    table["anonymous"] = anonymous
    if contributor is None:
        contributor = NOT_ALLOWED if {table[role] for role in TRUST} == {NOT_ALLOWED} else REFUSED
    table[CONTRIBUTOR] = contributor
    return table


def everyone(outcome, anonymous=LOGIN, contributor=None):
    """``outcome`` for everyone in the trust (a partner contributor: see :func:`only`)."""
    return only(outcome, TRUST, anonymous=anonymous, contributor=contributor)


# --- the kinds of row --------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """One URL: what each role gets for GET and POST (``only`` / ``everyone`` tables)."""

    get: dict
    post: dict
    args: Callable = lambda w: ()
    data: Callable = lambda w: {}
    effect: Callable | None = None  # what an allowed (SAVED) POST must have done; True when done
    prepare: Callable | None = None  # (client, world, role): set up what the URL needs (an upload)


def changes(args, effect, data=lambda w: {}):
    """A page that changes a record of the owning lead's partnership: the keepers and its leads only."""
    return Page(args=args, get=only(OK, CHANGERS), post=only(SAVED, CHANGERS), data=data, effect=effect)


def reads(args=lambda w: ()):
    """A page everyone signed in may read, and nobody may POST to."""
    return Page(args=args, get=everyone(OK), post=everyone(NOT_ALLOWED))


@dataclass(frozen=True)
class Export:
    """What a list's download holds: the column naming each row, and the rows each role may see."""

    key: str
    rows: Callable  # (world, role) -> sorted list of key values
    filter: dict  # query parameters that narrow the list
    filtered_rows: Callable  # (world, role) -> the rows left by the filter


@dataclass(frozen=True)
class Change:
    """How to create one record, which field to change, and how the audit trail shows the values."""

    create: Callable
    field: str
    shown_before: object
    new_value: object
    shown_after: object
    parent: Callable | None = None  # the record whose history shows this one's changes
    prepare: Callable | None = None  # run first, outside the audited block
    actions: tuple = ("create", "update", "delete")  # what the app does to such a record


# What the forms say (the messages many apps' FORMS rows look for).
REQUIRED = "This field is required."
NOT_A_DATE = "Enter a real date, day first, for example 30/03/2022."
END_BEFORE_START = "The end date must be the same as or after the start date."
NHS_NUMBER_SHOWN = "NHS number"


@dataclass(frozen=True)
class Form:
    """Bad input on a form page: the page is answered 400 with these messages, nothing written."""

    page: str
    args: Callable
    data: Callable
    errors: dict  # field -> (part of) the message shown for it
    role: str = "coordinator"
    setup: Callable | None = None


def rows_shown(body):
    """How many table rows and cards a page shows: what grows on most list and detail pages."""
    return body.count('<tr class="nhsuk-table__row"') + body.count('<div class="nhsuk-card"')


@dataclass(frozen=True)
class Growth:
    """How a list or detail page's contents grow, for the query-count check.

    ``grow(world, n)`` adds ``n`` more of what the page shows (rows of a list, children of a
    record, changes in a history); ``args(world)`` are the URL's arguments; ``shown(body)`` counts
    what the page shows of them (so an empty page cannot pass for a cheap one).
    """

    grow: Callable
    shown: Callable = rows_shown
    args: Callable = lambda w: ()
    role: str = "coordinator"
    params: dict | None = None


def edits(record, field, value):
    """A ``grow`` for a history page: ``n`` more audited changes of ``record(w)``'s ``field``,
    the i-th to ``value(i)``."""

    def grow(w, n):
        obj = record(w)
        start = getattr(w, "_edits", 0)
        with audit_context(user=w.user("administrator"), source="test"):
            for i in range(start, start + n):
                setattr(obj, field, value(i))
                obj.save()
        w._edits = start + n

    return grow


@dataclass(frozen=True)
class Stale:
    """Two people on one page: ``theirs`` is saved first, ``yours`` from a page opened before it.

    ``theirs`` and ``yours`` are form fields and the values typed (``None``: untick). The other
    person saves on ``their_page`` (default: the same page). ``row`` is the table row the stale
    save must show for their change: (label, value when opened, value now, your value or None).
    ``their_fields`` and ``your_fields`` are the fields each person's audit entries name.
    """

    page: str
    args: Callable
    theirs: dict
    yours: dict
    row: tuple
    their_fields: set
    your_fields: set
    you: str = "coordinator"
    them: str = "owner"
    their_page: str | None = None
    record: Callable | None = None  # whose audit entries to read (default: the record in the URL)
    typed_again: dict = field(default_factory=dict)  # what a browser cannot fill in again (a password)


def pk_of(name):
    """The URL arguments of the world's record called ``name``."""
    return lambda w: [getattr(w, name).pk]


# --- collecting every app's rows ---------------------------------------------------------------


def row_modules():
    """{app label: its rows module}, for every app that registered one."""
    return {label: importlib.import_module(path) for label, path in registry.test_row_modules().items()}


def collect(name):
    """Every app's ``name`` table merged into one; a key claimed by two apps is an error."""
    merged = {}
    for label, module in row_modules().items():
        for key, value in getattr(module, name, {}).items():
            assert key not in merged, f"{key!r} has a row in two apps' {name} (the second is {label})"
            merged[key] = value
    return merged


def builders():
    return [module.build for module in row_modules().values() if hasattr(module, "build")]


def private_text(world):
    """Things only someone allowed to see the register should ever read in a response."""
    return [text for module in row_modules().values() if hasattr(module, "private") for text in module.private(world)]


# --- checking what the server answered --------------------------------------------------------


def assert_outcome(response, expected):
    location = response.get("Location", "")
    target = urlparse(location)
    to_login = target.path == reverse("login") and "next" in parse_qs(target.query)
    if expected == OK:
        assert response.status_code == 200, response.status_code
    elif expected == LOGIN:
        assert response.status_code == 302 and to_login, (response.status_code, location)
    elif expected in (REDIRECT, SAVED):
        assert response.status_code == 302 and not to_login, (response.status_code, location)
    elif expected == REFUSED:
        assert response.status_code in (403, 404), response.status_code
    else:
        assert response.status_code == int(expected), response.status_code


def assert_no_data(response, world):
    body = response.content.decode() if not response.streaming else ""
    assert not is_download(response)
    for text in private_text(world):
        assert text not in body


# --- reading forms as a browser submits them --------------------------------------------------


class FormValues(HTMLParser):
    """The values a browser would submit from the form with ``form_id``."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.inside, self.select, self.values = form_id, False, None, {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        elif self.inside and tag == "input" and attrs.get("name"):
            if attrs.get("type") not in ("checkbox", "radio") or "checked" in attrs:
                self.values[attrs["name"]] = attrs.get("value", "")
        elif self.inside and tag == "select":
            self.select = attrs.get("name")
        elif self.select and tag == "option" and ("selected" in attrs or self.select not in self.values):
            self.values[self.select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None


def form_values(body, form_id):
    parser = FormValues(form_id)
    parser.feed(body)
    return parser.values

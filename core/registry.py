"""What each app adds to Accord, declared from the app's own ``AppConfig.ready``.

Accord's apps build on each other in one direction: ``core`` ← ``accounts`` ← ``organisations`` ←
``partnerships`` ← ``agreements``, ``risks`` ← ``assurance`` … An app never imports one that
builds on it. Where a page of a lower app shows something of a higher one — the menu, a panel on
the partnership page, a filter or column of the register, an item of the "needs attention" list,
the demo data — the higher app registers it here when Django starts, and the lower app asks the
registry. So adding an app edits no file outside it (but ``INSTALLED_APPS``): see the checklist
in ``docs/architecture.md``.

Registrations are keyed by name: registering the same name again replaces the earlier entry (so
Django re-running ``ready()`` in a test changes nothing), and two apps cannot claim one right.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import include, path

from core import permissions


def _label(model_or_label):
    return model_or_label if isinstance(model_or_label, str) else model_or_label._meta.label_lower


# ---------------------------------------------------------------------------------------------
# What an app registers


@dataclass(frozen=True)
class MenuItem:
    """An entry of the header's menu, shown to whoever has ``action`` on ``model`` (a partner
    contributor: only when it says it is for partners, ``partners``)."""

    label: str
    url_name: str
    model: str
    action: str = "view"
    order: int = 100
    partners: bool = False


@dataclass(frozen=True)
class AdministrationCard:
    """A card of the administration page, shown to whoever has ``action`` on ``model``.

    ``summary()`` (optional) adds a sentence of current figures ("12 active users.").
    """

    title: str
    url_name: str
    description: str
    model: str
    action: str = "change"
    summary: Callable | None = None
    order: int = 100


@dataclass(frozen=True)
class Panel:
    """A section another app adds to a model's page (the partnership page's agreements, say).

    ``context(request, obj)`` gives the template what it shows, in a fixed number of queries;
    it returns ``None`` when the panel has nothing to say to this user. A partner contributor
    sees it only when it says it is for partners (``partners``): hidden unless a panel opts in.
    """

    name: str
    template: str
    context: Callable
    order: int = 100
    partners: bool = False


@dataclass(frozen=True)
class ListFilter:
    """A filter another app adds to a list page (the register's "IG gaps", say)."""

    name: str
    filter: object  # a django_filters.Filter whose ``method`` is a callable
    order: int = 100
    partners: bool = False  # offered to partner contributors too (it reveals nothing internal)


@dataclass(frozen=True)
class ListColumn:
    """A column another app adds to a list page, with what the column needs from the database.

    ``annotate(queryset)`` adds what the column shows or sorts by (SQL, never a query per row);
    ``sort_by(queryset)`` adds what only sorting by it needs, and only when the list is sorted by
    it (a join to another table, say, that every other page would pay for);
    ``attach(objects, request)`` loads what the page's rows show, in one query for the page.
    """

    column: object  # a core.views.Column
    annotate: Callable | None = None
    attach: Callable | None = None
    order: int = 100
    sort_by: Callable | None = None


@dataclass(frozen=True)
class AttentionSource:
    """A kind of thing that needs someone's attention (``core.attention``).

    ``rows(user, today)`` is a queryset of what ``user`` must act on (only what their rights
    reach), annotated with ``attention_due``, the date it is or was due; the queue counts,
    filters and orders it in SQL. ``item(row, today)`` says how one row reads: an object with
    ``tag``, ``colour``, ``title``, ``url`` and ``message`` (and ``reference`` when the row
    belongs to no partnership). ``partnership`` and ``owner`` are the paths from a row to its
    partnership and to the user who owns it (``None`` when there is none), for the queue's
    columns and filters; ``more`` is where the whole list of that kind is (``[(label, url)]``);
    ``partners=True`` gives the kind to partner contributors too.
    """

    name: str
    label: str
    rows: Callable
    item: Callable
    partnership: str | None = None
    owner: str | None = None
    more: tuple = ()
    partners: bool = False


@dataclass(frozen=True)
class HomePage:
    """Where ``url_name`` is the home page of whoever ``applies(user)`` says; the lowest ``order`` that applies wins."""

    url_name: str
    applies: Callable
    order: int = 100


@dataclass(frozen=True)
class DemoStep:
    """Adds the app's demo data (idempotent): ``seed()`` → ``core.demo.Seeded``."""

    name: str
    seed: Callable


@dataclass(frozen=True)
class BenchStep:
    """Adds the app's synthetic data to ``seed_bench``'s register.

    ``start(options, context)`` is called once, before any partnership is made, and returns an
    object whose ``organisations(orgs)`` (optional) and ``partnerships(created, context)`` are
    called for every chunk, and whose ``summary()`` says what it made. ``arguments`` are the
    command-line options the step reads, as ``(flags, argparse keyword arguments)``.
    """

    name: str
    start: Callable
    arguments: tuple = ()


@dataclass(frozen=True)
class DerivedTable:
    """A table worked out from other records (``core.derived``): ``rebuild()`` works it out again
    and returns how many rows had drifted."""

    name: str
    rebuild: Callable


@dataclass(frozen=True)
class ReportPart:
    """An app's part of the board report (``board_reports``), kept apart from how it is printed.

    ``collect(as_of, since)`` reads what the board is told as of a day (``since``: the day of the
    previous report, or ``None``) and returns it as JSON-ready data: the issued report stores it,
    and everything below works from that data alone, so an issued report is written again
    exactly as it was. ``write(data)`` gives ``core.papers.Section``s under the report's
    ``section`` ("governance", "coordination", "risk", "headlines" or "appendix");
    ``changes(before, now)`` lines saying what changed since the previous report's data;
    ``figures(data)`` (label, value) pairs for the report's key figures and ``summary(data)``
    sentences offered as the start of the executive summary.
    """

    name: str
    section: str
    collect: Callable
    write: Callable
    changes: Callable | None = None
    figures: Callable | None = None
    summary: Callable | None = None
    order: int = 100


@dataclass(frozen=True)
class ApiResource:
    """A kind of record served at ``/api/<name>/`` by ``core.api`` (:func:`api` says what each part is)."""

    name: str
    model: type
    list_view: type | None = None
    edit_view: type | None = None
    delete_view: type | None = None
    fields: tuple = ()
    actions: dict = field(default_factory=dict)
    parent: str | None = None
    add_view: type | None = None
    download_view: type | None = None
    download_formats: tuple = ()
    withhold: tuple = ()  # (flag, fields): a record whose ``flag`` is true answers those as null

    @property
    def create_view(self):
        """The view ``POST /api/<name>/`` runs: the add page's, else the edit page's."""
        return self.add_view or self.edit_view

    @property
    def form_class(self):
        view = self.edit_view or self.add_view
        return view.form_class if view else None

    @property
    def downloads(self):
        """``{route segment: the download view's keyword arguments}``."""
        if self.download_view is None:
            return {}
        return {fmt: {"fmt": fmt} for fmt in self.download_formats} or {"download": {}}


@dataclass(frozen=True)
class Urls:
    prefix: str
    module: str


@dataclass
class Registry:
    menu: dict = field(default_factory=dict)
    administration: dict = field(default_factory=dict)
    panels: dict = field(default_factory=dict)  # model label -> {name: Panel}
    filters: dict = field(default_factory=dict)  # model label -> {name: ListFilter}
    columns: dict = field(default_factory=dict)  # model label -> {name: ListColumn}
    attention: dict = field(default_factory=dict)
    home: dict = field(default_factory=dict)
    demo: dict = field(default_factory=dict)
    bench: dict = field(default_factory=dict)
    derived: dict = field(default_factory=dict)
    report_parts: dict = field(default_factory=dict)
    urls: dict = field(default_factory=dict)  # app label -> Urls
    api: dict = field(default_factory=dict)  # URL name -> ApiResource
    test_rows: dict = field(default_factory=dict)  # app label -> module path


registry = Registry()


# ---------------------------------------------------------------------------------------------
# Registering (from an AppConfig.ready)


def rights(table):
    """The app's rows of the rights table: ``{(model label, action): {role: ALL | OWN}}``."""
    permissions.add_rights(table)


def menu_item(label, url_name, model, action="view", order=100, partners=False):
    registry.menu[url_name] = MenuItem(label, url_name, _label(model), action, order, partners)


def administration_card(title, url_name, description, model, action="change", summary=None, order=100):
    registry.administration[url_name] = AdministrationCard(
        title, url_name, description, _label(model), action, summary, order
    )


def panel(model, name, template, context, order=100, partners=False):
    """A section of ``model``'s page; ``partners=True`` shows it to partner contributors too."""
    registry.panels.setdefault(_label(model), {})[name] = Panel(name, template, context, order, partners)


def list_filter(model, name, filter, order=100, partners=False):
    registry.filters.setdefault(_label(model), {})[name] = ListFilter(name, filter, order, partners)


def list_column(model, column, annotate=None, attach=None, order=100, sort_by=None):
    registry.columns.setdefault(_label(model), {})[column.name] = ListColumn(column, annotate, attach, order, sort_by)


def attention(name, label, rows, item, *, partnership=None, owner=None, more=(), partners=False):
    """A kind of "needs attention" item (``AttentionSource`` says what each argument is)."""
    registry.attention[name] = AttentionSource(name, label, rows, item, partnership, owner, tuple(more), partners)


def home(url_name, applies, order=100):
    """Make ``url_name`` the home page (where signing in and the header's logo lead) of whoever ``applies(user)``."""
    registry.home[url_name] = HomePage(url_name, applies, order)


def demo_step(name, seed):
    registry.demo[name] = DemoStep(name, seed)


def bench_step(name, start, arguments=()):
    registry.bench[name] = BenchStep(name, start, tuple(arguments))


def derived_table(name, rebuild):
    registry.derived[name] = DerivedTable(name, rebuild)


def report_part(name, section, collect, write, *, changes=None, figures=None, summary=None, order=100):
    """A part of the board report (``ReportPart`` says what each argument is)."""
    registry.report_parts[name] = ReportPart(name, section, collect, write, changes, figures, summary, order)


def urls(app_label, prefix, module):
    """Serve the app's URLconf ``module`` under ``prefix`` ("agreements/", or "" for its own)."""
    registry.urls[app_label] = Urls(prefix, module)


def api(
    name,
    model,
    *,
    list_view=None,
    edit_view=None,
    add_view=None,
    delete_view=None,
    fields=(),
    actions=None,
    parent=None,
    download_view=None,
    download_formats=(),
    withhold=(),
):
    """Serve ``model`` at ``/api/<name>/`` through its pages' own view classes (``core.api``).

    ``list_view`` (an ``ObjectListView``) gives the rows each user may see, the filters and the
    sorting (none: every record the user may view, in a plain list); ``edit_view`` (an
    ``ObjectEditView``) the form, the refusals and the save, for ``POST`` (add) and
    ``PUT``/``PATCH`` (change); ``add_view`` an add page of its own, for ``POST`` only (with no
    ``edit_view`` the record cannot be changed through the API, as on the pages: a declaration
    of interests); none of them: the record is read-only. ``delete_view`` the delete;
    ``actions`` ``{name: view}`` the ``POST /api/<name>/<id>/<action>/`` that run another form:
    an edit view (close, confirm) or a step, a view with ``get_form(data)`` and
    ``perform(form)`` whose service function refuses with a ``ValidationError`` shown against
    its ``error_field`` (open a vote, cast one). ``download_view`` the page's view that sends a
    stored file (``get(request, pk, **kwargs)``), served at ``GET /api/<name>/<id>/<format>/``
    for each of ``download_formats`` (passed to it as ``fmt``), or ``…/<id>/download/``.
    ``fields`` are the fields answers show (``id`` first; the edit form's by default), never a
    secret; ``withhold`` ``(flag, fields)`` answers those fields as null for a record whose
    ``flag`` is true (an interest withheld from publication: the register shows only that);
    ``parent`` names the link a child record is added under (``partnership`` for a partner role).
    """
    registry.api[name] = ApiResource(
        name,
        model,
        list_view,
        edit_view,
        delete_view,
        tuple(fields),
        dict(actions or {}),
        parent,
        add_view=add_view,
        download_view=download_view,
        download_formats=tuple(download_formats),
        withhold=(withhold[0], tuple(withhold[1])) if withhold else (),
    )


def test_rows(app_label, module):
    """The app's rows of the cross-cutting tests (permission matrix, exports, audit coverage).

    A dotted path, imported by the tests only; see ``tests/rows.py`` for what the module holds.
    """
    registry.test_rows[app_label] = module


# ---------------------------------------------------------------------------------------------
# Reading (by the pages and commands of lower apps)


def _ordered(entries):
    return sorted(entries, key=lambda entry: entry.order)


def menu_items():
    return _ordered(registry.menu.values())


def administration_cards():
    return _ordered(registry.administration.values())


def panels_for(model):
    return _ordered(registry.panels.get(_label(model), {}).values())


def filters_for(model):
    return _ordered(registry.filters.get(_label(model), {}).values())


def columns_for(model):
    return _ordered(registry.columns.get(_label(model), {}).values())


def attention_sources():
    return list(registry.attention.values())


def home_page(user):
    """The URL name of ``user``'s home page: the first registered that applies to them."""
    return next(page.url_name for page in _ordered(registry.home.values()) if page.applies(user))


def demo_steps():
    return list(registry.demo.values())


def bench_steps():
    return list(registry.bench.values())


def derived_tables():
    return list(registry.derived.values())


def report_parts():
    return _ordered(registry.report_parts.values())


def url_patterns():
    """Every registered app's URLs, for ``accord.urls``."""
    return [path(u.prefix, include(u.module)) for u in registry.urls.values()]


def api_resources():
    return sorted(registry.api.values(), key=lambda resource: resource.name)


def test_row_modules():
    return dict(registry.test_rows)

"""Every list page × every sort key it offers × both directions × its first and last page, for
every role the permission matrix lets see it; then unknown sort keys, page numbers that are not
page numbers, and filter values the filters do not know.

What a person (or a crawler, or a bookmark from last year) may type into the address bar never
gives a server error. The rule for each kind of input:

- an unknown sort key sorts by the list's default;
- a page number that is not plain ASCII digits, or is zero, is the first page; one past the end,
  however large, is the last page; the page links keep the filters and the sort;
- a filter value the filter refuses answers 400 with the filters' error summary naming the
  filter, lists nothing and downloads nothing; an unknown filter *name* is ignored.

Lists are found from the URL map (every view that is an ``ObjectListView``), so a new list is
walked unasked. Pages hold one row each here, so a page's neighbour is the next row and the last
page of one direction is the first row of the other.
"""

import re
from types import SimpleNamespace

import pytest
from django.urls import reverse

from core.audit import audit_context
from core.views import ObjectHistoryView, ObjectListView
from partnerships.models import Partnership
from risks.models import Risk
from tests.fixtures import held_for_module
from tests.spreadsheets import is_download
from tests.test_permission_matrix import OK, PAGES, url_patterns, view_class
from tests.world import build_world

LISTS = sorted(
    (name, pattern)
    for name, pattern in url_patterns()
    if view_class(pattern) and issubclass(view_class(pattern), ObjectListView)
)
LIST_NAMES = [name for name, _ in LISTS]

NOT_PAGE_NUMBERS = ["0", "-1", "²", "٣", "1.5", "abc", " ", "1e3", "0x10"]
PAST_THE_END = ["184467440737095518", "99999999999999999999999", "999999999", "last"]
UNKNOWN_SORTS = ["nonsense", "-nonsense", "--title", "-", "pk", "password", "title__nonsense"]
BAD_FILTER_VALUES = ["zzz-unknown", "²", "-1", "184467440737095518", "1e999", "31/02/2024", "x\x00y"]


def list_view(pattern):
    """The list's view as the URL map builds it (reference lists are one class, told which list)."""
    return view_class(pattern)(**pattern.callback.view_initkwargs)


def sort_keys(pattern, user):
    """The list's sort keys as ``user`` gets them."""
    view = list_view(pattern)
    view.request = SimpleNamespace(user=user)
    return list(view.sortable())


def roles_seeing(name):
    return [role for role, outcome in PAGES[name].get.items() if outcome == OK]


@pytest.fixture(scope="module")
def walk_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The permission matrix's world, plus a second escalated risk and two recorded leads that name
    no user, so those lists have two pages too."""
    with held_for_module(django_db_blocker, DOCUMENT_STORAGE_DIR=tmp_path_factory.mktemp("documents")):
        w = build_world(everything=True)
        with audit_context(user=w.user("administrator"), source="test"):
            risk = Risk.objects.get(pk=w.other_risk.pk)
            risk.pk, risk.title = None, "Cyber attack on the shared care record"
            risk.save()
            Partnership.objects.filter(pk=w.partnership.pk).update(recorded_lead="Head of Forensic Services")
            Partnership.objects.filter(pk=w.other_partnership.pk).update(recorded_lead="Talking therapies manager")
        yield w


@pytest.fixture
def world(db, walk_world, monkeypatch):
    monkeypatch.setattr(ObjectListView, "page_size", 1)
    return walk_world


def get(client, name, htmx=False, **params):
    """The list page (or, as htmx asks for it, its results alone); never a server error."""
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.get(reverse(name), params, headers=headers)
    assert response.status_code < 500, (name, params, response.status_code)
    return response


def first_row(response):
    rows = response.context["rows"]
    assert len(rows) == 1, "one row a page"
    return rows[0][0]


@pytest.mark.parametrize("name", LIST_NAMES)
def test_every_sort_key_both_ways_first_and_last_page(client, world, name):
    pattern = dict(LISTS)[name]
    assert list(list_view(pattern).sortable()), f"{name} offers no sortable column"
    deepest = 0
    for role in roles_seeing(name):
        client.force_login(world.user(role))
        for key in sort_keys(pattern, world.user(role)):  # a partner contributor's columns are fewer
            ends = {}
            for sort in (key, f"-{key}"):
                first = get(client, name, sort=sort)
                assert first.status_code == 200, (role, sort)
                assert first.context["sort"] == sort, (role, sort)
                shown = key in [c.name for c in first.context["columns"]]  # a column may be hidden (the register)
                assert 'aria-sort="ascending"' in first.content.decode() or sort.startswith("-") or not shown
                last_number = first.context["page"].paginator.num_pages
                last = get(client, name, htmx=True, sort=sort, page=str(last_number))
                assert last.status_code == 200
                assert last.context["page"].number == last_number
                ends[sort] = (first_row(first), first_row(last))
                deepest = max(deepest, last_number)
            # Descending is ascending turned round: each direction's first row is the other's last.
            assert ends[key][0] == ends[f"-{key}"][1], (role, key)
            assert ends[key][1] == ends[f"-{key}"][0], (role, key)
    assert deepest >= 2, f"{name} needs two rows or more for its last page to be a page of its own"


@pytest.mark.parametrize("name", LIST_NAMES)
def test_unknown_sort_keys_sort_by_the_default(client, world, name):
    view = list_view(dict(LISTS)[name])
    client.force_login(world.user(roles_seeing(name)[0]))
    default = get(client, name)
    for sort in UNKNOWN_SORTS:
        response = get(client, name, htmx=True, sort=sort)
        assert response.status_code == 200, sort
        assert response.context["sort"] == view.default_sort, sort
        assert first_row(response) == first_row(default), sort


@pytest.mark.parametrize("name", LIST_NAMES)
def test_page_numbers_that_are_not_page_numbers_give_the_first_or_last_page(client, world, name):
    for role in roles_seeing(name):
        client.force_login(world.user(role))
        last_number = get(client, name).context["page"].paginator.num_pages
        for number in NOT_PAGE_NUMBERS:
            response = get(client, name, htmx=True, page=number)
            assert (response.status_code, response.context["page"].number) == (200, 1), (role, number)
        for number in PAST_THE_END:
            response = get(client, name, htmx=True, page=number)
            assert (response.status_code, response.context["page"].number) == (200, last_number), (role, number)


@pytest.mark.parametrize("name", LIST_NAMES)
def test_page_links_keep_the_filters_and_the_sort(client, world, name):
    pattern = dict(LISTS)[name]
    key = list(list_view(pattern).sortable())[-1]
    client.force_login(world.user(roles_seeing(name)[0]))
    body = get(client, name, sort=f"-{key}", colour="blue").content.decode()
    links = re.findall(r'href="\?([^"]*page=2)"', body)
    assert links, "a link to the next page"
    assert all(f"sort=-{key}" in link.replace("%2D", "-") and "colour=blue" in link for link in links), links


def filter_fields(response):
    filterset = response.context["filterset"]
    return list(filterset.form.fields) if filterset is not None else []


def assert_refused_or_accepted(client, name, params, fields=(), htmx=False):
    """400 with the filters' error summary (naming each refused filter) and nothing listed; or,
    when every value is one the filters accept, a plain 200. Returns whether it was refused."""
    response = get(client, name, htmx=htmx, **params)
    form = response.context["filterset"].form
    if not form.errors:
        assert response.status_code == 200, params
        return False
    assert response.status_code == 400, params
    body = response.content.decode()
    assert "Check the filters" in body
    for field in set(fields) & set(form.errors):
        assert form.fields[field].label in body, field
    assert response.context["page"].paginator.count == 0
    return True


def assert_nothing_downloaded(client, name, params):
    export = get(client, name, **params, export="csv")
    assert export.status_code == 400 and not is_download(export), params


@pytest.mark.parametrize("name", LIST_NAMES)
def test_filter_values_the_filters_do_not_know_are_refused_with_a_message(client, world, name):
    """Each filter, one bad value at a time (the results as htmx asks for them, and the download
    with the first value refused); then, for every role, the whole page with every filter at once."""
    roles = roles_seeing(name)
    client.force_login(world.user(roles[0]))
    fields = filter_fields(get(client, name))
    for field in fields:
        refused = [v for v in BAD_FILTER_VALUES if assert_refused_or_accepted(client, name, {field: v}, [field], True)]
        if refused:
            assert_nothing_downloaded(client, name, {field: refused[0]})
    for role in roles:
        client.force_login(world.user(role))
        unfiltered = get(client, name).context["page"].paginator.count
        assert get(client, name, colour="blue").context["page"].paginator.count == unfiltered, (
            "unknown names are ignored"
        )
        if fields:
            assert assert_refused_or_accepted(client, name, dict.fromkeys(fields, "zzz-unknown"), fields)


HISTORIES = sorted(
    name
    for name, pattern in url_patterns()
    if name.endswith("history") and view_class(pattern) and name in PAGES and roles_seeing(name)
)


@pytest.mark.parametrize("name", HISTORIES)
def test_a_history_page_reads_any_page_number(client, world, name, monkeypatch):
    """History pages share the lists' reading of ``?page=``: first page, or last past the end."""
    monkeypatch.setattr(ObjectHistoryView, "page_size", 1)
    client.force_login(world.user(roles_seeing(name)[0]))
    url = reverse(name, args=PAGES[name].args(world))
    for number in [*NOT_PAGE_NUMBERS, *PAST_THE_END]:
        response = client.get(url, {"page": number})
        assert response.status_code == 200, (name, number)
        page = response.context["page"]
        assert page.number == (1 if number in NOT_PAGE_NUMBERS else page.paginator.num_pages), number

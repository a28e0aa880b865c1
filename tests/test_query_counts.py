"""Every list, detail and history page costs the same number of queries however much it shows.

For each such page of every app (each app's ``QUERIES`` rows, ``tests/rows.py``), the world is
grown a little and the page's queries counted, then grown twenty fold and counted again: the two
counts must be equal (no query per row, per child or per change), and the page must show more the
second time (so an empty page cannot pass for a cheap one). A list, detail or history page with no
row fails the last test. Each app's own ``test_query_counts.py`` has closer checks of its pages
(filters, sorts, exports, panels).
"""

import pytest
from django.urls import reverse

from core.views import ObjectDetailView, ObjectHistoryView, ObjectListView
from tests.counting import measure
from tests.fixtures import sign_in
from tests.rows import collect
from tests.urls import url_patterns, view_class

QUERIES = collect("QUERIES")
READ_PAGES = (ObjectListView, ObjectDetailView, ObjectHistoryView)


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_a_page_costs_the_same_however_much_it_shows(client, world, name):
    growth = QUERIES[name]
    sign_in(client, world, growth.role)
    url = reverse(name, args=growth.args(world))
    growth.grow(world, 2)
    small, response = measure(client, url, growth.params)
    shown_small = growth.shown(response.content.decode())
    growth.grow(world, 20)
    large, response = measure(client, url, growth.params)
    shown_large = growth.shown(response.content.decode())
    assert shown_large > shown_small, f"{name} shows {shown_small} things, then {shown_large}: it did not grow"
    assert small == large, f"{name}: {small} queries, then {large} when it shows twenty more"


def test_every_list_detail_and_history_page_has_a_row():
    pages = {name for name, pattern in url_patterns() if (v := view_class(pattern)) and issubclass(v, READ_PAGES)}
    assert pages - set(QUERIES) == set(), "read pages with no QUERIES row"
    assert set(QUERIES) - pages == set(), "QUERIES rows that are not list, detail or history pages"

"""The organisations list costs the same number of queries however many organisations there are."""

import pytest
from django.urls import reverse

from organisations.models import Organisation
from tests.counting import PAGE_SIZE, Register, measure, table_rows, total_shown


@pytest.mark.parametrize(
    "params",
    [{}, {"kind": "vcse", "sort": "-partnership_count"}, {"q": "Organisation", "sort": "ods_code"}],
    ids=["everything", "kind, sorted by partnerships", "search, sorted by ODS code"],
)
def test_the_organisations_list_costs_the_same_for_10_and_200_organisations(coordinator, db, params):
    register = Register(organisations=10)
    register.grow_to(30)
    url = reverse("organisations:list")
    counts = []
    for size in (10, 200):
        register.add_organisations(size - len(register.organisations))
        queries, response = measure(coordinator, url, params)
        matching = Organisation.objects.filter(kind=params["kind"]).count() if "kind" in params else size
        assert table_rows(response) == min(matching, PAGE_SIZE)
        assert total_shown(response) == matching
        counts.append(queries)
    assert counts[0] == counts[1]

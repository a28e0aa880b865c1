"""``core.links.reverse_pk`` gives exactly the links ``reverse()`` gives."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from core.links import frozen, reverse_pk

PAGES = ["partnerships:detail", "agreements:detail", "risks:detail", "governance:meeting", "accounts:detail"]


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("pk", [0, 1, 7, 42, 98765, 987654321987654321])
def test_same_link_as_reverse(name, pk):
    assert reverse_pk(name, pk) == reverse(name, args=[pk])


def test_under_a_script_prefix():
    set_script_prefix("/accord/")
    try:
        assert reverse_pk("partnerships:detail", 5) == "/accord/partnerships/5/"
        assert reverse("partnerships:detail", args=[5]) == "/accord/partnerships/5/"
    finally:
        set_script_prefix("/")
    assert reverse_pk("partnerships:detail", 5) == "/partnerships/5/"


def test_anything_but_an_id_is_left_to_reverse():
    assert reverse_pk("partnerships:detail", "12") == reverse("partnerships:detail", args=["12"])
    with pytest.raises(NoReverseMatch):
        reverse_pk("partnerships:detail", None)
    with pytest.raises(NoReverseMatch):
        reverse_pk("partnerships:detail", -1)


def test_frozen_links_are_those_of_the_prefix_read_on_entry_and_only_while_frozen():
    set_script_prefix("/accord/")
    try:
        with frozen():
            assert reverse_pk("risks:detail", 9) == "/accord/risks/9/" == reverse("risks:detail", args=[9])
    finally:
        set_script_prefix("/")
    with frozen():
        assert reverse_pk("risks:detail", 9) == "/risks/9/"
    set_script_prefix("/elsewhere/")
    try:
        assert reverse_pk("risks:detail", 9) == "/elsewhere/risks/9/"  # not the prefix frozen before
    finally:
        set_script_prefix("/")

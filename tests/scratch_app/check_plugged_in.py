"""With the scratch app installed (``tests/scratch_app/settings.py``), it shows up everywhere an app
should, though no file outside its folder names it. Run by ``tests/test_scratch_app.py``."""

from django.urls import reverse

from core.permissions import RIGHTS
from tests.rows import collect
from tests.scratch_app.models import Visit


def test_its_rights_are_in_the_rights_table():
    assert RIGHTS[("scratch.visit", "view")]
    assert RIGHTS[("scratch.visit", "add")]["lead"] == "own"


def test_it_is_in_the_menu(client, world):
    client.force_login(world.user("board_member"))
    body = client.get(reverse("partnerships:list")).content.decode()
    assert f'href="{reverse("scratch:list")}">Site visits</a>' in body


def test_its_panel_is_on_the_partnership_page(client, world):
    client.force_login(world.user("owner"))
    body = client.get(world.partnership.get_absolute_url()).content.decode()
    assert '<h2 id="visits">Site visits</h2>' in body
    assert world.visit.note in body
    assert world.other_visit.note not in body
    assert reverse("scratch:add", args=[world.partnership.pk]) in body


def test_its_items_are_in_the_needs_attention_list(client, world):
    client.force_login(world.user("owner"))
    body = client.get(reverse("core:attention"), headers={"HX-Request": "true"}).content.decode()
    panel = body.split('id="needs-attention"', 1)[1].split("</ul>", 1)[0]
    assert "Follow-up due" in panel
    assert "Follow up the visit by 01 February 2026." in panel


def test_its_pages_are_in_the_permission_matrix():
    pages = collect("PAGES")
    assert {"scratch:list", "scratch:add"} <= set(pages)
    assert Visit._meta.label in collect("AUDIT")

"""The register's keepers are told which leads an import left to confirm: each such partnership is an
item of their work ("needs attention"), linking to the page where they choose who leads it."""

import pytest
from django.urls import reverse

from core.attention import Filters, needs_attention
from partnerships.models import Partnership

pytestmark = pytest.mark.django_db


def to_confirm(world, role):
    return needs_attention(world.user(role), filters=Filters(kinds=("leads_to_confirm",)))


def record(world, *texts):
    for n, text in enumerate(texts):
        Partnership.objects.create(
            reference=f"P-09{n:02d}", title=f"Imported {n}", arrangement_type="alliance", recorded_lead=text
        )


@pytest.mark.parametrize("role", ["coordinator", "administrator"])
def test_the_keepers_see_each_lead_still_to_confirm(world, role):
    record(world, "Head of Adult Services", "Clinical Director")
    items = to_confirm(world, role)
    assert [(i.tag, i.title, i.reference) for i in items] == [
        ("Lead to confirm", "Imported 0", "P-0900"),
        ("Lead to confirm", "Imported 1", "P-0901"),
    ]
    assert {i.url for i in items} == {reverse("partnerships:leads_to_confirm")}
    assert items[0].message == "No user is linked. Choose who leads it."


@pytest.mark.parametrize("role", ["owner", "executive", "auditor"])
def test_nobody_else_is_told(world, role):
    record(world, "Head of Adult Services")
    assert to_confirm(world, role) == []


def test_a_lead_that_names_its_user_is_not_to_confirm(world):
    Partnership.objects.filter(pk=world.partnership.pk).update(recorded_lead="Dr Anne Clarke")
    assert world.partnership.title not in [i.title for i in to_confirm(world, "coordinator")]

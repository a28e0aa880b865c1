"""The register's keepers are told, on the register, how many leads an import left to confirm."""

import pytest
from django.urls import reverse

from partnerships.models import Partnership
from tests.fixtures import sign_in


def attention_panel(client):
    body = client.get(reverse("core:attention"), headers={"HX-Request": "true"}).content.decode()
    return body.split('id="needs-attention"', 1)[1].split("</ul>", 1)[0] if 'id="needs-attention"' in body else ""


def record(world, *texts):
    for n, text in enumerate(texts):
        Partnership.objects.create(
            reference=f"P-09{n:02d}", title=f"Imported {n}", arrangement_type="alliance", recorded_lead=text
        )


@pytest.mark.parametrize("role", ["coordinator", "administrator"])
def test_the_keepers_see_how_many_leads_are_still_to_confirm(client, world, role):
    record(world, "Head of Adult Services", "Clinical Director")
    sign_in(client, world, role)
    panel = attention_panel(client)
    assert "Leads to confirm" in panel
    assert f'href="{reverse("partnerships:leads_to_confirm")}">2 partnerships</a>' in panel


@pytest.mark.parametrize("role", ["owner", "executive", "auditor"])
def test_nobody_else_is_told(client, world, role):
    record(world, "Head of Adult Services")
    sign_in(client, world, role)
    assert "Leads to confirm" not in attention_panel(client)


def test_a_lead_that_names_its_user_is_not_to_confirm(client, world):
    Partnership.objects.filter(pk=world.partnership.pk).update(recorded_lead="Dr Anne Clarke")
    sign_in(client, world, "coordinator")
    assert "Leads to confirm" not in attention_panel(client)

"""The register writes its cells in Python (``partnerships.display``): whatever people type into
a title, a partner's name or their own name is shown as text, never run as markup."""

from django.urls import reverse

from organisations.models import Organisation
from partnerships.models import PartnerRole

MARKUP = {
    "title": '<img src=x onerror="alert(1)">',
    "partner": "<script>alert(2)</script> Trust",
    "lead": "<b>Bold</b>",
}


def test_the_register_shows_typed_markup_as_text_in_every_column(world, client):
    p = world.partnership
    p.title = MARKUP["title"]
    p.save()
    p.lead.first_name = MARKUP["lead"]
    p.lead.save()
    partner = Organisation.objects.create(name=MARKUP["partner"], kind="nhs_trust")
    PartnerRole.objects.create(partnership=p, organisation=partner, role="partner")
    client.force_login(world.user("coordinator"))
    columns = ["title", "partners", "arrangement_type", "status", "tier", "annual_value", "lead", "next_review_date"]
    page = client.get(reverse("partnerships:list"), {"q": p.reference, "columns": columns}).content.decode()
    for typed in MARKUP.values():
        assert typed not in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page
    assert "&lt;script&gt;alert(2)&lt;/script&gt; Trust" in page
    assert "&lt;b&gt;Bold&lt;/b&gt;" in page

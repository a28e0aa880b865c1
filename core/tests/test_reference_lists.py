"""The administrator's reference lists and tier thresholds: add, edit, delete, history, refusals."""

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from core.models import AuditEntry, BafRiskTheme, ServiceArea, StrategicObjective, TierThresholds
from core.roles import TRUST_ROLES, Role
from partnerships.models import ArrangementType, Partnership
from tests.editing import opened_version

LISTS = [
    (StrategicObjective, {"number": "7", "name": "Research and innovation", "description": "", "is_active": "on"}),
    (BafRiskTheme, {"name": "Workforce capacity", "strategic_objective": "", "is_active": "on"}),
    (ServiceArea, {"name": "Forensic services", "is_active": "on"}),
]


THRESHOLDS = reverse("core:tierthresholds_edit")


def url(model, page, obj=None):
    return reverse(f"core:{model._meta.model_name}_{page}", args=[obj.pk] if obj else [])


def entries(obj):
    return AuditEntry.objects.filter(object_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk)


def partnership(reference="P-0001", value=None, **extra):
    return Partnership.objects.create(
        reference=reference,
        title=f"Partnership {reference}",
        arrangement_type=ArrangementType.MOU,
        **extra,
        annual_value=value,
    )


@pytest.fixture
def admin(client_for):
    return client_for(Role.ADMINISTRATOR)


@pytest.mark.parametrize(("model", "data"), LISTS, ids=lambda v: getattr(v, "__name__", ""))
def test_administrator_adds_edits_and_deletes_an_entry(admin, model, data):
    response = admin.post(url(model, "add"), data)
    assert response.status_code == 302
    assert response["Location"] == url(model, "list")
    item = model.objects.get(name=data["name"])
    assert item.is_active

    listed = admin.get(url(model, "list"))
    assert data["name"] in listed.content.decode()
    assert "Not used" in listed.content.decode()

    edit = url(model, "edit", item)
    admin.post(edit, {**opened_version(admin, edit), **data, "name": f"  {data['name']}   (renamed) ", "is_active": ""})
    item.refresh_from_db()
    assert (item.name, item.is_active) == (f"{data['name']} (renamed)", False)
    update = entries(item).get(action="update")
    assert update.before["name"] == data["name"] and update.after["name"] == item.name

    history = admin.get(url(model, "history", item))
    assert history.status_code == 200 and "(renamed)" in history.content.decode()

    assert "Delete" in admin.get(url(model, "delete", item)).content.decode()
    response = admin.post(url(model, "delete", item))
    assert response["Location"] == url(model, "list")
    assert not model.objects.filter(pk=item.pk).exists()
    assert entries(item).filter(action="delete").exists()


@pytest.mark.parametrize(("model", "data"), LISTS, ids=lambda v: getattr(v, "__name__", ""))
def test_a_name_already_on_the_list_in_another_case_is_refused(admin, model, data):
    admin.post(url(model, "add"), data)
    again = {**data, "name": data["name"].upper(), "number": "8"}
    response = admin.post(url(model, "add"), again)
    assert response.status_code == 400
    assert f"“{data['name'].upper()}” is already on this list." in response.content.decode()
    assert model.objects.filter(name__iexact=data["name"]).count() == 1


def test_objective_number_already_used_is_refused(admin):
    StrategicObjective.objects.create(number=1, name="Quality")
    response = admin.post(url(StrategicObjective, "add"), {"number": "1", "name": "People", "is_active": "on"})
    assert response.status_code == 400
    assert "Number 1 is already used by “Quality”." in response.content.decode()
    assert StrategicObjective.objects.count() == 1


def test_deleting_a_service_area_a_partnership_uses_is_refused(admin):
    area = ServiceArea.objects.create(name="Adult mental health")
    partnership(service_area=area)
    page = admin.get(url(ServiceArea, "delete", area)).content.decode()
    assert "cannot be deleted because 1 partnership uses it" in page
    assert "Make it inactive instead" in page
    assert 'type="submit"' not in page.split("<main")[1]

    response = admin.post(url(ServiceArea, "delete", area), follow=True)
    assert "cannot be deleted because 1 partnership uses it" in response.content.decode()
    assert ServiceArea.objects.filter(pk=area.pk).exists()
    assert not entries(area).filter(action="delete").exists()


def test_deleting_an_objective_linked_to_partnerships_is_refused_and_nothing_is_unlinked(admin):
    objective = StrategicObjective.objects.create(number=2, name="Partnerships")
    first, second = partnership("P-0001"), partnership("P-0002")
    first.strategic_objectives.add(objective)
    second.strategic_objectives.add(objective)
    BafRiskTheme.objects.create(name="System working", strategic_objective=objective)

    listed = admin.get(url(StrategicObjective, "list")).content.decode()
    assert "1 BAF risk theme and 2 partnerships" in listed

    response = admin.post(url(StrategicObjective, "delete", objective), follow=True)
    page = response.content.decode()
    assert "cannot be deleted because 1 BAF risk theme and 2 partnerships use it" in page
    assert "Make it inactive instead" in page
    assert StrategicObjective.objects.filter(pk=objective.pk).exists()
    assert set(objective.partnership_set.values_list("reference", flat=True)) == {"P-0001", "P-0002"}


def test_deleting_a_baf_theme_linked_to_a_partnership_is_refused(admin):
    theme = BafRiskTheme.objects.create(name="Financial sustainability")
    partnership().baf_themes.add(theme)
    response = admin.post(url(BafRiskTheme, "delete", theme), follow=True)
    assert "cannot be deleted because 1 partnership uses it" in response.content.decode()
    assert BafRiskTheme.objects.filter(pk=theme.pk).exists()
    assert partnership_has_theme(theme)


def partnership_has_theme(theme):
    return Partnership.objects.filter(baf_themes=theme).exists()


def test_inactive_objectives_are_not_offered_for_a_new_baf_theme(admin):
    StrategicObjective.objects.create(number=1, name="Quality")
    StrategicObjective.objects.create(number=2, name="Retired objective", is_active=False)
    page = admin.get(url(BafRiskTheme, "add")).content.decode()
    assert "1) Quality" in page
    assert "Retired objective" not in page


# -- Tier thresholds ---------------------------------------------------------------------------------


def tier_of(p):
    return Partnership.objects.with_tier().get(pk=p.pk).tier


def register_references(client, tier):
    response = client.get(reverse("partnerships:list"), {"tier": tier})
    return [obj.reference for obj, *_ in response.context["rows"]]


def test_lowering_the_tier_1_threshold_moves_a_500k_partnership_to_tier_1(admin):
    p = partnership("P-0500", value=Decimal("500000"))
    assert tier_of(p) == 2
    assert register_references(admin, 2) == ["P-0500"]

    page = admin.get(reverse("core:tierthresholds_edit")).content.decode()
    assert 'value="1,000,000"' in page

    response = admin.post(
        reverse("core:tierthresholds_edit"),
        {"tier1_min_value": "£400,000", "tier2_min_value": "100000", **opened_version(admin, THRESHOLDS)},
    )
    assert response.status_code == 302
    assert TierThresholds.current().tier1_min_value == Decimal("400000")
    assert tier_of(p) == 1
    assert register_references(admin, 1) == ["P-0500"]
    assert register_references(admin, 2) == []

    entry = entries(TierThresholds.current()).get(action="update")
    assert (entry.before["tier1_min_value"], entry.after["tier1_min_value"]) == ("1000000", "400000")


@pytest.mark.parametrize("tier1", ["100000", "50000"])
def test_tier_1_threshold_must_stay_above_tier_2(admin, tier1):
    p = partnership("P-0500", value=Decimal("500000"))
    data = {"tier1_min_value": tier1, "tier2_min_value": "100000", **opened_version(admin, THRESHOLDS)}
    response = admin.post(THRESHOLDS, data)
    assert response.status_code == 400
    assert "The Tier 1 threshold must be higher than the Tier 2 threshold." in response.content.decode()
    assert TierThresholds.current().tier1_min_value == Decimal("1000000")
    assert tier_of(p) == 2


def test_threshold_that_is_not_an_amount_is_refused(admin):
    data = {"tier1_min_value": "a million", "tier2_min_value": "", **opened_version(admin, THRESHOLDS)}
    response = admin.post(THRESHOLDS, data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Enter the Tier 1 threshold as an amount in pounds" in page
    assert "Enter the Tier 2 threshold in pounds." in page


# -- The administration index and who may use it ---------------------------------------------------------


def administration_urls():
    """Every administration page in core, and whether it takes a POST (a form) or only GET."""
    objective = StrategicObjective.objects.create(number=9, name="Sustainability")
    theme = BafRiskTheme.objects.create(name="Cyber security")
    area = ServiceArea.objects.create(name="Learning disabilities")
    urls = {
        reverse("core:administration"): False,
        reverse("core:tierthresholds_edit"): True,
        reverse("core:tierthresholds_history"): False,
    }
    for model, obj in ((StrategicObjective, objective), (BafRiskTheme, theme), (ServiceArea, area)):
        urls |= {url(model, "list"): False, url(model, "add"): True, url(model, "history", obj): False}
        urls |= {url(model, "edit", obj): True, url(model, "delete", obj): True}
    return urls


def test_administration_index_links_to_every_list(admin):
    page = admin.get(reverse("core:administration")).content.decode()
    for target in (
        reverse("accounts:list"),
        url(StrategicObjective, "list"),
        url(BafRiskTheme, "list"),
        url(ServiceArea, "list"),
        reverse("core:tierthresholds_edit"),
    ):
        assert f'href="{target}"' in page


def test_administrator_reaches_every_administration_page(admin):
    for address in administration_urls():
        assert admin.get(address).status_code == 200, address


@pytest.mark.parametrize("role", [r for r in TRUST_ROLES if r != Role.ADMINISTRATOR])
def test_other_roles_are_refused_every_administration_page(client_for, role):
    client = client_for(role)
    addresses = administration_urls()
    before = (AuditEntry.objects.count(), ServiceArea.objects.count(), StrategicObjective.objects.count())
    data = {"name": "Hijacked", "number": "99", "is_active": "on", "tier1_min_value": "1", "tier2_min_value": "0"}
    for address, takes_post in addresses.items():
        assert client.get(address).status_code == 403, address
        assert client.post(address, data).status_code == (403 if takes_post else 405), address
    assert (AuditEntry.objects.count(), ServiceArea.objects.count(), StrategicObjective.objects.count()) == before
    assert TierThresholds.current().tier1_min_value == Decimal("1000000")
    assert not ServiceArea.objects.filter(name="Hijacked").exists()


def test_the_baf_risk_themes_keep_their_capitals_in_headings_and_messages(admin):
    """BAF is an abbreviation: never "Baf risk themes"."""
    index = admin.get(reverse("core:administration")).content.decode()
    assert ">BAF risk themes</a>" in index
    page = admin.get(url(BafRiskTheme, "list")).content.decode()
    assert "<title>BAF risk themes – Accord</title>" in page and "<h1>BAF risk themes</h1>" in page
    added = admin.post(url(BafRiskTheme, "add"), LISTS[1][1], follow=True).content.decode()
    assert "BAF risk theme added: Workforce capacity" in added
    assert "Baf" not in index + page + added

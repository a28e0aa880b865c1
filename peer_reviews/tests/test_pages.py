"""The peer review pages: the round's grid and its change from the previous round, the ratings
page, the list's filters and export, the partnership page's panel and "needs attention"."""

import datetime

import pytest
from django.urls import reverse

from core.audit import audit_context
from peer_reviews import services
from peer_reviews.models import ReviewAction, ReviewArea, ReviewRound
from peer_reviews.tests.rows import ratings_data
from tests.counting import measure
from tests.spreadsheets import read_rows

pytestmark = pytest.mark.django_db


def later_round(w, title="Forensic network 2020", start=datetime.date(2020, 10, 1)):
    with audit_context(user=w.user("administrator"), source="test"):
        later = services.save_round(
            ReviewRound(partnership=w.partnership, title=title, start_date=start), [w.home_trust], [w.partner_org]
        )
        services.rate(
            later.areas.get(name=w.area.name),
            safe="outstanding",
            well_led="requires_improvement",
            well_led_findings="Still none.",
        )
    return later


def test_the_round_page_writes_each_rating_in_its_coloured_tag_and_the_change_since_the_last_round(client, world):
    later = later_round(world)
    client.force_login(world.user("board_member"))
    body = client.get(reverse("peer_reviews:detail", args=[later.pk])).content.decode()
    assert '<strong class="nhsuk-tag nhsuk-tag--blue">Outstanding</strong>' in body
    assert '<strong class="nhsuk-tag nhsuk-tag--orange">Requires improvement</strong>' in body
    assert (
        f'Compared with <a class="nhsuk-link" href="{world.review_round.get_absolute_url()}">Forensic network 2019</a>'
        in body
    )
    assert "1 better, 1 the same, 0 worse, 0 new." in body
    assert '<span aria-hidden="true">▲ </span>Better' in body
    assert "Edit the round" not in body  # a board member reads


def test_the_first_round_has_nothing_to_compare_with_and_shows_its_actions(client, world):
    client.force_login(world.user("owner"))
    body = client.get(reverse("peer_reviews:detail", args=[world.review_round.pk])).content.decode()
    assert "The partnership's first round: there is nothing earlier to compare with." in body
    assert "Agree the escalation route" in body
    assert reverse("peer_reviews:ratings", args=[world.area.pk]) in body
    assert reverse("peer_reviews:area_remove", args=[world.unrated_area.pk]) in body
    assert reverse("peer_reviews:area_remove", args=[world.area.pk]) not in body  # rated: it stays


def test_one_page_rates_all_five_key_questions_of_an_area(client, world):
    client.force_login(world.user("delegate"))
    url = reverse("peer_reviews:ratings", args=[world.unrated_area.pk])
    page = client.get(url).content.decode()
    data = ratings_data(
        world.unrated_area,
        safe="good",
        effective="good",
        caring="outstanding",
        responsive="requires_improvement",
        responsive_findings="Evening calls go unanswered.",
        well_led="good",
    )
    version = page.split('name="record_version" value="', 1)[1].split('"', 1)[0]
    response = client.post(url, {**data, "record_version": version})
    assert response.status_code == 302
    area = ReviewArea.objects.get(pk=world.unrated_area.pk)
    assert [r for _, r, _ in area.ratings()] == ["good", "good", "outstanding", "requires_improvement", "good"]


def test_the_list_filters_by_partnership_and_year_and_exports_the_ratings(client, world):
    later_round(world)
    client.force_login(world.user("auditor"))
    url = reverse("peer_reviews:list")
    body = client.get(url, {"year": "2020"}).content.decode()
    assert "Forensic network 2020" in body and "Forensic network 2019" not in body
    body = client.get(url, {"partnership": "talking space"}).content.decode()
    assert "Talking Space Plus 2019" in body and "Forensic network" not in body
    assert client.get(url, {"year": "twenty"}).status_code == 400
    header, rows = read_rows(client.get(url, {"export": "csv", "year": "2019", "partnership": "P-0001"}))
    row = dict(zip(header, rows[0], strict=True))
    assert len(rows) == 1
    assert row["Round"] == "Forensic network 2019"
    assert row["Ratings"] == "Good: 1; Requires improvement: 1"
    assert row["Operational areas"] == "5"


def test_the_partnership_page_shows_its_rounds_and_the_latest_grid_in_constant_queries(client, world):
    client.force_login(world.user("owner"))
    url = world.partnership.get_absolute_url()
    small, response = measure(client, url)
    body = response.content.decode()
    assert '<h2 id="peer-reviews">Peer quality reviews</h2>' in body
    assert reverse("peer_reviews:add", args=[world.partnership.pk]) in body
    for year in range(2020, 2030):
        latest = later_round(world, title=f"Forensic network {year}", start=datetime.date(year, 10, 1))
    large, response = measure(client, url)
    body = response.content.decode()
    assert (
        "Latest round: <a" in body and "Forensic network 2029" in body and "compared with Forensic network 2028" in body
    )
    assert f'<a class="nhsuk-link" href="{latest.get_absolute_url()}#area-' in body  # the area on its round's page
    assert small == large


def test_another_leads_partnership_page_offers_no_new_round(client, world):
    client.force_login(world.user("owner"))
    body = client.get(world.other_partnership.get_absolute_url()).content.decode()
    assert "Talking Space Plus 2019" in body
    assert reverse("peer_reviews:add", args=[world.other_partnership.pk]) not in body


def test_an_overdue_action_is_in_its_owners_needs_attention(client, world):
    with audit_context(user=world.user("administrator"), source="test"):
        action = ReviewAction.objects.get(pk=world.review_action.pk)
        action.due_date = datetime.date(2020, 1, 31)
        services.save_action(action)
    client.force_login(world.user("owner"))
    body = client.get(reverse("core:attention"), headers={"HX-Request": "true"}).content.decode()
    panel = body.split('id="needs-attention"', 1)[1].split("</ul>", 1)[0]
    assert "Action overdue" in panel and "Forensic network 2019: Agree the escalation route" in panel
    client.force_login(world.user("delegate"))
    body = client.get(reverse("partnerships:list")).content.decode()
    assert "Forensic network 2019: Agree the escalation route" not in body

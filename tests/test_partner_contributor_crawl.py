"""A partner contributor finds nothing but their own organisation's partnerships.

The contributor of the world (``tests/world.py``) belongs to the partner organisation of P-0001;
P-0002 is another organisation's. Two walks, as the contributor:

- from their home page, every link breadth-first (same host, downloads included): nothing answers
  500, and nothing shows another organisation's records or the trust's internal ones;
- every URL of the URL map, with the ids of the world's records and of the other organisation's
  (P-0002's partnership, partners, headlines, agreements, risks, IG items, incidents, indicators
  and their values) and of P-0001's records kept from partners (an incident shared with no
  partner, an indicator not shared): every answer is 403 or 404 (or a redirect, a 405), but for
  the pages the contributor is granted on what is theirs: P-0001's page, the incidents shared with
  their organisation and reporting one, the indicators shared with partners and adding a value.
"""

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

import pytest
from django.urls import reverse

from agreements.models import Agreement
from incidents.models import Incident
from monitoring import periods
from monitoring.models import IndicatorValue, Measure
from partnerships.models import PartnerRole, Partnership
from tests.counting import measure
from tests.fixtures import sign_in
from tests.rows import CONTRIBUTOR, collect, private_text, row_modules
from tests.spreadsheets import export_format, is_download, read_rows
from tests.urls import url_patterns

PAGES = collect("PAGES")
THEIRS = collect("THEIRS")

# What the contributor's own partnership page may show them (its title, purpose, partners and
# its agreements' titles with their status); every other private text of the world is not theirs.
SEEN_BY_PARTNERS = ("partnership.title", "partnership.purpose", "partner_org.name", "draft_agreement.title")

# Granted to a partner contributor by name, each with the arguments of their own records: the
# register's, and every app's ``PARTNER_PAGES`` (``{url name: world -> [arguments]}``).
GRANTED = {
    "partnerships:list": lambda w: [[]],
    "partnerships:detail": lambda w: [[w.partnership.pk]],
    **collect("PARTNER_PAGES"),
}
NEVER_FOLLOWED = ("/accounts/logout/", "/static/")


def _attribute(w, dotted):
    obj = w
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


def not_theirs(w):
    """Text that must never reach the contributor: every app's private text but what their own
    partnership page shows them, the other organisation's records and the trust's internal notes."""
    seen = {_attribute(w, name) for name in SEEN_BY_PARTNERS}
    internal = [
        w.other_org.name,
        w.other_partnership.reference,
        w.other_headline.text,
        w.headline.text,
        w.risk.title,
        w.other_risk.title,
        "65,000,000",  # P-0001's annual value: the trust's figure
        "Forensic network ISA",  # P-0001's IG item
        w.other_incident.summary,
        w.internal_incident.summary,  # P-0001's, shared with no partner
        w.incident.trust_reference,  # the trust's own reference of one shared with them
        str(w.other_measure),
        str(w.internal_measure),  # P-0001's, not shared with partners
    ]
    return sorted({*private_text(w), *internal} - seen)


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href and not href.startswith(("#", "mailto:")):
            self.hrefs.append(href)


def links(body, base):
    parser = Links()
    parser.feed(body)
    for href in parser.hrefs:
        url = urlparse(urljoin(base, href))
        if url.netloc in ("", "testserver"):
            yield url.path + (f"?{url.query}" if url.query else "")


def text_of(response):
    if is_download(response) and export_format(response) not in ("csv", "xlsx"):
        return b"".join(response.streaming_content).decode(errors="replace")  # a document (their evidence)
    if is_download(response):
        headers, rows = read_rows(response)
        return " ".join(str(cell) for row in [headers, *rows] for cell in row)
    return b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()


def assert_nothing_of_theirs(response, w, url):
    assert response.status_code != 500, url
    body = text_of(response)
    for text in not_theirs(w):
        assert text not in body, f"{url} shows {text!r} to a partner contributor"
    return body


@pytest.mark.django_db
def test_every_link_from_a_contributors_home_page_shows_only_their_organisations_partnerships(client, world):
    sign_in(client, world, CONTRIBUTOR)
    queue, seen, reached = deque(["/"]), {"/"}, set()
    while queue:
        url = queue.popleft()
        response = client.get(url)
        assert response.status_code in (200, 302), (url, response.status_code)
        body = assert_nothing_of_theirs(response, world, url)
        reached.add(urlparse(url).path)
        found = [response["Location"]] if response.status_code == 302 else links(body, url)
        for link in found:
            if link not in seen and not link.startswith(NEVER_FOLLOWED):
                seen.add(link)
                queue.append(link)
    own = reverse("partnerships:detail", args=[world.partnership.pk])
    assert {reverse("partnerships:list"), own} <= reached
    # Their partnership's shared incidents and indicators, reporting one and adding a value.
    shared = {
        reverse("incidents:detail", args=[world.incident.pk]),
        reverse("incidents:add", args=[world.partnership.pk]),
        reverse("monitoring:detail", args=[world.measure.pk]),
        reverse("monitoring:value_add", args=[world.measure.pk]),
    }
    assert shared <= reached, shared - reached
    for hidden in (world.internal_incident, world.internal_measure, world.other_incident, world.other_measure):
        assert hidden.get_absolute_url() not in reached
    assert reverse("partnerships:detail", args=[world.other_partnership.pk]) not in reached
    partner_page = client.get(own).content.decode()
    assert world.partnership.purpose in partner_page and world.draft_agreement.title in partner_page


def other_ids(w):
    """The ids of the other organisation's records, to type into every URL with an id."""
    records = ("other_partnership", "other_org", "other_partner_role", "other_headline")
    records += ("other_agreement", "other_risk", "other_risk_action", "other_ig_item", "other_ig_document")
    records += tuple(name for module in row_modules().values() for name in getattr(module, "OTHER_RECORDS", ()))
    return sorted({getattr(w, name).pk for name in records if getattr(w, name, None) is not None})


def tries(w, client):
    """(name, arguments) of every URL: the matrix's, the other lead's records', the other ids."""
    for name, pattern in url_patterns():
        page = PAGES[name]
        if page.prepare:
            page.prepare(client, w, CONTRIBUTOR)
        yield name, list(page.args(w))
        if name in THEIRS:
            yield name, list(THEIRS[name][0](w))
        converters = list(pattern.pattern.converters.values())
        if len(converters) == 1 and converters[0].regex == "[0-9]+":
            yield from ((name, [pk]) for pk in other_ids(w))


@pytest.mark.django_db
def test_every_url_with_another_organisations_ids_refuses_a_contributor(client, world):
    sign_in(client, world, CONTRIBUTOR)
    granted = {name: [list(own) for own in arguments(world)] for name, arguments in GRANTED.items()}
    HOMES = {reverse("home"), reverse("partnerships:list"), reverse("reporting:work")}
    for name, args in tries(world, client):
        url = reverse(name, args=args)
        response = client.get(url)
        body = assert_nothing_of_theirs(response, world, url)
        if name in granted and args in granted[name]:
            assert response.status_code == 200, (url, response.status_code)
        elif name in granted:  # a record of another organisation, or not shared: never said to exist
            assert response.status_code == 404, (url, response.status_code)
        elif response.status_code == 302:
            assert urlparse(response["Location"]).path in HOMES, url
        else:
            assert response.status_code in (403, 404, 405), (url, response.status_code)
            assert not is_download(response) and world.partnership.title not in body, url


def more_partnerships_of_the_contributors_organisation(w, n):
    start = Partnership.objects.count() + 500
    for i in range(start, start + n):
        partnership = Partnership.objects.create(
            reference=f"P-{i:04d}", title=f"Shared {i}", arrangement_type="alliance"
        )
        PartnerRole.objects.create(partnership=partnership, organisation=w.partner_org)
        Agreement.objects.create(partnership=w.partnership, kind="mou", title=f"Agreement {i}")


@pytest.mark.django_db
def test_a_contributors_register_and_partnership_page_cost_the_same_however_much_they_show(client, world):
    sign_in(client, world, CONTRIBUTOR)
    register, page = reverse("partnerships:list"), reverse("partnerships:detail", args=[world.partnership.pk])
    more_partnerships_of_the_contributors_organisation(world, 2)
    small = [measure(client, url)[0] for url in (register, page)]
    more_partnerships_of_the_contributors_organisation(world, 20)
    (large_register, response), (large_page, detail) = measure(client, register), measure(client, page)
    assert response.content.decode().count("Shared ") == 22 and detail.content.decode().count("Agreement ") >= 22
    assert [large_register, large_page] == small


def more_shared_with_the_contributor(w, n):
    """``n`` more incidents shared with the contributor's organisation, indicators shared with
    partners (each with a value) and values of the shared ``measure``, on P-0001; and as many kept
    from partners, which must cost nothing either."""
    start = Incident.objects.count()
    first = IndicatorValue.objects.filter(measure=w.measure).order_by("period_start").first().period_start
    for i in range(start, start + n):
        for shared in (True, False):
            incident = Incident.objects.create(
                partnership=w.partnership,
                kind="incident",
                occurred_on=w.incident.occurred_on,
                reported_by=w.partner_org,
                severity="low",
                summary=f"Shared incident {i}" if shared else f"Kept incident {i}",
            )
            if shared:
                incident.shared_with.add(w.partner_org)
            indicator = w.draft_agreement.indicators.create(measure=f"{'Shared' if shared else 'Kept'} indicator {i}")
            extra = Measure.objects.create(
                indicator=indicator, unit="number", target=10, frequency="annually", shared_with_partners=shared
            )
            extra.values.create(period_start=first, period_end=first, value=i % 13)
        start_of = periods.add_months(first, -3 * (i - start + 1 + getattr(w, "_earlier", 0)))
        w.measure.values.create(
            period_start=start_of, period_end=periods.period_end(start_of, "quarterly"), value=i % 7
        )
    w._earlier = getattr(w, "_earlier", 0) + n


@pytest.mark.django_db
def test_a_contributors_incident_and_indicator_pages_cost_the_same_however_much_they_show(client, world):
    sign_in(client, world, CONTRIBUTOR)
    pages = (
        reverse("partnerships:detail", args=[world.partnership.pk]),
        reverse("incidents:detail", args=[world.incident.pk]),
        reverse("monitoring:detail", args=[world.measure.pk]),
    )
    more_shared_with_the_contributor(world, 2)
    small = [measure(client, url)[0] for url in pages]
    more_shared_with_the_contributor(world, 20)
    large, bodies = zip(*(measure(client, url) for url in pages), strict=True)
    partnership_page, _, measure_page = (b.content.decode() for b in bodies)
    assert partnership_page.count("Shared incident ") >= 10  # the panel shows the latest ten
    assert len(set(re.findall(r"Shared indicator \d+", partnership_page))) == 22
    assert "Kept " not in partnership_page
    assert measure_page.count('<tr class="nhsuk-table__row"') >= 23
    assert list(large) == small

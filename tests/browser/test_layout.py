"""The NHS.UK look: a sans-serif font, and pages that fit the screen, at 1280px and on a phone.

Each role's pages are visited in one logged-in browser, at both widths, with the demo-like
world of ``tests.world`` and a partnership whose values are as long as people type them: a
200-character title, a long organisation name, an address with no spaces in its notes.
"""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from core.audit import audit_context
from core.exports import write_xlsx
from organisations.models import Organisation, OrganisationKind
from partnerships.models import ArrangementType, Headline, PartnerRole, Partnership, Status
from partnerships.spreadsheet import REGISTER_HEADERS, register_rows
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (1280, 390)
LONG_TITLE = (
    "Buckinghamshire, Oxfordshire and Berkshire West integrated community mental health, learning "
    "disability and autism pathway for children, young people and adults moving between services across settings"
)
LONG_ORGANISATION = (
    "The Oxfordshire and Buckinghamshire Voluntary, Community and Social Enterprise Mental Health Alliance"
)
LONG_ADDRESS = "https://www.oxfordhealth.nhs.uk/partnerships/" + "evidence-of-the-standard-" * 5 + "2019.pdf"
SERIF_FONTS = ("Times", "Liberation Serif", "DejaVu Serif", "Georgia", "Nimbus Roman")

# How wide the page is, and where the header and the main heading start, as the browser lays them out.
FACTS = """() => {
  const header = document.querySelector('.nhsuk-header__container');
  const heading = document.querySelector('main h1');
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    headerLeft: header ? Math.round(header.getBoundingClientRect().left) : null,
    headingLeft: heading ? Math.round(heading.getBoundingClientRect().left) : null,
  };
}"""


@pytest.fixture
def world(db):
    world = build_world(everything=True)
    with audit_context(user=world.user("administrator"), source="test"):
        organisation = Organisation.objects.create(name=LONG_ORGANISATION, kind=OrganisationKind.VCSE)
        long = Partnership.objects.create(
            reference="P-0099",
            title=LONG_TITLE,
            purpose=LONG_TITLE + " " + LONG_TITLE,
            arrangement_type=ArrangementType.ALLIANCE,
            status=Status.UNDER_REVIEW,
            lead=world.user("owner"),
            annual_value=1_234_567,
            notes=f"Signed standard: {LONG_ADDRESS}",
        )
        PartnerRole.objects.create(partnership=long, organisation=organisation)
        PartnerRole.objects.create(partnership=long, organisation=world.partner_org)
        Headline.objects.create(partnership=long, date=world.headline.date, text=f"Evidence filed at {LONG_ADDRESS}")
    assert len(LONG_TITLE) == 200
    world.long_partnership, world.long_organisation = long, organisation
    return world


def pages(world, role):
    """The list and detail pages a user of ``role`` works with."""
    w = world
    everyone = [
        reverse("reporting:work"),
        reverse("partnerships:list"),
        reverse("partnerships:list") + "?partnerships=all",
        w.long_partnership.get_absolute_url(),
        w.partnership.get_absolute_url(),
        reverse("partnerships:history", args=[w.long_partnership.pk]),
        reverse("agreements:list"),
        w.draft_agreement.get_absolute_url(),
        reverse("agreements:history", args=[w.draft_agreement.pk]),
        reverse("risks:heatmap"),
        reverse("risks:list"),
        reverse("risks:escalated"),
        reverse("risks:profile", args=[w.partnership.pk]),
        w.risk.get_absolute_url(),
        reverse("risks:history", args=[w.risk.pk]),
        reverse("assurance:gaps"),
        reverse("organisations:list"),
        w.long_organisation.get_absolute_url(),
        w.partner_org.get_absolute_url(),
    ]
    if role != "administrator":
        forms = [
            reverse("partnerships:edit", args=[w.long_partnership.pk]),
            reverse("assurance:item_edit", args=[w.ig_item.pk]),
            reverse("agreements:document_add", args=[w.draft_agreement.pk]),
        ]
        return [*everyone, *forms]
    administration = [
        reverse("core:audit_log"),
        reverse("core:audit_log") + "?columns=timestamp&columns=before&columns=after&columns=request_id",
        reverse("core:administration"),
        reverse("accounts:list"),
        reverse("accounts:detail", args=[w.user("owner").pk]),
        reverse("core:bafrisktheme_list"),
        reverse("core:strategicobjective_list"),
        reverse("core:servicearea_list"),
        reverse("core:tierthresholds_edit"),
        reverse("risks:matrix"),
        reverse("assurance:requirements"),
        reverse("partnerships:import"),
    ]
    optional = ("arrangement_type", "next_review_date", "risk_highest_score")
    every_column = "&".join(f"columns={name}" for name in ("reference", "title", "partners", *optional))
    return [*everyone, *administration, reverse("partnerships:list") + "?partnerships=all&" + every_column]


@pytest.fixture
def browse(browser, live_server):
    """A browser logged in as ``user`` (one context for all of that user's pages)."""
    contexts = []

    def open_as(user=None):
        context = browser.new_context()
        contexts.append(context)
        if user is not None:
            client = Client()
            client.force_login(user)
            cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
            context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
        return context.new_page()

    yield open_as
    for context in contexts:
        context.close()


def layout_problems(page, base_url, paths):
    """Every page of ``paths`` that scrolls sideways or whose heading is not under the header's edge."""
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for path in paths:
            response = page.goto(base_url + path)
            assert response.ok, f"{path} answered {response.status}"
            facts = page.evaluate(FACTS)
            if facts["scrollWidth"] > facts["innerWidth"]:
                problems.append(f"{path} at {width}px scrolls sideways: {facts['scrollWidth']}px wide")
            if facts["headingLeft"] is None or abs(facts["headerLeft"] - facts["headingLeft"]) > 1:
                edges = f"header at {facts['headerLeft']}px, heading at {facts['headingLeft']}px"
                problems.append(f"{path} at {width}px: {edges}")
    return problems


@pytest.mark.parametrize("role", ["administrator", "coordinator", "owner"])
def test_no_page_scrolls_sideways_and_every_heading_lines_up_with_the_header(world, browse, live_server, role):
    page = browse(world.user(role))
    problems = layout_problems(page, live_server.url, pages(world, role))
    assert problems == [], "\n".join(problems)


def test_the_import_preview_fits_a_phone_and_a_desktop(world, browse, live_server, tmp_path):
    """Uploading the register's own download: every column matched by a select, every row listed."""
    path = tmp_path / "register.xlsx"
    with path.open("wb") as stream:
        write_xlsx(stream, REGISTER_HEADERS, register_rows(Partnership.objects.order_by("reference")))
    page = browse(world.user("coordinator"))
    page.goto(live_server.url + reverse("partnerships:import"))
    page.get_by_label("Register spreadsheet").set_input_files(str(path))
    page.get_by_role("button", name="Upload and preview").click()
    page.wait_for_url("**/partnerships/import/*/")
    preview = page.url.removeprefix(live_server.url)
    problems = layout_problems(page, live_server.url, [preview])
    assert problems == [], "\n".join(problems)


def test_the_login_page_fits_a_phone_and_a_desktop(browse, live_server):
    assert layout_problems(browse(), live_server.url, [reverse("login")]) == []


def rendered_fonts(page, selector):
    """The fonts Chromium really drew ``selector``'s text with (not just the CSS it asked for)."""
    session = page.context.new_cdp_session(page)
    session.send("DOM.enable")
    session.send("CSS.enable")
    root = session.send("DOM.getDocument")["root"]["nodeId"]
    node = session.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    return [font["familyName"] for font in session.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]]


@pytest.mark.parametrize("logged_in", [False, True], ids=["login page", "register"])
def test_body_text_is_in_the_nhs_font_stack_never_a_serif(world, browse, live_server, logged_in):
    page = browse(world.user("coordinator") if logged_in else None)
    page.goto(live_server.url + (reverse("partnerships:list") if logged_in else reverse("login")))
    paragraph = "main p"
    family = page.evaluate(f"getComputedStyle(document.querySelector('{paragraph}')).fontFamily")
    first = family.split(",")[0].strip().strip('"').lower()
    assert first in ("frutiger w01", "arial"), family
    assert family.replace(" ", "").lower().endswith("sans-serif"), family
    drawn = rendered_fonts(page, paragraph)
    assert drawn, "the paragraph has text"
    assert not any(serif.lower() in font.lower() for font in drawn for serif in SERIF_FONTS), drawn

"""The risk pages, used the way a partnership lead, the coordinator and the administrator use them.

A lead completes a Tier 1 partnership's profile through the pages alone; another lead reads it
but cannot change it; bad input on every form answers 400 with an NHS.UK error summary and
writes nothing; downloads hold only the filtered rows; a risk's page shows its score over time;
the administrator's matrix re-bands every risk at once.
"""

import datetime
import html
import re

import pytest
from django.urls import reverse

from core.audit import audit_context
from core.dates import local_today
from risks.models import NoSignificantRisk, Risk, RiskAction, RiskMatrix, RiskStatus
from risks.tests.builders import DOMAINS, bulk_risks, no_significant_risk, risk
from tests.editing import opened_version
from tests.spreadsheets import read_records
from tests.text import readable_text, without_cell_headings
from tests.world import NHS_NUMBER, build_world, database_state, opened_at_now

TODAY = local_today()


def typed(date):
    return date.strftime("%d/%m/%Y")


def text(fragment):
    return readable_text(fragment)


def page_text(response):
    return text(response.content.decode().split('id="maincontent"', 1)[-1])


def section(response, anchor):
    """The text of the page from ``<h2 id="anchor">`` to the next ``<h2``."""
    body = response.content.decode()
    match = re.search(rf'<h2 id="{anchor}">(.*?)(?=<h2 |$)', body, flags=re.S)
    assert match, f"the page has a {anchor} section"
    return text(match.group(1))


def section_table(response, anchor):
    """The body rows of the first table in a section, each a list of its cells' text (without the
    column name each cell repeats for a phone)."""
    body = without_cell_headings(response.content.decode())
    match = re.search(rf'<h2 id="{anchor}">(.*?)(?=<h2 |$)', body, flags=re.S)
    assert match, f"the page has a {anchor} section"
    tbody = match.group(1).split("<tbody", 1)[1].split("</tbody>", 1)[0]
    return [
        [text(cell) for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, flags=re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", tbody, flags=re.S)
    ]


def error_summary(response):
    body = response.content.decode()
    match = re.search(r'<div class="nhsuk-error-summary".*?</div>\s*</div>\s*</div>', body, flags=re.S)
    assert match, "the page has an NHS.UK error summary"
    assert re.search(r"<title>\s*Error: ", body), "the page title starts with Error:"
    for target in re.findall(r'<a href="#([^"]+)">', match.group(0)):
        assert f'id="{target}"' in body, f"the summary links to #{target}, which is not on the page"
    return text(match.group(0))


@pytest.fixture
def world(db):
    w = build_world()
    with audit_context(user=w.user("owner"), source="test"):
        w.risk = risk(w.partnership, domain="patient_safety", current=(3, 3), inherent=(4, 4), target=(2, 2))
        w.escalated = risk(
            w.partnership, domain="finances", current=(4, 4), inherent=(5, 4), target=(2, 3), baf_theme=w.baf_theme
        )
        w.action = RiskAction.objects.create(
            risk=w.risk, description="Agree the escalation protocol", owner="Anne Clarke", due_date=TODAY
        )
        w.nsr = no_significant_risk(w.partnership, "systems", user=w.user("owner"))
        w.other_risk = risk(w.other_partnership, domain="reputation", current=(2, 2), title="Adverse publicity")
    return w


def login(client, world, who):
    client.force_login(world.user(who))
    return client


def risk_form(**changes):
    data = {
        "domain": "staff_wellbeing",
        "title": "Limited resources to support the collaborative",
        "description": "Because no new resources are identified, there is a risk that the work stalls, "
        "which would delay the benefits for patients.",
        "owner": "Amelie Bages",
        "existing_controls": "Dedicated roles in each trust.",
        "inherent_likelihood": "4",
        "inherent_consequence": "3",
        "current_likelihood": "3",
        "current_consequence": "3",
        "current_above_inherent_reason": "",
        "target_likelihood": "2",
        "target_consequence": "3",
        "treatment": "treat",
        "review_date": typed(TODAY + datetime.timedelta(days=90)),
        "baf_theme": "",
    }
    data.update(changes)
    return data


def edit_data(r, **changes):
    data = {
        "domain": r.domain,
        "title": r.title,
        "description": r.description,
        "owner": r.owner,
        "existing_controls": r.existing_controls,
        "treatment": r.treatment,
        "review_date": typed(r.review_date),
        "baf_theme": r.baf_theme_id or "",
        "current_above_inherent_reason": r.current_above_inherent_reason,
        **opened_at_now(r),
    }
    for position in ("inherent", "current", "target"):
        for axis in ("likelihood", "consequence"):
            data[f"{position}_{axis}"] = str(getattr(r, f"{position}_{axis}"))
    data.update(changes)
    return data


# --- a lead completes a profile ---------------------------------------------------------------------


def test_a_lead_completes_a_six_domain_profile_for_a_tier_1_partnership(client, db):
    w = build_world()
    p = w.partnership  # £65m a year: Tier 1
    client.force_login(w.user("owner"))
    detail = reverse("partnerships:detail", args=[p.pk])

    before = section(client.get(detail), "risks")
    assert "Incomplete" in before and "0 of 6 domains assessed" in before
    assert before.count("Not assessed") == 6

    for domain in DOMAINS[:5]:
        url = reverse("risks:no_significant_risk", args=[p.pk, domain])
        assert client.get(url).status_code == 200
        response = client.post(url, {"note": "No patient contact and no data shared."})
        assert response.status_code == 302, response.content.decode()[:400]
    response = client.post(
        reverse("risks:add", args=[p.pk]), risk_form(domain=DOMAINS[5], current_likelihood="2", current_consequence="3")
    )
    assert response.status_code == 302
    added = Risk.objects.get(partnership=p)
    assert response.url == added.get_absolute_url()

    shown = section(client.get(detail), "risks")
    assert "Complete" in shown and "6 of 6 domains assessed" in shown
    assert "Not assessed" not in shown
    assert shown.count("No significant risk") == 5
    assert "Limited resources to support the collaborative" in shown and "6 Moderate" in shown
    records = NoSignificantRisk.objects.filter(partnership=p)
    assert {r.assessed_by for r in records} == {w.user("owner")} and {r.assessed_on for r in records} == {TODAY}

    register = client.get(reverse("partnerships:list"), {"risk_profile": "complete", "partnerships": "all"})
    assert "Thames Valley Forensic Network" in page_text(register)
    assert "Talking Space Plus" not in page_text(register)
    incomplete = client.get(reverse("partnerships:list"), {"risk_profile": "incomplete", "partnerships": "all"})
    assert "Talking Space Plus" in page_text(incomplete) and "Thames Valley Forensic Network" not in page_text(
        incomplete
    )


def test_raising_a_risk_to_16_escalates_it_and_puts_it_on_the_heatmap(client, world):
    login(client, world, "owner")
    r = world.risk
    refused = client.post(
        reverse("risks:edit", args=[r.pk]), edit_data(r, current_likelihood="4", current_consequence="4")
    )
    assert refused.status_code == 400
    assert "choose the BAF risk theme it maps to" in error_summary(refused)

    response = client.post(
        reverse("risks:edit", args=[r.pk]),
        edit_data(
            r,
            current_likelihood="4",
            current_consequence="4",
            baf_theme=world.spare_theme.pk,
            current_above_inherent_reason="",
        ),
    )
    assert response.status_code == 302
    follow = client.get(response.url)
    assert "Escalated to the corporate risk register" in page_text(follow)
    assert "Financial sustainability" in page_text(follow)

    escalated = page_text(client.get(reverse("risks:escalated")))
    assert r.title in escalated and world.escalated.title in escalated
    assert world.other_risk.title not in escalated

    heatmap = client.get(reverse("risks:heatmap"))
    body = heatmap.content.decode()
    assert body.count("likelihood=4&amp;consequence=4") >= 2, "the SVG cell and the table cell both link"
    assert "2 open risks scored 4 × 4" in page_text(heatmap)


def test_adding_a_risk_in_a_domain_withdraws_its_no_significant_risk_record(client, world):
    login(client, world, "delegate")
    response = client.post(reverse("risks:add", args=[world.partnership.pk]), risk_form(domain="systems"))
    assert response.status_code == 302
    assert not NoSignificantRisk.objects.filter(pk=world.nsr.pk).exists()
    message = page_text(client.get(response.url))
    assert "“No significant risk” in Systems was withdrawn" in message


def test_no_significant_risk_is_refused_where_a_domain_has_an_open_risk(client, world):
    login(client, world, "owner")
    before = database_state()
    url = reverse("risks:no_significant_risk", args=[world.partnership.pk, "patient_safety"])
    response = client.post(url, {"note": ""})
    assert response.status_code == 400
    assert "has 1 open risk on this partnership" in error_summary(response)
    assert database_state() == before
    assert client.get(reverse("risks:no_significant_risk", args=[world.partnership.pk, "weather"])).status_code == 404


def test_withdrawing_no_significant_risk_makes_the_domain_unassessed(client, world):
    login(client, world, "owner")
    url = reverse("risks:no_significant_risk_withdraw", args=[world.nsr.pk])
    assert client.post(url).status_code == 302
    assert not NoSignificantRisk.objects.filter(pk=world.nsr.pk).exists()
    profile = client.get(reverse("risks:profile", args=[world.partnership.pk]))
    assert "Not assessed" in section(profile, "systems")


def test_a_closed_risk_leaves_the_profile_but_keeps_its_page_and_history(client, world):
    login(client, world, "owner")
    url = reverse("risks:close", args=[world.risk.pk])
    closing = {"closed_on": typed(TODAY), "closing_note": "The protocol is embedded.", **opened_at_now(world.risk)}
    response = client.post(url, closing)
    assert response.status_code == 302
    r = Risk.objects.get(pk=world.risk.pk)
    assert (r.status, r.closed_on, r.closing_note) == (RiskStatus.CLOSED, TODAY, "The protocol is embedded.")
    page = page_text(client.get(r.get_absolute_url()))
    assert "Closed" in page and "The protocol is embedded." in page
    assert "Edit risk" not in page
    profile = section(client.get(reverse("partnerships:detail", args=[world.partnership.pk])), "risks")
    assert r.title not in profile
    history = page_text(client.get(reverse("risks:history", args=[r.pk])))
    assert "Closed" in history and "Open" in history
    before = database_state()
    again = client.post(reverse("risks:edit", args=[r.pk]), edit_data(r, title="Changed"))
    assert again.status_code == 400
    assert "cannot be changed" in page_text(again)
    assert client.post(reverse("risks:action_add", args=[r.pk]), {}).status_code == 400
    assert database_state() == before


# --- who may change what ----------------------------------------------------------------------------


def test_a_lead_cannot_change_another_leads_risks_but_reads_them(client, world):
    login(client, world, "other_lead")
    r, p = world.risk, world.partnership
    for name, args in (
        ("risks:detail", [r.pk]),
        ("risks:history", [r.pk]),
        ("risks:profile", [p.pk]),
        ("risks:heatmap", []),
        ("risks:escalated", []),
        ("risks:list", []),
    ):
        assert client.get(reverse(name, args=args)).status_code == 200, name
    detail = page_text(client.get(r.get_absolute_url()))
    assert "Edit risk" not in detail and "Close risk" not in detail and "Add action" not in detail
    assert "Add risk" not in page_text(client.get(reverse("risks:profile", args=[p.pk])))

    before = database_state()
    attempts = [
        ("risks:add", [p.pk], risk_form()),
        ("risks:edit", [r.pk], edit_data(r, title="Changed by someone else")),
        ("risks:close", [r.pk], {"closed_on": typed(TODAY), "closing_note": "Mine now"}),
        (
            "risks:action_add",
            [r.pk],
            {"description": "x", "owner": "y", "due_date": typed(TODAY), "status": "complete"},
        ),
        (
            "risks:action_edit",
            [world.action.pk],
            {"description": "x", "owner": "y", "due_date": typed(TODAY), "status": "complete"},
        ),
        ("risks:action_delete", [world.action.pk], {}),
        ("risks:no_significant_risk", [p.pk, "reputation"], {"note": ""}),
        ("risks:no_significant_risk_withdraw", [world.nsr.pk], {}),
        ("risks:matrix", [], {}),
    ]
    for name, args, data in attempts:
        url = reverse(name, args=args)
        assert client.get(url).status_code == 403, name
        assert client.post(url, data).status_code == 403, name
    assert database_state() == before

    # Their own partnership's risks they change.
    own = world.other_risk
    response = client.post(reverse("risks:edit", args=[own.pk]), edit_data(own, owner="Olu Other"))
    assert response.status_code == 302
    assert Risk.objects.get(pk=own.pk).owner == "Olu Other"


@pytest.mark.parametrize("role", ["board_member", "auditor", "executive"])
def test_board_members_auditors_and_executives_read_risks_only(client, world, role):
    login(client, world, role)
    assert client.get(world.risk.get_absolute_url()).status_code == 200
    assert client.get(reverse("risks:heatmap")).status_code == 200
    assert client.get(reverse("risks:escalated"), {"export": "csv"}).status_code == 200
    assert client.get(reverse("risks:add", args=[world.partnership.pk])).status_code == 403
    assert client.get(reverse("risks:edit", args=[world.risk.pk])).status_code == 403
    nav = client.get(reverse("partnerships:list")).content.decode()
    assert f'href="{reverse("risks:heatmap")}"' in nav


# --- bad input on every form ------------------------------------------------------------------------


def _add(w):
    return reverse("risks:add", args=[w.partnership.pk])


def _edit(w):
    return reverse("risks:edit", args=[w.risk.pk])


BAD_INPUT = {
    "risk: nothing filled in": (
        _add,
        lambda w: {},
        [
            "Choose the domain",
            "Enter the risk",
            "Describe the risk",
            "Enter the name of the risk owner",
            "Choose the current likelihood",
            "Choose how the risk is treated",
            "Enter the date of the next review",
        ],
    ),
    "risk: target above current": (
        _add,
        lambda w: risk_form(target_likelihood="4", target_consequence="3"),
        ["The target score (4 × 3 = 12) cannot be higher than the current score (9)"],
    ),
    "risk: current above inherent without a reason": (
        _add,
        lambda w: risk_form(inherent_likelihood="2", inherent_consequence="2"),
        ["Say why the current score (9) is higher than the inherent score (4)"],
    ),
    "risk: escalated without a BAF theme": (
        _add,
        lambda w: risk_form(
            inherent_likelihood="5", inherent_consequence="4", current_likelihood="5", current_consequence="3"
        ),
        ["at or above the escalation threshold of 15"],
    ),
    "risk: off the matrix and not a date": (
        _add,
        lambda w: risk_form(current_likelihood="6", review_date="31/02/2025"),
        ["Choose the current likelihood from the list", "Enter a real date"],
    ),
    "risk: an NHS number in the description": (
        _add,
        lambda w: risk_form(description=f"Patient {NHS_NUMBER} was harmed"),
        ["NHS number"],
    ),
    "risk edit: target above current": (
        _edit,
        lambda w: edit_data(w.risk, target_likelihood="5", target_consequence="5"),
        ["cannot be higher than the current score"],
    ),
    "risk edit: an NHS number in the controls": (
        _edit,
        lambda w: edit_data(w.risk, existing_controls=f"See {NHS_NUMBER}"),
        ["NHS number"],
    ),
    "close: no reason, a future date": (
        lambda w: reverse("risks:close", args=[w.risk.pk]),
        lambda w: {"closed_on": typed(TODAY + datetime.timedelta(days=3)), "closing_note": ""},
        ["The date closed cannot be in the future", "Say why the risk is being closed"],
    ),
    "action: nothing filled in": (
        lambda w: reverse("risks:action_add", args=[w.risk.pk]),
        lambda w: {},
        ["Describe the action", "Enter the name of the person who owns the action", "Enter the date the action is due"],
    ),
    "action edit: an NHS number and no status": (
        lambda w: reverse("risks:action_edit", args=[w.action.pk]),
        lambda w: {"description": f"Call {NHS_NUMBER}", "owner": "Jo", "due_date": typed(TODAY), "status": ""},
        ["NHS number", "Choose the status of the action"],
    ),
    "no significant risk: an NHS number in the note": (
        lambda w: reverse("risks:no_significant_risk", args=[w.partnership.pk, "reputation"]),
        lambda w: {"note": f"Only {NHS_NUMBER}"},
        ["NHS number"],
    ),
}


def matrix_data(**changes):
    matrix = RiskMatrix.current()
    data = {"escalation_threshold": str(matrix.escalation_threshold), **opened_at_now(matrix)}
    for kind in ("likelihood", "consequence"):
        for n, d in enumerate(getattr(matrix, kind), 1):
            data[f"{kind}_{n}_name"] = d["name"]
            data[f"{kind}_{n}_guidance"] = d["guidance"]
    for n in range(1, 7):
        band = matrix.bands[n - 1] if n <= len(matrix.bands) else {}
        for key in ("name", "lowest", "highest", "colour"):
            data[f"band_{n}_{key}"] = str(band.get(key, ""))
    data.update(changes)
    return data


MATRIX_BAD_INPUT = {
    "a gap between bands": (
        {"band_3_lowest": "9"},
        ["No band holds a score of 8"],
    ),
    "an overlap and a missing colour": (
        {"band_2_highest": "9", "band_4_colour": ""},
        ["must start above 9", "Choose a colour for band “Extreme”"],
    ),
    "a threshold of 30 and no name for likelihood 2": (
        {"escalation_threshold": "30", "likelihood_2_name": ""},
        ["Enter the escalation threshold as a whole number from 1 to 25", "Enter a name for likelihood 2"],
    ),
    "half a band": ({"band_5_name": "Catastrophic"}, ["Enter the lowest score of band “Catastrophic”"]),
    "an NHS number in guidance": ({"consequence_5_guidance": f"Like {NHS_NUMBER}"}, ["NHS number"]),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUT))
def test_bad_input_on_every_risk_form_is_a_400_with_an_error_summary_and_nothing_written(client, world, case):
    url, data, messages = BAD_INPUT[case]
    login(client, world, "owner")
    before = database_state()
    response = client.post(url(world), {**opened_version(client, url(world)), **data(world)})
    assert response.status_code == 400
    shown = error_summary(response)
    for message in messages:
        assert message in shown, f"{case}: {message!r} not in {shown!r}"
    assert "943 476 5919" not in shown
    assert database_state() == before


@pytest.mark.parametrize("case", sorted(MATRIX_BAD_INPUT))
def test_bad_input_on_the_matrix_is_a_400_with_an_error_summary_and_nothing_written(client, world, case):
    changes, messages = MATRIX_BAD_INPUT[case]
    login(client, world, "administrator")
    before = database_state()
    response = client.post(reverse("risks:matrix"), matrix_data(**changes))
    assert response.status_code == 400
    shown = error_summary(response)
    for message in messages:
        assert message in shown, f"{case}: {message!r} not in {shown!r}"
    assert database_state() == before


# --- the matrix -------------------------------------------------------------------------------------


def test_the_administrator_changes_the_matrix_and_every_risk_follows_at_once(client, world):
    login(client, world, "administrator")
    assert "Risk matrix" in page_text(client.get(reverse("core:administration")))
    assert client.get(reverse("risks:matrix")).status_code == 200
    rows = list(Risk.objects.order_by("pk").values())
    response = client.post(
        reverse("risks:matrix"),
        matrix_data(band_3_highest="16", band_4_lowest="20", escalation_threshold="9", band_3_colour="pink"),
    )
    assert response.status_code == 302, error_summary(response)
    matrix = RiskMatrix.current()
    assert matrix.bands[2] == {"name": "High", "lowest": 8, "highest": 16, "colour": "pink"}
    assert matrix.escalation_threshold == 9
    assert list(Risk.objects.order_by("pk").values()) == rows, "no risk was changed"

    page = page_text(client.get(world.escalated.get_absolute_url()))
    assert "16 High" in page and "Escalated to the corporate risk register" in page
    escalated = page_text(client.get(reverse("risks:escalated")))
    assert world.risk.title in escalated, "a score of 9 is escalated at a threshold of 9"
    assert "nhsuk-tag--pink" in client.get(reverse("risks:list")).content.decode()
    history = page_text(client.get(reverse("risks:matrix_history")))
    assert "Updated" in history and "Ada Admin" in history

    client.force_login(world.user("coordinator"))
    assert client.get(reverse("risks:matrix")).status_code == 403
    assert client.post(reverse("risks:matrix"), matrix_data(escalation_threshold="5")).status_code == 403
    assert RiskMatrix.current().escalation_threshold == 9


# --- lists and downloads ------------------------------------------------------------------------------


def test_exports_hold_only_the_filtered_rows(client, world):
    login(client, world, "coordinator")
    bulk_risks(world.other_partnership, [(5, 5), (4, 4), (1, 2)], domain="systems", theme=world.baf_theme)
    bulk_risks(world.other_partnership, [(5, 4)], domain="systems", status="closed", theme=world.baf_theme)

    records = read_records(client.get(reverse("risks:list"), {"domain": "systems", "status": "open", "export": "csv"}))
    assert sorted((r["Partnership reference"], r["Current score"]) for r in records) == [
        ("P-0002", "16"),
        ("P-0002", "2"),
        ("P-0002", "25"),
    ]
    assert {r["Current band"] for r in records} == {"Extreme", "Low"}

    escalated = read_records(client.get(reverse("risks:escalated"), {"partnership": "P-0002", "export": "xlsx"}))
    assert sorted(r["Current score"] for r in escalated) == [16, 25]
    assert {r["BAF risk theme"] for r in escalated} == {"System working"}
    assert all(r["Escalated"] == "Yes" for r in escalated)
    everything = read_records(client.get(reverse("risks:escalated"), {"export": "csv"}))
    assert sorted(r["Risk"] for r in everything) == sorted(["Bulk risk 0", "Bulk risk 1", world.escalated.title])

    counts = read_records(client.get(reverse("risks:heatmap"), {"domain": "systems", "export": "csv"}))
    assert len(counts) == 25
    assert {(r["Likelihood"], r["Consequence"]): int(r["Open risks"]) for r in counts if r["Open risks"] != "0"} == {
        ("5 Almost certain", "5 Catastrophic"): 1,
        ("4 Likely", "4 Major"): 1,
        ("1 Rare", "2 Minor"): 1,
    }
    svg = client.get(reverse("risks:heatmap"), {"export": "svg"})
    assert svg["Content-Type"] == "image/svg+xml" and svg.content.startswith(b"<?xml")


def test_a_heatmap_cell_links_to_the_risks_in_it(client, world):
    login(client, world, "auditor")
    heatmap = client.get(reverse("risks:heatmap"), {"partnership": "P-0001", "domain": "finances"})
    links = set(re.findall(r'href="(/risks/all/\?[^"]+)"', heatmap.content.decode()))
    assert len(links) == 1
    listed = client.get(html.unescape(links.pop()))
    shown = page_text(listed)
    assert world.escalated.title in shown and world.risk.title not in shown
    assert "Showing 1 to 1 of 1 risk" in shown


def test_the_register_shows_each_partnerships_profile_and_highest_score(client, world):
    login(client, world, "coordinator")
    columns = ["reference", "risk_profile_status", "risk_highest_score"]
    response = client.get(reverse("partnerships:list"), {"sort": "-risk_highest_score", "columns": columns})
    body = without_cell_headings(response.content.decode())
    rows = re.findall(r"<tr class=\"nhsuk-table__row\"[^>]*>(.*?)</tr>", body, flags=re.S)
    shown = [text(r) for r in rows if "P-000" in r]
    assert shown[0].startswith("P-0001") and "Incomplete" in shown[0] and "16" in shown[0] and "Extreme" in shown[0]
    assert shown[1].startswith("P-0002") and re.search(r" 4 .*Moderate$", shown[1])


# --- score over time ----------------------------------------------------------------------------------


def test_the_score_over_time_shows_the_change_after_an_edit(client, world):
    login(client, world, "owner")
    r = world.risk
    (created,) = section_table(client.get(r.get_absolute_url()), "score-over-time")
    assert created[1:] == ["Anne Clarke", "16", "9", "4"] and "(recorded)" in created[0]

    response = client.post(
        reverse("risks:edit", args=[r.pk]), edit_data(r, current_likelihood="2", target_likelihood="1")
    )
    assert response.status_code == 302
    response = client.post(reverse("risks:edit", args=[r.pk]), edit_data(Risk.objects.get(pk=r.pk), owner="Jo Bloggs"))
    assert response.status_code == 302
    page = client.get(r.get_absolute_url())
    rows = section_table(page, "score-over-time")
    assert [row[1:] for row in rows] == [["Anne Clarke", "16", "9", "4"], ["Anne Clarke", "16", "6", "2"]], (
        "the owner's change is not a change of score"
    )
    assert page.content.decode().count("<polyline") == 2, "the current and target lines"

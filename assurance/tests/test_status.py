"""A partnership's IG status from a table of cases: the requirements matrix (its defaults) ×
IG records × agreements × partners' DSPT statuses × dates.

Each case is checked three ways that must agree with the table and so with each other: the
partnership page's computation (Python, with its reasons), the SQL status of every required
item, and the rows the IG gaps page lists for the partnership.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from agreements.models import AgreementKind, AgreementStatus
from assurance.models import Assurance, IGItemType, RecordedStatus
from assurance.selectors import LEVEL_NOT_ASSESSED, gap_rows, partnership_ig, status_expression
from assurance.tests.builders import DAY, agreement, current_year, last_year, organisation, partnership, record, today
from partnerships.models import ArrangementType, Partnership, Status

I = IGItemType  # noqa: E741
PLACE, PROGRESS, MISSING, EXPIRED = Assurance.IN_PLACE, Assurance.IN_PROGRESS, Assurance.MISSING, Assurance.EXPIRED
A = ArrangementType
ISA_DRAFT, ISA_SUPERSEDED = AgreementStatus.DRAFT, AgreementStatus.SUPERSEDED
PERSONAL_ITEMS = (I.ISA, I.DPIA, I.PARTNER_DSPT, I.PRIVACY_NOTICE, I.ROPA)


def met():
    return [organisation("Oxfordshire Mind", "standards_met")]


def all_in_place(p, items):
    for item in items:
        if item != I.PARTNER_DSPT:
            record(p, item)


@dataclass(frozen=True)
class Case:
    id: str
    arrangement_type: str
    data_sharing: str
    build: Callable  # (partnership) -> None: records, agreements
    expected: dict  # every required item -> its status
    partners: Callable = met
    closed: bool = False


def isa_agreement(status, term_end_days=None):
    def build(p):
        end = None if term_end_days is None else today() + term_end_days * DAY
        agreement(p, AgreementKind.INFORMATION_SHARING, status, end)

    return build


def nothing(p):
    return None


CASES = [
    # -- what the matrix requires -------------------------------------------------------------
    Case("no sharing requires nothing, even for a formal arrangement", A.SECTION_75, "none", nothing, {}),
    Case("informal aggregate sharing needs an ISA", A.INFORMAL, "aggregate", nothing, {I.ISA: MISSING}),
    Case(
        "personal data needs ISA, DPIA, partner DSPT, privacy notice and ROPA",
        A.MOU,
        "personal",
        nothing,
        {I.ISA: MISSING, I.DPIA: MISSING, I.PARTNER_DSPT: PLACE, I.PRIVACY_NOTICE: MISSING, I.ROPA: MISSING},
    ),
    Case(
        "special category adds Caldicott Guardian approval",
        A.MOU,
        "special_category",
        lambda p: all_in_place(p, PERSONAL_ITEMS),
        {**dict.fromkeys(PERSONAL_ITEMS, PLACE), I.CALDICOTT: MISSING},
    ),
    Case(
        "a provider collaborative sharing personal data needs a joint controller arrangement",
        A.PROVIDER_COLLABORATIVE,
        "personal",
        lambda p: all_in_place(p, PERSONAL_ITEMS),
        {**dict.fromkeys(PERSONAL_ITEMS, PLACE), I.JOINT_CONTROLLER: MISSING},
    ),
    Case(
        "a procured contract sharing special category data needs a DPA, here held as an agreement in force",
        A.PROCURED_CONTRACT,
        "special_category",
        lambda p: (
            all_in_place(p, (*PERSONAL_ITEMS, I.CALDICOTT)),
            agreement(p, AgreementKind.DATA_PROCESSING, AgreementStatus.IN_FORCE, today() + 200 * DAY),
        ),
        {**dict.fromkeys((*PERSONAL_ITEMS, I.CALDICOTT), PLACE), I.DPA: PLACE},
    ),
    # -- an ISA held as an agreement of that kind --------------------------------------------
    Case(
        "an ISA in force with no end date", A.MOU, "aggregate", isa_agreement(AgreementStatus.IN_FORCE), {I.ISA: PLACE}
    ),
    Case("an ISA in force whose term ends today", A.MOU, "aggregate", isa_agreement("in_force", 0), {I.ISA: PLACE}),
    Case("an ISA in force past its term end", A.MOU, "aggregate", isa_agreement("in_force", -1), {I.ISA: EXPIRED}),
    Case("an ISA in draft", A.MOU, "aggregate", isa_agreement(ISA_DRAFT), {I.ISA: PROGRESS}),
    Case("an ISA out for comment", A.MOU, "aggregate", isa_agreement("out_for_comment"), {I.ISA: PROGRESS}),
    Case("an ISA approved, not signed", A.MOU, "aggregate", isa_agreement("approved"), {I.ISA: PROGRESS}),
    Case("an ISA superseded", A.MOU, "aggregate", isa_agreement(ISA_SUPERSEDED), {I.ISA: EXPIRED}),
    Case("an ISA terminated", A.MOU, "aggregate", isa_agreement("terminated"), {I.ISA: EXPIRED}),
    Case(
        "an MoU is not an ISA",
        A.MOU,
        "aggregate",
        lambda p: agreement(p, AgreementKind.MOU, AgreementStatus.IN_FORCE),
        {I.ISA: MISSING},
    ),
    Case(
        "a superseded ISA and its replacement in draft: in progress",
        A.MOU,
        "aggregate",
        lambda p: (isa_agreement(ISA_SUPERSEDED)(p), isa_agreement(ISA_DRAFT)(p)),
        {I.ISA: PROGRESS},
    ),
    Case(
        "an expired IG record of the ISA but the agreement in force: in place",
        A.MOU,
        "aggregate",
        lambda p: (record(p, I.ISA, review_on=today() - DAY), isa_agreement("in_force", 30)(p)),
        {I.ISA: PLACE},
    ),
    # -- IG records and their review dates --------------------------------------------------------
    Case(
        "a DPIA whose review date is today is still in place (expiry today)",
        A.RESEARCH_COLLABORATION,
        "personal",
        lambda p: all_in_place(p, PERSONAL_ITEMS) or record_dpia_due(p, 0),
        {**dict.fromkeys(PERSONAL_ITEMS, PLACE)},
    ),
    Case(
        "a DPIA whose review date was yesterday has expired",
        A.RESEARCH_COLLABORATION,
        "personal",
        lambda p: all_in_place(p, PERSONAL_ITEMS) or record_dpia_due(p, -1),
        {**dict.fromkeys(PERSONAL_ITEMS, PLACE), I.DPIA: EXPIRED},
    ),
    Case(
        "items recorded as in progress",
        A.ALLIANCE,
        "personal",
        lambda p: [record(p, item, RecordedStatus.IN_PROGRESS) for item in (I.ISA, I.DPIA, I.PRIVACY_NOTICE, I.ROPA)],
        {**dict.fromkeys((I.ISA, I.DPIA, I.PRIVACY_NOTICE, I.ROPA), PROGRESS), I.PARTNER_DSPT: PLACE},
    ),
    # -- partners' DSPT ---------------------------------------------------------------------------
    Case(
        "a partner with no DSPT status recorded",
        A.MOU,
        "personal",
        lambda p: all_in_place(p, PERSONAL_ITEMS),
        {**dict.fromkeys(PERSONAL_ITEMS, PLACE), I.PARTNER_DSPT: MISSING},
        partners=lambda: [organisation("Oxfordshire Mind", "standards_met"), organisation("Restore")],
    ),
    Case(
        "a partner whose DSPT year is stale",
        A.MOU,
        "personal",
        lambda p: all_in_place(p, PERSONAL_ITEMS),
        {**dict.fromkeys(PERSONAL_ITEMS, PLACE), I.PARTNER_DSPT: EXPIRED},
        partners=lambda: [organisation("Restore", "standards_exceeded", last_year())],
    ),
    Case(
        "a partner approaching standards",
        A.MOU,
        "personal",
        lambda p: all_in_place(p, PERSONAL_ITEMS),
        {**dict.fromkeys(PERSONAL_ITEMS, PLACE), I.PARTNER_DSPT: PROGRESS},
        partners=lambda: [organisation("Restore", "approaching_standards"), organisation("Mind", "standards_met")],
    ),
    Case(
        "a partner not published",
        A.MOU,
        "personal",
        lambda p: all_in_place(p, PERSONAL_ITEMS),
        {**dict.fromkeys(PERSONAL_ITEMS, PLACE), I.PARTNER_DSPT: MISSING},
        partners=lambda: [organisation("Restore", "not_published")],
    ),
    Case(
        "a partner not meeting standards outweighs a stale one",
        A.MOU,
        "personal",
        lambda p: all_in_place(p, PERSONAL_ITEMS),
        {**dict.fromkeys(PERSONAL_ITEMS, PLACE), I.PARTNER_DSPT: MISSING},
        partners=lambda: [
            organisation("Restore", "standards_not_met"),
            organisation("Mind", "standards_met", "2019-20"),
        ],
    ),
    Case(
        "a stale partner outweighs one approaching standards",
        A.MOU,
        "personal",
        lambda p: all_in_place(p, PERSONAL_ITEMS),
        {**dict.fromkeys(PERSONAL_ITEMS, PLACE), I.PARTNER_DSPT: EXPIRED},
        partners=lambda: [
            organisation("Restore", "approaching_standards"),
            organisation("Mind", "standards_met", "2019-20"),
        ],
    ),
    Case(
        "the home trust is not a partner: its own status does not count",
        A.MOU,
        "personal",
        lambda p: all_in_place(p, PERSONAL_ITEMS),
        dict.fromkeys(PERSONAL_ITEMS, PLACE),
    ),
    Case(
        "no partner but the home trust: the partners' DSPT is missing",
        A.MOU,
        "personal",
        lambda p: all_in_place(p, PERSONAL_ITEMS),
        {**dict.fromkeys(PERSONAL_ITEMS, PLACE), I.PARTNER_DSPT: MISSING},
        partners=list,
    ),
]


def record_dpia_due(p, days):
    dpia = p.ig_items.get(item=I.DPIA)
    dpia.review_on = today() + days * DAY
    dpia.save()


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_ig_status(case):
    p = partnership(case.arrangement_type, case.data_sharing, partners=case.partners())
    case.build(p)
    p = fetched(p)

    # The partnership page (Python over prefetched records).
    ig = partnership_ig(p, today())
    assert {state.item: state.status for state in ig.items} == case.expected
    assert [state.item for state in ig.gaps] == [item for item in case.expected if case.expected[item] != PLACE]
    # The same statuses in SQL, item by item.
    for item, status in case.expected.items():
        assert Partnership.objects.annotate(s=status_expression(item, today())).get(pk=p.pk).s == status
    # And the gaps page's rows for this partnership.
    assert listed_gaps(p) == {item.value: status.value for item, status in case.expected.items() if status != PLACE}


@pytest.mark.django_db
def test_a_partnership_whose_level_of_data_sharing_is_not_recorded_shows_one_gap():
    p = fetched(partnership(A.SECTION_75, "", partners=met()))
    ig = partnership_ig(p, today())
    assert ig.items == []
    assert ig.gaps == ["Level of data sharing not assessed"]
    assert listed_gaps(p) == {LEVEL_NOT_ASSESSED: MISSING.value}


@pytest.mark.django_db
def test_a_closed_partnership_has_no_gaps_though_its_status_is_still_computed():
    p = partnership(A.MOU, "personal", status=Status.CLOSED, partners=met())
    ig = partnership_ig(fetched(p), today())
    assert {s.item: s.status for s in ig.items}[I.DPIA] == MISSING
    assert ig.gaps == []
    assert listed_gaps(p) == {}
    closed_and_unassessed = partnership(A.MOU, "", status=Status.CLOSED)
    assert listed_gaps(closed_and_unassessed) == {}


@pytest.mark.django_db
def test_the_page_says_why_each_item_is_not_in_place():
    restore = organisation("Restore", "standards_met", "2019-20")
    p = partnership(A.MOU, "personal", partners=[restore, organisation("Mind")])
    record(p, I.DPIA, review_on=today() - DAY, approved_on=today() - 400 * DAY)
    agreement(p, AgreementKind.INFORMATION_SHARING, AgreementStatus.IN_FORCE, today() - 10 * DAY)
    ig = partnership_ig(fetched(p), today())
    reasons = {state.item: " ".join(state.reasons) for state in ig.items}
    assert "has passed" in reasons[I.DPIA]
    assert "its term ended on" in reasons[I.ISA]
    expected = current_year()
    due = f"30 June {int(expected[:4]) + 1}"
    assert (
        f"Restore: Standards Met (2019-20) is not current: the {expected} assessment was due by {due}."
        in (reasons[I.PARTNER_DSPT])
    )
    assert "Mind: no DSPT status recorded." in reasons[I.PARTNER_DSPT]
    assert reasons[I.ROPA] == "Not recorded yet."


def fetched(p):
    from partnerships.views import PartnershipDetailView

    return PartnershipDetailView().get_queryset().get(pk=p.pk)


def listed_gaps(p):
    rows = gap_rows(today(), partnerships=Partnership.objects.filter(pk=p.pk))
    return {row["item"]: row["ig_status"] for row in rows} if rows is not None else {}

"""What needs attention, and the agreement filters: dates taken in Europe/London, whoever asks."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements import selectors, services
from agreements.models import Agreement, AgreementStatus, Milestone, MilestoneStatus
from agreements.selectors import agreement_filters, partnership_agreement_filters
from agreements.tests import builders as b
from core.audit import audit_context
from core.dates import local_today
from core.roles import Role
from partnerships.models import Partnership
from tests.world import make_user

pytestmark = pytest.mark.django_db

S = AgreementStatus
NOW = datetime.datetime(2026, 6, 15, 11, 0, tzinfo=datetime.UTC)  # 12:00 BST, Monday 15 June 2026
TODAY = datetime.date(2026, 6, 15)
SIGNED = datetime.date(2025, 1, 10)


def utc(text):
    return datetime.datetime.fromisoformat(text).replace(tzinfo=datetime.UTC)


def day(offset):
    return TODAY + datetime.timedelta(days=offset)


@pytest.fixture
def people(db):
    return {
        "admin": make_user("ada", Role.ADMINISTRATOR, "Ada", "Admin"),
        "coordinator": make_user("ben", Role.COORDINATOR, "Ben", "Cahill"),
        "lead": make_user("anne", Role.LEAD, "Anne", "Clarke"),
        "delegate": make_user("dee", Role.LEAD, "Dee", "Legate"),
        "other_lead": make_user("olu", Role.LEAD, "Olu", "Other"),
        "executive": make_user("martyn", Role.EXECUTIVE, "Martyn", "Ward"),
        "board_member": make_user("bea", Role.BOARD_MEMBER, "Bea", "Board"),
        "auditor": make_user("aud", Role.AUDITOR, "Aud", "Itor"),
    }


@pytest.fixture
def orgs(db):
    return [
        b.organisation("Oxford Health NHS Foundation Trust", "RNU"),
        b.organisation("Oxford University Hospitals NHS Foundation Trust", "RTH"),
    ]


def in_force(partnership, orgs, title, term_end=None):
    return b.in_force(b.agreement(partnership, orgs, title=title, term_end_date=term_end), signed_on=SIGNED)


# --- the needs-attention table -----------------------------------------------------------------


@pytest.fixture
def register(people, orgs):
    """Partnership A (Anne leads, Dee is her delegate) holds the table of cases; B is Olu's."""
    with audit_context(user=people["coordinator"]):
        a = b.partnership("P-0001", lead=people["lead"])
        a.delegates.add(people["delegate"])
        other = b.partnership("P-0002", lead=people["other_lead"])
        for days in (120, 90, 31, 30, 1, 0, -5):
            in_force(a, orgs, f"Ends in {days} days", day(days))
        current = in_force(a, orgs, "No end date")
        b.approved(b.agreement(a, orgs, title="Approved, ends in 10 days", term_end_date=day(10)))
        services.supersede(in_force(a, orgs, "Superseded, ends in 10 days", day(10)), current)
        current.milestones.create(title="Overdue milestone", due_date=day(-3), status=MilestoneStatus.ON_TRACK)
        current.milestones.create(title="Due today", due_date=day(0))
        current.milestones.create(title="Complete but late", due_date=day(-20), status=MilestoneStatus.COMPLETE)
        earlier = in_force(a, orgs, "Varied MoU")
        earlier.milestones.create(title="Milestone carried into version 2", due_date=day(-10))
        b.varied(earlier, signed_on=SIGNED + datetime.timedelta(days=30))
        in_force(other, orgs, "Olu's agreement, ends in 60 days", day(60))
    return a, other


LEAD_ITEMS = [
    # (agreement, milestone, level, due, days), in the order the panel lists them
    ("Varied MoU (version 2)", "Milestone carried into version 2", "overdue", day(-10), -10),
    ("Ends in -5 days", None, "expired", day(-5), -5),
    ("No end date", "Overdue milestone", "overdue", day(-3), -3),
    ("Ends in 0 days", None, "ends today", day(0), 0),
    ("Ends in 1 days", None, "30 days", day(1), 1),
    ("Ends in 30 days", None, "30 days", day(30), 30),
    ("Ends in 31 days", None, "90 days", day(31), 31),
    ("Ends in 90 days", None, "90 days", day(90), 90),
]
OTHER_ITEMS = [("Olu's agreement, ends in 60 days", None, "90 days", day(60), 60)]
EVERYTHING = sorted(LEAD_ITEMS + OTHER_ITEMS, key=lambda item: item[3])


def needs_attention(user, now):
    """The agreements' "needs attention" items of ``user``: expiring terms and overdue milestones."""
    today = local_today(now)
    items = [selectors.expiring_item(a, today) for a in selectors.expiring_rows(user, today)]
    items += [selectors.milestone_item(m, today) for m in selectors.milestone_rows(user, today)]
    return sorted(items, key=lambda item: (item.due, item.kind))


def listed(user):
    return [
        (str(i.agreement), i.milestone.title if i.milestone else None, i.level, i.due, i.days)
        for i in needs_attention(user, now=NOW)
    ]


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("lead", LEAD_ITEMS),
        ("delegate", LEAD_ITEMS),
        ("other_lead", OTHER_ITEMS),
        ("coordinator", EVERYTHING),
        ("admin", EVERYTHING),
        ("executive", []),
        ("board_member", []),
        ("auditor", []),
    ],
)
def test_needs_attention_matches_the_table_of_cases(who, expected, register, people):
    assert listed(people[who]) == expected


def test_the_varied_version_s_milestone_is_not_listed_but_the_version_in_force_carries_it(register, people):
    milestones = Milestone.objects.filter(title="Milestone carried into version 2")
    assert {m.agreement.status for m in milestones} == {S.VARIED, S.IN_FORCE}
    listed_milestones = [i.milestone for i in needs_attention(people["coordinator"], now=NOW) if i.milestone]
    assert [m.agreement.status for m in listed_milestones if m.title.startswith("Milestone carried")] == [S.IN_FORCE]


def test_a_variation_in_preparation_does_not_list_its_copied_milestones_twice(people, orgs):
    with audit_context(user=people["coordinator"]):
        p = b.partnership("P-0009", lead=people["lead"])
        current = in_force(p, orgs, "Alliance agreement")
        current.milestones.create(title="Evaluation report", due_date=day(-3))
        variation = services.start_variation(current)
    assert variation.milestones.get().title == "Evaluation report"
    items = [(str(i.agreement), i.milestone.title) for i in needs_attention(people["lead"], now=NOW) if i.milestone]
    assert items == [("Alliance agreement", "Evaluation report")]
    filters = agreement_filters(TODAY)
    assert list(Agreement.objects.filter(filters["milestone_overdue"]).values_list("version", flat=True)) == [1]


def test_the_messages_say_when_in_words(register, people):
    messages = {(str(i.agreement), i.level): i.message for i in needs_attention(people["lead"], now=NOW)}
    assert messages[("Ends in -5 days", "expired")] == (
        "The term ended on 10 June 2026, 5 days ago, and the agreement is still in force."
    )
    assert messages[("Ends in 0 days", "ends today")] == "The term ends today."
    assert messages[("Ends in 1 days", "30 days")] == "The term ends on 16 June 2026, in 1 day."
    assert messages[("Ends in 90 days", "90 days")] == "The term ends on 13 September 2026, in 90 days."
    assert messages[("No end date", "overdue")] == "Milestone “Overdue milestone” was due on 12 June 2026 (3 days ago)."


def test_needs_attention_takes_a_constant_number_of_queries(people, orgs):
    def build(n, reference):
        with audit_context(user=people["coordinator"]):
            p = b.partnership(reference, lead=people["lead"])
            for i in range(n):
                a = in_force(p, orgs, f"{reference} agreement {i}", day(10 + i))
                a.milestones.create(title=f"{reference} milestone {i}", due_date=day(-1 - i))

    def queries_for_panel():
        with CaptureQueriesContext(connection) as queries:
            items = needs_attention(people["lead"], now=NOW)
            shown = [(i.message, i.agreement.partnership.title, str(i.agreement)) for i in items]
        return len(queries), len(shown)

    build(2, "P-0001")
    few = queries_for_panel()
    build(18, "P-0002")
    many = queries_for_panel()
    assert (few[1], many[1]) == (4, 40)
    assert few[0] == many[0] == 2


# --- dates in Europe/London, across the clock changes ------------------------------------------

LOCAL_DATES = [
    # Sunday 29 March 2026: clocks go forward at 01:00 GMT (to 02:00 BST).
    ("2026-03-28T23:30:00", datetime.date(2026, 3, 28)),  # 23:30 GMT
    ("2026-03-29T00:30:00", datetime.date(2026, 3, 29)),  # 00:30 GMT
    ("2026-03-29T01:00:00", datetime.date(2026, 3, 29)),  # 02:00 BST
    ("2026-03-29T22:59:00", datetime.date(2026, 3, 29)),  # 23:59 BST
    ("2026-03-29T23:00:00", datetime.date(2026, 3, 30)),  # 00:00 BST on Monday
    ("2026-03-29T23:30:00", datetime.date(2026, 3, 30)),  # 00:30 BST on Monday
    # Sunday 25 October 2026: clocks go back at 02:00 BST (01:00 GMT).
    ("2026-10-24T22:59:00", datetime.date(2026, 10, 24)),  # 23:59 BST on Saturday
    ("2026-10-24T23:00:00", datetime.date(2026, 10, 25)),  # 00:00 BST on Sunday
    ("2026-10-25T00:30:00", datetime.date(2026, 10, 25)),  # 01:30 BST, the first time
    ("2026-10-25T01:30:00", datetime.date(2026, 10, 25)),  # 01:30 GMT, the second time
    ("2026-10-25T23:59:00", datetime.date(2026, 10, 25)),  # 23:59 GMT
    ("2026-10-26T00:00:00", datetime.date(2026, 10, 26)),  # 00:00 GMT on Monday
]


@pytest.mark.parametrize(("instant", "local_date"), LOCAL_DATES)
def test_today_is_the_date_in_london(instant, local_date):
    assert local_today(utc(instant)) == local_date


MILESTONE_CASES = [
    # due, instant (UTC), overdue?
    (datetime.date(2026, 3, 28), "2026-03-28T23:59:00", False),  # 23:59 GMT, still the Saturday
    (datetime.date(2026, 3, 28), "2026-03-29T00:00:00", True),
    (datetime.date(2026, 3, 29), "2026-03-29T00:30:00", False),  # due today
    (datetime.date(2026, 3, 29), "2026-03-29T22:59:00", False),  # 23:59 BST on the Sunday
    (datetime.date(2026, 3, 29), "2026-03-29T23:00:00", True),  # midnight BST: Monday in London
    (datetime.date(2026, 3, 29), "2026-03-29T23:30:00", True),  # 00:30 BST Monday (still Sunday in UTC)
    (datetime.date(2026, 10, 24), "2026-10-24T22:59:00", False),  # 23:59 BST on the Saturday
    (datetime.date(2026, 10, 24), "2026-10-24T23:00:00", True),  # 00:00 BST Sunday (still Saturday in UTC)
    (datetime.date(2026, 10, 25), "2026-10-25T01:30:00", False),  # 01:30 GMT, after the clocks went back
    (datetime.date(2026, 10, 25), "2026-10-25T23:59:00", False),  # 23:59 GMT on the Sunday
    (datetime.date(2026, 10, 26), "2026-10-26T00:00:00", False),  # due today
    (datetime.date(2026, 10, 25), "2026-10-26T00:00:00", True),
]


@pytest.mark.parametrize(("due", "instant", "overdue"), MILESTONE_CASES)
def test_a_milestone_is_overdue_from_midnight_in_london(due, instant, overdue, people, orgs):
    with audit_context(user=people["coordinator"]):
        p = b.partnership("P-0001", lead=people["lead"])
        milestone = in_force(p, orgs, "MoU").milestones.create(title="Work programme agreed", due_date=due)
    now = utc(instant)
    today = local_today(now)
    assert milestone.is_overdue(today) is overdue
    assert Milestone.objects.overdue(today).filter(pk=milestone.pk).exists() is overdue
    items = [(i.level, i.days) for i in needs_attention(people["lead"], now=now)]
    assert items == ([("overdue", (due - today).days)] if overdue else [])


EXPIRY_CASES = [
    # term end, instant (UTC), days, level
    (datetime.date(2026, 3, 30), "2026-03-29T22:59:00", 1, "30 days"),  # 23:59 BST on the Sunday
    (datetime.date(2026, 3, 30), "2026-03-29T23:00:00", 0, "ends today"),  # Monday in London
    (datetime.date(2026, 3, 29), "2026-03-29T23:30:00", -1, "expired"),
    (datetime.date(2026, 10, 25), "2026-10-24T22:59:00", 1, "30 days"),
    (datetime.date(2026, 10, 25), "2026-10-24T23:00:00", 0, "ends today"),
    (datetime.date(2026, 10, 25), "2026-10-25T23:59:00", 0, "ends today"),  # 23:59 GMT
    (datetime.date(2026, 10, 25), "2026-10-26T00:00:00", -1, "expired"),
]


@pytest.mark.parametrize(("term_end", "instant", "days", "level"), EXPIRY_CASES)
def test_expiry_is_counted_in_london_days(term_end, instant, days, level, people, orgs):
    with audit_context(user=people["coordinator"]):
        in_force(b.partnership("P-0001", lead=people["lead"]), orgs, "MoU", term_end)
    assert [(i.level, i.days) for i in needs_attention(people["lead"], now=utc(instant))] == [(level, days)]


# --- the register's agreement filters ----------------------------------------------------------

CONDITIONS = ("no_signed_agreement", "expiring_90_days", "unsigned_by_a_party", "milestone_overdue")


@pytest.fixture
def filter_table(people, orgs):
    """Partnerships, each with the agreements that make (or do not make) a filter match."""
    with audit_context(user=people["coordinator"]):
        p = {ref: b.partnership(ref) for ref in ("P-1", "P-2", "P-3", "P-4", "P-5", "P-6", "P-7", "P-8", "P-9")}
        # P-1: no agreement at all.
        # P-2: a draft only.
        b.agreement(p["P-2"], orgs, title="P-2 draft")
        # P-3: in force, ending within 90 days (on the 90th day).
        in_force(p["P-3"], orgs, "P-3 ends in 90 days", day(90))
        # P-4: in force ending in 91 days, and an approved agreement one party has not signed.
        in_force(p["P-4"], orgs, "P-4 ends in 91 days", day(91))
        half = b.approved(b.agreement(p["P-4"], orgs, title="P-4 half signed"))
        services.record_signature(half.parties.first(), "Signatory", "Chief Executive", SIGNED)
        # P-5: in force with no end date and an overdue milestone.
        in_force(p["P-5"], orgs, "P-5 in force").milestones.create(title="Late", due_date=day(-1))
        # P-6: an MoU ending soon with an overdue milestone, superseded by an agreement in force.
        mou = in_force(p["P-6"], orgs, "P-6 MoU", day(10))
        mou.milestones.create(title="Late on the MoU", due_date=day(-1))
        services.supersede(mou, in_force(p["P-6"], orgs, "P-6 section 75"))
        # P-7: still in force although its term ended five days ago.
        in_force(p["P-7"], orgs, "P-7 ended 5 days ago", day(-5))
        # P-8: approved, every party signed, not yet brought into force; its parties' work is done.
        signed = b.approved(b.agreement(p["P-8"], orgs, title="P-8 signed, not in force"))
        b.sign_all(signed, SIGNED)
        # P-9: in force; a milestone due today and a late one that is complete.
        p9 = in_force(p["P-9"], orgs, "P-9 in force")
        p9.milestones.create(title="Due today", due_date=day(0))
        p9.milestones.create(title="Done late", due_date=day(-30), status=MilestoneStatus.COMPLETE)
        # ... and an approved agreement whose parties were all removed: no party is left unsigned.
        empty = b.approved(b.agreement(p["P-9"], orgs, title="P-9 approved, parties removed"))
        empty.parties.all().delete()
    return p


PARTNERSHIP_MATCHES = {
    "no_signed_agreement": {"P-1", "P-2", "P-8"},
    "expiring_90_days": {"P-3", "P-7"},
    "unsigned_by_a_party": {"P-4"},
    "milestone_overdue": {"P-5"},
}

AGREEMENT_MATCHES = {
    "no_signed_agreement": {
        "P-2 draft",
        "P-4 half signed",
        "P-6 MoU",
        "P-8 signed, not in force",
        "P-9 approved, parties removed",
    },
    "expiring_90_days": {"P-3 ends in 90 days", "P-7 ended 5 days ago"},
    "unsigned_by_a_party": {"P-4 half signed"},
    "milestone_overdue": {"P-5 in force"},
}


@pytest.mark.parametrize("condition", CONDITIONS)
def test_each_partnership_filter_matches_its_rows_of_the_table(condition, filter_table):
    matched = Partnership.objects.filter(partnership_agreement_filters(TODAY)[condition])
    assert set(matched.values_list("reference", flat=True)) == PARTNERSHIP_MATCHES[condition]


@pytest.mark.parametrize("condition", CONDITIONS)
def test_each_agreement_filter_matches_its_rows_of_the_table(condition, filter_table):
    matched = Agreement.objects.filter(agreement_filters(TODAY)[condition])
    assert set(matched.values_list("title", flat=True)) == AGREEMENT_MATCHES[condition]


def test_the_filters_move_with_the_day_they_are_asked_on(filter_table):
    later = day(2)  # P-3 is now within 88 days; P-4 within 89; nothing else changes
    matched = Partnership.objects.filter(partnership_agreement_filters(later)["expiring_90_days"])
    assert set(matched.values_list("reference", flat=True)) == {"P-3", "P-4", "P-7"}
    due_today = Partnership.objects.filter(partnership_agreement_filters(day(1))["milestone_overdue"])
    assert set(due_today.values_list("reference", flat=True)) == {"P-5", "P-9"}

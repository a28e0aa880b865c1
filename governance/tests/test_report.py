"""Governance's parts of the board report: the decisions the bodies took since the last report,
and the register of interests of the bodies' members (the appendix), as published."""

import datetime

import pytest

from governance.models import Decision, Interest
from governance.tests import builders as b
from tests.report_parts import assert_json_ready, assert_pure, collect_bounded, part, text_of

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2019, 10, 2)
SINCE = datetime.date(2019, 4, 24)


def closed(body, title, on, outcome="carried"):
    when = datetime.datetime.combine(on, datetime.time(15, 0), tzinfo=b.LONDON)
    return Decision.objects.create(body=body, title=title, status="closed", closed_at=when, outcome=outcome)


def interest(membership, details, declared_on=datetime.date(2019, 5, 1), **fields):
    return Interest.objects.create(
        membership=membership,
        name=membership.name,
        job_title="Chief Executive",
        declared_on=declared_on,
        category=fields.pop("category", "financial"),
        details=details,
        **fields,
    )


@pytest.fixture
def jccc():
    body = b.body()
    closed(body, "Approve the pooled budget for 2019/20", datetime.date(2019, 6, 12))
    closed(body, "Extend the crisis pathway pilot", datetime.date(2019, 9, 11), outcome="not_carried")
    closed(body, "Adopt the terms of reference", datetime.date(2019, 1, 9))  # before the last report
    return body


@pytest.fixture
def members(jccc):
    mind = b.organisation("Oxfordshire Mind", "vcse")
    anne = b.member(jccc, "Anne Clarke", mind)
    ben = b.member(jccc, "Ben Cahill", mind, starts=datetime.date(2019, 1, 1))
    left = b.member(jccc, "Former Member", mind, ends=datetime.date(2019, 3, 31))
    interest(anne, "Trustee of Oxfordshire Mind")
    interest(ben, "Shareholder in a supplier", withheld=True, withheld_reason="Legal advice")
    interest(left, "Director of a care home")  # not a member on the day of the report
    interest(anne, "Ended interest", applies_to=datetime.date(2019, 6, 30))
    return {"anne": anne, "ben": ben}


def test_decisions_collect_those_closed_since_the_last_report(jccc):
    data = part("governance_decisions").collect(AS_OF, SINCE)
    assert_json_ready(data)
    assert [(d["closed_on"], d["title"], d["outcome"]) for d in data["decisions"]] == [
        ("2019-06-12", "Approve the pooled budget for 2019/20", "Carried"),
        ("2019-09-11", "Extend the crisis pathway pilot", "Not carried"),
    ]
    assert len(part("governance_decisions").collect(AS_OF, None)["decisions"]) == 3


def test_decisions_write_the_body_date_title_and_outcome(jccc):
    data = part("governance_decisions").collect(AS_OF, SINCE)
    text = text_of(part("governance_decisions").write(data))
    assert "took 2 decisions since 24 April 2019; 1 was carried." in text
    assert (
        "Joint Commissioning Co-ordinators Committee | 12 June 2019 | Approve the pooled budget for 2019/20 | Carried"
        in text
    )
    assert part("governance_decisions").summary(data) == [
        "The partnerships' governance bodies took 2 decisions since 24 April 2019."
    ]
    assert part("governance_decisions").figures(data) == [("Decisions taken by governance bodies", "2")]
    assert_pure("governance_decisions", data)


def test_decision_changes_name_the_decisions_taken(jccc):
    before = part("governance_decisions").collect(SINCE, None)
    closed(jccc, "Agree the 2020 work plan", datetime.date(2019, 10, 1))
    now = part("governance_decisions").collect(AS_OF, SINCE)
    assert part("governance_decisions").changes(before, now) == [
        "Decision taken: Joint Commissioning Co-ordinators Committee, Approve the pooled budget for 2019/20 (carried).",
        "Decision taken: Joint Commissioning Co-ordinators Committee, Extend the crisis pathway pilot (not carried).",
        "Decision taken: Joint Commissioning Co-ordinators Committee, Agree the 2020 work plan (carried).",
    ]
    assert_pure("governance_decisions", now, before)


def test_the_register_holds_current_members_current_entries_as_published(members):
    data = part("register_of_interests").collect(AS_OF, SINCE)
    assert_json_ready(data)
    assert part("register_of_interests").section == "appendix"
    rows = [e["row"] for e in data["entries"]]
    assert rows[0][:4] == ["Anne Clarke", "Chief Executive", "1 May 2019", "Financial: Trustee of Oxfordshire Mind"]
    assert rows[1] == ["Entry withheld from publication", "", "", "", "", "", ""]
    assert len(rows) == 2
    text = text_of(part("register_of_interests").write(data))
    assert "Anne Clarke | Chief Executive | 1 May 2019 | Financial: Trustee of Oxfordshire Mind" in text
    assert "Legal advice" not in text and "Shareholder" not in text and "care home" not in text
    assert_pure("register_of_interests", data)


def test_register_changes_count_entries_added_and_no_longer_current(members):
    before = part("register_of_interests").collect(datetime.date(2019, 6, 1), None)
    interest(
        members["ben"], "Governor of a school", declared_on=datetime.date(2019, 9, 1), category="non_financial_personal"
    )
    now = part("register_of_interests").collect(AS_OF, datetime.date(2019, 6, 1))
    assert part("register_of_interests").changes(before, now) == [
        "Register of interests: 1 entry added.",
        "Register of interests: 1 entry no longer current.",
    ]
    assert_pure("register_of_interests", now, before)


def test_collect_costs_the_same_whatever_the_size(members, jccc, django_assert_max_num_queries):
    mind = b.organisation("Oxfordshire Mind", "vcse")

    def more_decisions():
        for n in range(8):
            closed(jccc, f"Decision {n}", datetime.date(2019, 7, 1) + datetime.timedelta(days=n))

    def more_members():
        for n in range(8):
            interest(b.member(jccc, f"Member {n}", mind), f"Interest {n}")

    bounded = django_assert_max_num_queries
    decisions = collect_bounded("governance_decisions", (AS_OF, SINCE), more_decisions, 1, bounded)
    assert len(decisions["decisions"]) == 10
    assert len(collect_bounded("register_of_interests", (AS_OF, SINCE), more_members, 1, bounded)["entries"]) == 10

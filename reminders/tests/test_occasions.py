import datetime

from reminders.occasions import describe, iso_week, occasion, occasion_dates

DUE = datetime.date(2026, 3, 30)


def days(n):
    return datetime.timedelta(days=n)


def test_seven_days_before_on_the_day_and_weekly_while_overdue():
    reminded = {n: occasion(DUE, DUE + days(n)) for n in range(-10, 30)}
    assert {n for n, key in reminded.items() if key} == {-7, 0, 7, 14, 21, 28}
    assert reminded[-7] == "7-days:2026-03-30"
    assert reminded[0] == "due:2026-03-30"
    assert reminded[14] == "overdue-2:2026-03-30"
    assert [describe(reminded[n]) for n in (-7, 0, 21)] == ["due in 7 days", "due today", "overdue (week 3)"]


def test_the_dates_asked_for_are_exactly_those_with_an_occasion():
    today = datetime.date(2026, 12, 7)
    dates = occasion_dates(today)
    assert dates[:3] == [today + days(7), today, today - days(7)]
    assert all(occasion(d, today) for d in dates)
    assert not occasion(today + days(6), today) and not occasion(today - days(8), today)


def test_a_digest_is_once_per_iso_week():
    assert iso_week(datetime.date(2026, 12, 7)) == iso_week(datetime.date(2026, 12, 13)) == "2026-W50"
    assert iso_week(datetime.date(2027, 1, 1)) == "2026-W53"

"""On which days an item with a due date is reminded: seven days before, on the day, and every
seventh day while it is overdue ("overdue, week N"). Pure functions of two dates."""

import datetime

WEEK = datetime.timedelta(days=7)
AHEAD = 7  # days before the due date of the first reminder
OVERDUE_WEEKS = 520  # weekly while overdue, for up to ten years


def occasion(due, today):
    """The occasion ``today`` is for an item due on ``due`` ("7-days:…", "due:…",
    "overdue-3:…"), or ``None`` on any other day. The due date is part of the key, so an item
    whose due date moves is reminded again for its new date."""
    days = (due - today).days
    if days == AHEAD:
        return f"7-days:{due.isoformat()}"
    if days == 0:
        return f"due:{due.isoformat()}"
    if days < 0 and -days % 7 == 0 and -days // 7 <= OVERDUE_WEEKS:
        return f"overdue-{-days // 7}:{due.isoformat()}"
    return None


def occasion_dates(today):
    """Every due date for which ``today`` is an occasion, soonest first (an SQL ``IN`` list)."""
    return [today + datetime.timedelta(days=AHEAD), today] + [today - WEEK * n for n in range(1, OVERDUE_WEEKS + 1)]


def describe(occasion_key):
    """How the occasion reads in a subject line."""
    name = occasion_key.split(":", 1)[0]
    if name == "7-days":
        return "due in 7 days"
    if name == "due":
        return "due today"
    weeks = int(name.removeprefix("overdue-"))
    return f"overdue (week {weeks})"


def iso_week(today):
    """A digest's occasion: the ISO week of ``today`` ("2026-W50")."""
    year, week, _ = today.isocalendar()
    return f"{year}-W{week:02d}"

"""The periods values are recorded for, derived from a measure's frequency.

Months are calendar months; quarters and years follow the NHS financial year, which starts on
1 April (quarter 1 is April to June, the year 2025/26 runs from 1 April 2025 to 31 March 2026).
A period is named by its first day.
"""

import calendar
import datetime

MONTHS_IN = {"monthly": 1, "quarterly": 3, "annually": 12}


def add_months(day, months):
    """The first of the month ``months`` after (or before) ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def period_start(day, frequency):
    """The first day of the period of ``frequency`` holding ``day``."""
    length = MONTHS_IN[frequency]
    months_since_april = (day.month - 4) % 12
    return add_months(datetime.date(day.year, day.month, 1), -(months_since_april % length))


def period_end(start, frequency):
    last = add_months(start, MONTHS_IN[frequency] - 1)
    return last.replace(day=calendar.monthrange(last.year, last.month)[1])


def next_start(start, frequency):
    return add_months(start, MONTHS_IN[frequency])


def financial_year(day):
    first = day.year if day.month >= 4 else day.year - 1
    return f"{first}/{(first + 1) % 100:02d}"


def period_name(start, frequency):
    """ "April 2025", "Q1 2025/26 (April to June 2025)" or "2025/26"."""
    if frequency == "monthly":
        return f"{start:%B %Y}"
    if frequency == "annually":
        return financial_year(start)
    end = period_end(start, frequency)
    quarter = (start.month - 4) % 12 // 3 + 1
    return f"Q{quarter} {financial_year(start)} ({start:%B} to {end:%B %Y})"


def same_day_months_later(day, months):
    """The same day ``months`` later (or earlier), the month's last day when it has no such day."""
    month = add_months(day, months)
    return month.replace(day=min(day.day, calendar.monthrange(month.year, month.month)[1]))


def last_due(today, frequency):
    """The start of the latest period whose value is due: one that ended more than a month ago."""
    start, cutoff = period_start(today, frequency), same_day_months_later(today, -1)
    while period_end(start, frequency) >= cutoff:
        start = add_months(start, -MONTHS_IN[frequency])
    return start

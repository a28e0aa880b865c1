"""RAG ratings and the periods values are recorded for."""

import datetime
from decimal import Decimal as D

import pytest

from monitoring import periods
from monitoring.rules import AMBER, GREEN, RED, rag


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D("60"), GREEN),  # beyond the target
        (D("50"), GREEN),  # on it
        (D("49.99"), AMBER),  # just short
        (D("45"), AMBER),  # exactly 10% short
        (D("44.99"), RED),  # further off
        (D("0"), RED),
    ],
)
def test_higher_is_better(value, expected):
    assert rag(value, D("50"), "higher") == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D("12"), GREEN),  # below the target: better
        (D("18"), GREEN),
        (D("18.01"), AMBER),
        (D("19.8"), AMBER),  # exactly 10% over
        (D("19.81"), RED),
        (D("40"), RED),
    ],
)
def test_lower_is_better(value, expected):
    assert rag(value, D("18"), "lower") == expected


def test_a_zero_target_has_no_amber_band_and_no_value_no_rating():
    assert rag(D("0"), D("0"), "lower") == GREEN
    assert rag(D("0.01"), D("0"), "lower") == RED
    assert rag(None, D("5"), "higher") is None


@pytest.mark.parametrize(
    ("day", "frequency", "start", "end", "name"),
    [
        (datetime.date(2025, 2, 14), "monthly", datetime.date(2025, 2, 1), datetime.date(2025, 2, 28), "February 2025"),
        (
            datetime.date(2025, 5, 20),
            "quarterly",
            datetime.date(2025, 4, 1),
            datetime.date(2025, 6, 30),
            "Q1 2025/26 (April to June 2025)",
        ),
        (
            datetime.date(2026, 2, 1),
            "quarterly",
            datetime.date(2026, 1, 1),
            datetime.date(2026, 3, 31),
            "Q4 2025/26 (January to March 2026)",
        ),
        (datetime.date(2026, 3, 31), "annually", datetime.date(2025, 4, 1), datetime.date(2026, 3, 31), "2025/26"),
        (datetime.date(2026, 4, 1), "annually", datetime.date(2026, 4, 1), datetime.date(2027, 3, 31), "2026/27"),
    ],
)
def test_periods_follow_the_financial_year(day, frequency, start, end, name):
    assert periods.period_start(day, frequency) == start
    assert periods.period_end(start, frequency) == end
    assert periods.period_name(start, frequency) == name


@pytest.mark.parametrize(
    ("today", "frequency", "due"),
    [
        # October ended on the 31st: its value is due by 30 November, overdue from 1 December.
        (datetime.date(2026, 11, 30), "monthly", datetime.date(2026, 9, 1)),
        (datetime.date(2026, 12, 1), "monthly", datetime.date(2026, 10, 1)),
        (datetime.date(2026, 7, 31), "quarterly", datetime.date(2026, 1, 1)),
        (datetime.date(2026, 8, 1), "quarterly", datetime.date(2026, 4, 1)),
        (datetime.date(2026, 5, 1), "annually", datetime.date(2025, 4, 1)),
    ],
)
def test_the_latest_period_due_ended_more_than_a_month_ago(today, frequency, due):
    assert periods.last_due(today, frequency) == due

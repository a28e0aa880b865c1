"""The Data Security and Protection Toolkit (DSPT): an organisation's published status and its year.

NHS England publishes each organisation's DSPT status for an assessment year, a financial year
written "2024-25" (REFERENCE.md §3). Accord records the status and the year on the organisation
and decides here, in one place, whether a recorded assessment is still current:

- the financial year runs from 1 April to 31 March, and "today" is the date in Europe/London
  (:func:`financial_year`);
- a year's assessment is submitted after the year, by 30 June (the 2024-25 one by 30 June 2025),
  so the status published during a financial year is the previous year's. The assessment
  **expected** today is the newest one whose deadline has passed (:func:`expected_year`): the
  2024-25 one from 1 July 2025 to 30 June 2026. An assessment of that year or newer is current;
  an older one is **not current** (:func:`is_current_year`): on 30 June 2026 a 2024-25 assessment
  still stands, on 1 July 2026 it no longer does. (Read literally, "older than the current
  financial year" would make every published status stale the day it appears: in November 2026
  no organisation can yet hold a 2026-27 assessment.)
- a status with no year is not current either (it cannot be shown to be).

The same rule is written twice: as Python for one organisation (a partnership page) and as SQL
conditions for whole querysets (the IG gaps page, the register's filter). Tests check they agree.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

YEAR_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")
YEAR_MESSAGE = "Enter the assessment year as a financial year, for example 2024-25."


class DsptStatus(models.TextChoices):
    """The published statuses, exactly as NHS England words them (REFERENCE.md §3)."""

    STANDARDS_EXCEEDED = "standards_exceeded", "Standards Exceeded"
    STANDARDS_MET = "standards_met", "Standards Met"
    APPROACHING_STANDARDS = "approaching_standards", "Approaching Standards"
    STANDARDS_NOT_MET = "standards_not_met", "Standards Not Met"
    NOT_PUBLISHED = "not_published", "Not published"


# "Standards Met" or better: the level a partner must reach for a partnership's IG assurance.
MET_OR_BETTER = (DsptStatus.STANDARDS_EXCEEDED, DsptStatus.STANDARDS_MET)
# Statuses that say nothing good about the partner, whatever the year.
NOT_ASSURED = (DsptStatus.STANDARDS_NOT_MET, DsptStatus.NOT_PUBLISHED)


def year_starting(start):
    """The financial year starting in April of ``start``, as DSPT writes it: 2024 → "2024-25"."""
    return f"{start}-{(start + 1) % 100:02d}"


def financial_year(today):
    """The financial year ``today`` falls in: 31 March 2025 → "2024-25"."""
    return year_starting(today.year if today.month >= 4 else today.year - 1)


def deadline(year):
    """The day a year's assessment is due: 30 June after the year ends ("2024-25" → 30 June 2025)."""
    return datetime.date(int(year[:4]) + 1, 6, 30)


def expected_year(today):
    """The newest assessment year whose deadline has passed by ``today``: the one a partner must hold
    (or a newer one) to be current: 30 June 2026 → "2024-25"; 1 July 2026 → "2025-26"."""
    past_deadline = (today.month, today.day) > (6, 30)
    return year_starting(today.year - 1 if past_deadline else today.year - 2)


def validate_year(value):
    """A financial year written YYYY-YY, the two years consecutive (2024-25, 1999-00)."""
    match = YEAR_PATTERN.match(value or "")
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise ValidationError(YEAR_MESSAGE, code="dspt_year")


def is_current_year(year, today):
    """Is an assessment of ``year`` ("2024-25") current on ``today``? Not when older than
    the year expected on ``today``, nor when there is no year. The one place this is decided."""
    # Years written YYYY-YY compare as text in the order of time (both here and in SQL).
    return bool(year) and year >= expected_year(today)


def assessment(status, year, today):
    """How a partner's recorded DSPT stands for a partnership's IG assurance:
    "in_place" (Standards Met or better, current), "in_progress" (Approaching Standards, current),
    "expired" (a status other than Not Met / Not published, but not current) or "missing"
    (no status, Not published, Standards Not Met)."""
    if not status or status in NOT_ASSURED:
        return "missing"
    if not is_current_year(year, today):
        return "expired"
    if status in MET_OR_BETTER:
        return "in_place"
    return "in_progress"


def assessment_conditions(today, prefix=""):
    """The same as :func:`assessment`, as Q conditions on organisations (``prefix`` reaches them
    from another model, for example ``"organisation__"``), one per outcome."""

    def f(name):
        return f"{prefix}{name}"

    missing = Q(**{f("dspt_status"): ""}) | Q(**{f("dspt_status__in"): NOT_ASSURED})
    stale = Q(**{f("dspt_year"): ""}) | Q(**{f("dspt_year__lt"): expected_year(today)})
    expired = ~missing & stale
    in_place = Q(**{f("dspt_status__in"): MET_OR_BETTER}) & ~stale
    in_progress = Q(**{f("dspt_status"): DsptStatus.APPROACHING_STANDARDS}) & ~stale
    return {"missing": missing, "expired": expired, "in_progress": in_progress, "in_place": in_place}

"""Tier: derived from annual value and material contribution, never typed.

Tier 1 when the annual value is at or above the Tier 1 threshold, or the partnership materially
contributes to a strategic objective; Tier 2 when the value reaches the Tier 2 threshold;
otherwise Tier 3. An unknown value never lowers the tier strategic contribution sets, and on its
own leaves the partnership in Tier 3 (nothing is guessed). The same rule exists twice on purpose:
as a Python function for one record and as an SQL expression so the register can filter and sort
on tier without loading rows; tests check the two agree.
"""

from django.db.models import Case, IntegerField, Q, Value, When

TIER_CHOICES = [(1, "Tier 1"), (2, "Tier 2"), (3, "Tier 3")]


def derive_tier(annual_value, material_contribution, thresholds):
    if material_contribution:
        return 1
    if annual_value is None:
        return 3
    if annual_value >= thresholds.tier1_min_value:
        return 1
    if annual_value >= thresholds.tier2_min_value:
        return 2
    return 3


def tier_expression(thresholds):
    return Case(
        When(Q(material_contribution=True) | Q(annual_value__gte=thresholds.tier1_min_value), then=Value(1)),
        When(annual_value__gte=thresholds.tier2_min_value, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )

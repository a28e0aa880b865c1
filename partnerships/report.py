"""The register's parts of the board report (``board_reports``, through ``core.registry.report_part``):
the register by type and tier with the partnerships over the Tier 1 value and the Partnership
Standard's sign-up; the operational headlines flagged for the board; and the appendix, the
register of Tier 1 partnerships. Each part's data is JSON (stored in the issued report); the
sections, figures and changes are written from that data alone."""

from collections import Counter, defaultdict
from decimal import Decimal

from django.db.models import Q

from core import pictures
from core.models import TierThresholds
from core.money import pounds
from core.papers import Figure, Section, Table
from partnerships.models import ArrangementType, Headline, PartnerRole, Partnership, Status

TYPES = dict(ArrangementType.choices)
REF, TITLE, TYPE, TIER, VALUE, SIGNED = range(6)  # a partnership's row in the register part's data


def _money(text):
    return pounds(Decimal(text)) if text is not None else "not known"


def _short(text):
    """£65m, £8.6m, £250k: a value as the board paper writes it in a sentence."""
    amount = Decimal(text)
    if amount >= 1_000_000:
        return f"£{amount / 1_000_000:.1f}m".replace(".0m", "m")
    if amount >= 1_000:
        return f"£{amount / 1_000:.0f}k"
    return pounds(amount)


# --- the register ----------------------------------------------------------------------------------


def collect_register(as_of, since):
    """Every open partnership as [reference, title, type, tier, value, Standard signed], by
    reference: one query."""
    thresholds = TierThresholds.current()
    rows = (
        Partnership.objects.exclude(status=Status.CLOSED)
        .with_tier(thresholds)
        .order_by("reference")
        .values_list("reference", "title", "arrangement_type", "tier", "annual_value", "standard_signed_on")
    )
    return {
        "tier1_from": str(thresholds.tier1_min_value),
        "partnerships": [
            [ref, title, kind, tier, None if value is None else str(value), signed is not None and signed <= as_of]
            for ref, title, kind, tier, value, signed in rows
        ],
    }


def _over_threshold(data):
    threshold = Decimal(data["tier1_from"])
    rows = [row for row in data["partnerships"] if row[VALUE] is not None and Decimal(row[VALUE]) >= threshold]
    return sorted(rows, key=lambda row: (-Decimal(row[VALUE]), row[REF]))


def _total(rows):
    return sum((Decimal(row[VALUE]) for row in rows if row[VALUE] is not None), Decimal(0))


def register_figures(data):
    rows = data["partnerships"]
    return [
        ("Partnerships on the register (open)", str(len(rows))),
        ("Their value a year (where known)", pounds(_total(rows))),
        (f"Valued at {_short(data['tier1_from'])} a year or more", str(len(_over_threshold(data)))),
        ("Signed up to the Partnership Standard", f"{sum(1 for row in rows if row[SIGNED])} of {len(rows)}"),
    ]


def register_summary(data):
    rows, over = data["partnerships"], _over_threshold(data)
    sentences = [
        f"The register holds {len(rows)} open partnerships, with a value of {pounds(_total(rows))} a year where known."
    ]
    if over:
        named = "; ".join(f"{row[TITLE]} ({_short(row[VALUE])})" for row in over)
        sentences.append(
            f"The Trust has {len(over)} partnership{'s' if len(over) != 1 else ''} valued at "
            f"{_short(data['tier1_from'])} a year or more: {named}."
        )
    return sentences


def _breakdown(rows, key, labels, by_key=False):
    """(label, partnerships, value a year or None when no value is known), largest first (or by key)."""
    counts, values = Counter(), {}
    for row in rows:
        counts[row[key]] += 1
        if row[VALUE] is not None:
            values[row[key]] = values.get(row[key], Decimal(0)) + Decimal(row[VALUE])
    order = sorted(counts) if by_key else sorted(counts, key=lambda k: (-counts[k], str(labels(k))))
    return [(labels(k), counts[k], values.get(k)) for k in order]


def _value(value):
    return pounds(value) if value is not None else "not known"


def write_register(data):
    rows, over = data["partnerships"], _over_threshold(data)
    by_type = _breakdown(rows, TYPE, lambda k: TYPES.get(k, k))
    by_tier = _breakdown(rows, TIER, lambda k: f"Tier {k}", by_key=True)
    signed = sum(1 for row in rows if row[SIGNED])
    return [
        Section(
            "The register of partnerships",
            paragraphs=[
                *register_summary(data),
                f"{signed} of the {len(rows)} open partnerships have signed up to the Partnership Standard.",
            ],
            summary=[(label, f"{n} · {_value(value)} a year") for label, n, value in by_tier],
            figure=Figure(
                pictures.bars(
                    [(label, n, f"{n} · {_short(str(value))}" if value else str(n)) for label, n, value in by_type]
                ),
                "Bar chart of open partnerships by arrangement type; the numbers are in the table below.",
            ),
            table=Table(
                ["Arrangement type", "Partnerships", "Value a year"],
                [[label, str(n), _value(value)] for label, n, value in by_type],
                widths=(55, 20, 25),
                empty="No open partnerships.",
            ),
            level=3,
        ),
        Section(
            f"Partnerships valued at {_short(data['tier1_from'])} a year or more",
            table=Table(
                ["Reference", "Partnership", "Type", "Value a year"],
                [[row[REF], row[TITLE], TYPES.get(row[TYPE], row[TYPE]), _money(row[VALUE])] for row in over],
                widths=(14, 46, 22, 18),
                empty="None.",
            ),
            level=3,
        ),
    ]


def register_changes(before, now):
    """Partnerships added and closed (or removed), and tier changes, by reference."""
    if not before or "partnerships" not in before:
        return []
    was = {row[REF]: row for row in before["partnerships"]}
    is_ = {row[REF]: row for row in now["partnerships"]}
    lines = [f"Added: {ref} {is_[ref][TITLE]}" for ref in sorted(is_.keys() - was.keys())]
    lines += [f"Closed or removed: {ref} {was[ref][TITLE]}" for ref in sorted(was.keys() - is_.keys())]
    lines += [
        f"Tier {was[ref][TIER]} to Tier {is_[ref][TIER]}: {ref} {is_[ref][TITLE]}"
        for ref in sorted(is_.keys() & was.keys())
        if was[ref][TIER] != is_[ref][TIER]
    ]
    return lines


# --- operational headlines -------------------------------------------------------------------------


def collect_headlines(as_of, since):
    """The headlines flagged for the board, dated after the previous report (all of them for the
    first) up to ``as_of``, by partnership: one query."""
    headlines = Headline.objects.filter(for_board_report=True, date__lte=as_of)
    if since:
        headlines = headlines.filter(date__gt=since)
    rows = headlines.order_by("partnership__reference", "date", "pk").values_list(
        "partnership__reference", "partnership__title", "date", "text"
    )
    return {"headlines": [[ref, title, date.isoformat(), text] for ref, title, date, text in rows]}


def write_headlines(data):
    grouped = defaultdict(list)
    for ref, title, _, text in data["headlines"]:
        grouped[(ref, title)].append(text)
    if not grouped:
        return [
            Section("Headlines", paragraphs=["No headlines were flagged for the board since the last report."], level=3)
        ]
    return [Section(title, bullets=texts, level=3) for (_, title), texts in grouped.items()]


def headline_figures(data):
    return [("Operational headlines for the board", str(len(data["headlines"])))]


# --- appendix: the Tier 1 register ----------------------------------------------------------------


def collect_tier1(as_of, since):
    """The Tier 1 partnerships (by value or material contribution) with their partners and lead:
    two queries."""
    thresholds = TierThresholds.current()
    tier1 = (
        Partnership.objects.exclude(status=Status.CLOSED)
        .filter(Q(material_contribution=True) | Q(annual_value__gte=thresholds.tier1_min_value))
        .order_by("reference")
    )
    rows = list(
        tier1.values_list(
            "pk",
            "reference",
            "title",
            "arrangement_type",
            "annual_value",
            "lead__first_name",
            "lead__last_name",
            "recorded_lead",
            "status",
        )
    )
    partners = defaultdict(list)
    for partnership, name in (
        PartnerRole.objects.filter(partnership__in=tier1.values("pk"))
        .order_by("organisation__name")
        .values_list("partnership", "organisation__name")
    ):
        partners[partnership].append(name)
    statuses = dict(Status.choices)
    return {
        "rows": [
            [
                ref,
                title,
                TYPES.get(kind, kind),
                None if value is None else str(value),
                "; ".join(partners[pk]),
                f"{first} {last}".strip() or recorded,
                statuses.get(status, status),
            ]
            for pk, ref, title, kind, value, first, last, recorded, status in rows
        ]
    }


def write_tier1(data):
    return [
        Section(
            "Register of Tier 1 partnerships",
            table=Table(
                ["Reference", "Partnership", "Type", "Value a year", "Partners", "Lead", "Status"],
                [[r[0], r[1], r[2], _money(r[3]), r[4], r[5], r[6]] for r in data["rows"]],
                widths=(9, 19, 12, 14, 22, 12, 12),
                empty="No Tier 1 partnerships.",
            ),
        )
    ]

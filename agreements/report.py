"""The agreements' part of the board report (section 1, "Governance of partnerships").

The board is told how many agreements are in force, how many wait for a signature and which end
within 90 days (``selectors.expiring_within``, the rule of "needs attention"). What changed since
the last report is the difference between the agreements in force then and now, so the data keeps
each one in force by id with its partnership's reference and title: three queries in all.
"""

from django.db.models import Count, F, Q

from agreements.models import Agreement, AgreementStatus
from agreements.selectors import EXPIRY_WARNINGS, expiring_within
from core.papers import Section, Table
from core.report_parts import added_and_removed, count, iso, stored, written

EXPIRY_DAYS = EXPIRY_WARNINGS[0]


def collect(as_of, since):
    counts = Agreement.objects.aggregate(
        in_force=Count("pk", filter=Q(status=AgreementStatus.IN_FORCE)),
        awaiting_signature=Count("pk", filter=Q(status=AgreementStatus.APPROVED)),
    )
    expiring = (
        expiring_within(Agreement.objects.all(), EXPIRY_DAYS, as_of)
        .order_by("term_end_date", "partnership__reference", "pk")
        .values("id", "title", "term_end_date", reference=F("partnership__reference"))
    )
    in_force = (
        Agreement.objects.filter(status=AgreementStatus.IN_FORCE)
        .order_by("partnership__reference", "pk")
        .values("id", "title", reference=F("partnership__reference"))
    )
    return {
        "as_of": iso(as_of),
        "since": iso(since),
        **counts,
        "expiring": [{**row, "term_end_date": iso(row["term_end_date"])} for row in expiring],
        "in_force_agreements": list(in_force),
    }


def _named(row):
    return f"{row.get('reference', '')} {row.get('title', '')}".strip()


def write(data):
    in_force, awaiting = stored(data, "in_force", 0), stored(data, "awaiting_signature", 0)
    expiring = stored(data, "expiring", [])
    rows = [[row["reference"], row["title"], written(row["term_end_date"])] for row in expiring]
    return [
        Section(
            "Agreements",
            paragraphs=[
                f"The register holds {count(in_force, 'agreement')} in force and "
                f"{count(awaiting, 'agreement')} approved and awaiting signature. " + _ending(len(expiring))
            ],
            summary=[
                ("In force", in_force),
                ("Awaiting signature", awaiting),
                (f"Ending within {EXPIRY_DAYS} days", len(expiring)),
            ],
            table=Table(
                ["Partnership", "Agreement", "Term ends"],
                rows,
                widths=(20, 55, 25),
                empty=f"No agreement in force ends within {EXPIRY_DAYS} days.",
            ),
            level=3,
        )
    ]


def _ending(n):
    one = n == 1
    return (
        f"{count(n, 'agreement').capitalize()} in force {'ends' if one else 'end'} within {EXPIRY_DAYS} days "
        f"or {'has' if one else 'have'} passed the end of {'its' if one else 'their'} term."
    )


def changes(before, now):
    """Agreements that came into force since the last report, and those no longer in force
    (expired, ended, varied or superseded)."""
    signed, ended = added_and_removed(before, now, "in_force_agreements")
    return [f"Agreement signed and in force: {_named(row)}." for row in signed] + [
        f"Agreement no longer in force: {_named(row)}." for row in ended
    ]


def figures(data):
    return [
        ("Agreements in force", str(stored(data, "in_force", 0))),
        (f"Agreements ending within {EXPIRY_DAYS} days", str(len(stored(data, "expiring", [])))),
    ]


def summary(data):
    n, in_force = len(stored(data, "expiring", [])), stored(data, "in_force", 0)
    ending = f"{n} of them {'ends' if n == 1 else 'end'}" if n else "none ends"
    return [
        f"{count(in_force, 'partnership agreement').capitalize()} {'is' if in_force == 1 else 'are'} "
        f"in force; {ending} within {EXPIRY_DAYS} days."
    ]

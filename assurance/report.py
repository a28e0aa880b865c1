"""Information governance's part of the board report (section 1, "Governance of partnerships").

The board is told which partnerships have IG gaps (a required item not in place: the rule of the
IG gaps page, ``selectors.gap_rows``, read once in SQL) and which items are missing most often.
What changed since the last report is the difference between the gaps then and now, so the data
keeps every gap by partnership and item, with the partnership's reference and title and the
item's label as they were: two queries in all (the requirements matrix and the gaps).
"""

from assurance.models import SHORT_LABELS, Assurance
from assurance.selectors import LEVEL_NOT_ASSESSED, LEVEL_NOT_ASSESSED_LABEL, gap_rows
from core import pictures
from core.papers import Figure, Section, Table
from core.report_parts import added_and_removed, count, iso, stored

TABLE_MOST = 100  # partnerships listed in the paper; the IG gaps page and its export list every one
LABELS = {LEVEL_NOT_ASSESSED: LEVEL_NOT_ASSESSED_LABEL, **{item.value: label for item, label in SHORT_LABELS.items()}}
STATUS_LABELS = dict(Assurance.choices)


def collect(as_of, since):
    rows = gap_rows(as_of)
    gaps = [
        {
            "partnership": row["pk"],
            "reference": row["reference"],
            "title": row["title"],
            "item": row["item"],
            "label": LABELS.get(row["item"], row["item"]),
            "status": STATUS_LABELS.get(row["ig_status"], row["ig_status"]),
        }
        for row in (rows.all_rows() if rows is not None else [])
    ]
    return {"as_of": iso(as_of), "since": iso(since), "gaps": gaps}


def _by_partnership(gaps):
    """[(reference, title, [gap])] in the order stored (by reference)."""
    grouped = {}
    for gap in gaps:
        grouped.setdefault(gap["partnership"], (gap["reference"], gap["title"], []))[2].append(gap)
    return list(grouped.values())


def _by_item(gaps):
    """[(item label, how many partnerships lack it)], most first."""
    counts = {}
    for gap in gaps:
        counts[gap["label"]] = counts.get(gap["label"], 0) + 1
    return sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))


def _gap_text(gap):
    return f"{gap['label']} ({gap['status'].lower()})"


def write(data):
    gaps = stored(data, "gaps", [])
    partnerships = _by_partnership(gaps)
    shown = partnerships[:TABLE_MOST]
    opening = (
        f"{count(len(partnerships), 'partnership').capitalize()} "
        f"{'has' if len(partnerships) == 1 else 'have'} at least one information governance document or check "
        f"that {'its' if len(partnerships) == 1 else 'their'} arrangement and level of data sharing require and "
        f"that is not in place ({count(len(gaps), 'gap')} in all)."
    )
    if len(partnerships) > len(shown):
        opening += f" The first {len(shown)} are listed; the IG gaps page lists every one."
    by_item = _by_item(gaps)
    sections = [
        Section(
            "Information governance",
            paragraphs=[opening],
            table=Table(
                ["Partnership", "Title", "Not in place"],
                [[reference, title, "; ".join(_gap_text(g) for g in items)] for reference, title, items in shown],
                widths=(15, 40, 45),
                empty="No partnership has an IG gap.",
            ),
            level=3,
        )
    ]
    if by_item:
        sections.append(
            Section(
                "Information governance gaps by item",
                table=Table(["Item", "Partnerships"], [[label, n] for label, n in by_item], widths=(70, 30)),
                figure=Figure(
                    pictures.bars([(label, n, n) for label, n in by_item]),
                    "Bar chart of the partnerships lacking each IG item; the numbers are in the table below.",
                ),
                level=3,
            )
        )
    return sections


def changes(before, now):
    """IG gaps opened and closed since the last report, by partnership and item."""
    opened, closed = added_and_removed(before, now, "gaps", on=("partnership", "item"))
    return [f"IG gap opened: {_named(g)}." for g in opened] + [f"IG gap closed: {_named(g)}." for g in closed]


def _named(gap):
    """A stored gap in words (a gap of an older report's data may lack a field)."""
    return f"{gap.get('reference', '')} {gap.get('title', '')}, {gap.get('label', gap.get('item', ''))}"


def figures(data):
    return [("Partnerships with IG gaps", str(len(_by_partnership(stored(data, "gaps", [])))))]


def summary(data):
    n = len(_by_partnership(stored(data, "gaps", [])))
    if not n:
        return ["Every partnership has the information governance documents and checks it requires."]
    return [
        f"{count(n, 'partnership').capitalize()} {'lacks' if n == 1 else 'lack'} an information governance "
        f"document or check required for {'its' if n == 1 else 'their'} arrangement."
    ]

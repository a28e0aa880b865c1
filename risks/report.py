"""The risk part of the board report (``board_reports``): the heatmap of open risks on the matrix
in force, and the escalated risks by domain; what changed is the risks newly escalated and
de-escalated since the last report. The data is JSON stored in the issued report, the heatmap's
colours and the matrix's words included, so an issued report is drawn again as it was."""

from collections import Counter

from core import pictures
from core.papers import Figure, Section, Table
from risks.models import Risk, RiskDomain
from risks.scoring import LEVELS, UNBANDED, Scoring
from risks.selectors import escalated_risks, heatmap_counts

DOMAINS = dict(RiskDomain.choices)


def collect(as_of, since):
    """The 25 cells' counts with their colours, and the escalated risks: two queries."""
    scoring = Scoring.current()
    counts = heatmap_counts(Risk.objects.all())
    cells = []
    for likelihood in reversed(LEVELS):
        for consequence in LEVELS:
            band = scoring.band(likelihood * consequence)
            colour = band.colour if band else UNBANDED
            cells.append([likelihood, consequence, counts[(likelihood, consequence)], colour.fill, colour.text])
    escalated = escalated_risks(scoring).order_by("-current_score", "partnership__reference", "pk")
    return {
        "threshold": scoring.threshold,
        "likelihood": [str(d.name) for d in scoring.likelihood],
        "consequence": [str(d.name) for d in scoring.consequence],
        "cells": cells,
        "escalated": [
            [
                risk.pk,
                risk.partnership.reference,
                risk.partnership.title,
                risk.title,
                risk.domain,
                risk.current_score,
                risk.baf_theme.name if risk.baf_theme else "",
            ]
            for risk in escalated
        ],
    }


def _grid(data):
    rows = [data["cells"][i : i + len(LEVELS)] for i in range(0, len(data["cells"]), len(LEVELS))]
    return [[(n, fill, ink) for _, _, n, fill, ink in row] for row in rows]


def write(data):
    grid = _grid(data)
    likelihood = list(reversed(data["likelihood"]))
    by_domain = Counter(row[4] for row in data["escalated"])
    open_risks = sum(cell[2] for cell in data["cells"])
    heatmap = Section(
        "Open risks on the risk matrix",
        paragraphs=[
            f"{open_risks} open risks are recorded across the partnerships' risk profiles; "
            f"{len(data['escalated'])} score {data['threshold']} or more and are escalated to the Board."
        ],
        figure=Figure(
            pictures.grid(grid, likelihood, data["consequence"], cell=84),
            "Heatmap of open risks by likelihood (rows) and consequence (columns); the numbers are in the table below.",
            width_cm=12,
        ),
        table=Table(
            ["Likelihood", *data["consequence"]],
            [[name, *(str(n) for n, _, _ in row)] for name, row in zip(likelihood, grid, strict=True)],
        ),
        level=3,
    )
    escalated = Section(
        "Escalated risks by domain",
        summary=[(DOMAINS.get(key, key), str(by_domain.get(key, 0))) for key in DOMAINS],
        table=Table(
            ["Partnership", "Risk", "Domain", "Score", "BAF risk theme"],
            [[f"{r[1]} {r[2]}", r[3], DOMAINS.get(r[4], r[4]), str(r[5]), r[6] or "None"] for r in data["escalated"]],
            widths=(28, 30, 18, 8, 16),
            empty="No risk is escalated.",
        ),
        level=3,
    )
    return [heatmap, escalated]


def changes(before, now):
    if not before or "escalated" not in before:
        return []
    was = {row[0]: row for row in before["escalated"]}
    is_ = {row[0]: row for row in now["escalated"]}
    lines = [
        f"Newly escalated: {is_[pk][3]} ({is_[pk][1]}, score {is_[pk][5]})" for pk in sorted(is_.keys() - was.keys())
    ]
    lines += [f"No longer escalated: {was[pk][3]} ({was[pk][1]})" for pk in sorted(was.keys() - is_.keys())]
    return lines


def figures(data):
    return [("Risks escalated to the Board", str(len(data["escalated"])))]


def summary(data):
    n = len(data["escalated"])
    if not n:
        return ["No partnership risk is escalated to the Board."]
    return [
        f"{n} partnership risk{'s are' if n != 1 else ' is'} escalated to the Board "
        f"(a current score of {data['threshold']} or more)."
    ]

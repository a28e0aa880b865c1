"""The pictures of the risk pages, drawn on the server as inline SVG (no JavaScript needed, and the
same markup goes into downloads): the 5×5 heatmap, a risk's positions on the matrix, and a
risk's score over time, read back from the audit trail.

Each picture has an accessible HTML table beside it on the page, holding the same numbers and
links; the SVG itself is hidden from assistive technology (``aria-hidden``) and its links are
left out of the tab order, so keyboard and screen reader users use the table.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.template.loader import render_to_string
from django.urls import reverse

from core.models import AuditEntry
from risks.scoring import LEVELS, POSITIONS, UNBANDED

LEVEL_FIELDS = tuple(f"{p}_{axis}" for p in POSITIONS for axis in ("likelihood", "consequence"))


@dataclass
class Cell:
    likelihood: int
    consequence: int
    score: int
    band: object
    count: int = 0
    url: str = ""
    markers: list = field(default_factory=list)
    x: int = 0
    y: int = 0
    cx: int = 0
    cy: int = 0

    @property
    def colour(self):
        return self.band.colour if self.band else UNBANDED


@dataclass
class Matrix:
    """A 5×5 grid ready to draw: rows from likelihood 5 (top) to 1, columns consequence 1 to 5."""

    rows: list
    size: int  # a cell's width and height
    left: int
    top: int
    width: int
    height: int
    compact: bool
    likelihood: list
    consequence: list
    title: str = ""

    @property
    def table_rows(self):
        """(likelihood descriptor, cells) from likelihood 5 down to 1, for the table beside the SVG."""
        return [(self.likelihood[row[0].likelihood - 1], row) for row in self.rows]

    @property
    def markers_mode(self):
        return any(cell.markers for cell in self.cells)

    @property
    def cells(self):
        return [cell for row in self.rows for cell in row]

    @property
    def total(self):
        return sum(cell.count for cell in self.cells)

    @property
    def column_labels(self):
        return [
            (self.left + (n - 1) * self.size + self.size // 2, d) for n, d in zip(LEVELS, self.consequence, strict=True)
        ]

    @property
    def row_labels(self):
        return [
            (self.top + (5 - n) * self.size + self.size // 2, d) for n, d in zip(LEVELS, self.likelihood, strict=True)
        ]

    @property
    def grid_bottom(self):
        return self.top + 5 * self.size

    @property
    def grid_right(self):
        return self.left + 5 * self.size

    @property
    def middle_x(self):
        return self.left + 5 * self.size // 2

    @property
    def middle_y(self):
        return self.top + 5 * self.size // 2


def matrix(scoring, counts=None, link=None, markers=None, compact=False, title=""):
    """The grid of ``counts`` ({(l, c): n}) or ``markers`` ({(l, c): ["C", "T"]}); ``link(l, c)``
    gives a cell's address (only cells that hold something are links)."""
    size, left, top, bottom = (30, 26, 4, 24) if compact else (80, 128, 8, 62)
    rows = []
    for likelihood in reversed(LEVELS):
        row = []
        for consequence in LEVELS:
            score = likelihood * consequence
            cell = Cell(likelihood, consequence, score, scoring.band(score))
            cell.count = (counts or {}).get((likelihood, consequence), 0)
            cell.markers = (markers or {}).get((likelihood, consequence), [])
            if link is not None and cell.count:
                cell.url = link(likelihood, consequence)
            cell.x = left + (consequence - 1) * size
            cell.y = top + (5 - likelihood) * size
            cell.cx, cell.cy = cell.x + size // 2, cell.y + size // 2
            row.append(cell)
        rows.append(row)
    return Matrix(
        rows=rows,
        size=size,
        left=left,
        top=top,
        width=left + 5 * size + 8,
        height=top + 5 * size + bottom,
        compact=compact,
        likelihood=scoring.likelihood,
        consequence=scoring.consequence,
        title=title,
    )


def render_matrix_svg(grid, standalone=False):
    return render_to_string("risks/includes/matrix.svg", {"grid": grid, "standalone": standalone})


def cell_link(base_filters):
    """A function giving the risks list's address for one cell, keeping the heatmap's filters."""

    def link(likelihood, consequence):
        query = {**{k: v for k, v in base_filters.items() if v}, "status": "open"}
        query.update(likelihood=likelihood, consequence=consequence)
        return f"{reverse('risks:list')}?{urlencode(query)}"

    return link


def position_markers(positions):
    """{(l, c): ["I", "C", "T"]} for a risk's three positions."""
    found = {}
    for assessment in positions:
        found.setdefault((assessment.likelihood, assessment.consequence), []).append(assessment.position[0].upper())
    return found


# --- score over time ------------------------------------------------------------------------------


@dataclass
class ScorePoint:
    when: object
    who: str
    action: str
    levels: dict
    changed: list

    def score(self, position):
        return self.levels[f"{position}_likelihood"] * self.levels[f"{position}_consequence"]

    @property
    def inherent(self):
        return self.score("inherent")

    @property
    def current(self):
        return self.score("current")

    @property
    def target(self):
        return self.score("target")


def score_history(risk):
    """The risk's positions after each change that touched one, oldest first, from the audit trail.

    Each audit entry keeps the likelihoods and consequences as numbers (before and after); an
    entry that changed only other fields (the owner, the review date) is left out.
    """
    entries = (
        AuditEntry.objects.filter(object_type=ContentType.objects.get_for_model(type(risk)), object_id=risk.pk)
        .order_by("timestamp", "id")
        .values("timestamp", "user_name", "action", "changed_fields", "after")
    )
    points, levels = [], {}
    for entry in entries:
        after = entry["after"] or {}
        changed = [f for f in entry["changed_fields"] if f in LEVEL_FIELDS]
        if entry["action"] == "delete" or (entry["action"] == "update" and not changed):
            continue
        levels = {**levels, **{f: after[f] for f in LEVEL_FIELDS if isinstance(after.get(f), int)}}
        if len(levels) < len(LEVEL_FIELDS):
            continue
        points.append(ScorePoint(entry["timestamp"], entry["user_name"], entry["action"], dict(levels), changed))
    return points


@dataclass
class Line:
    name: str
    points: str  # an SVG polyline's "x,y x,y"
    dots: list
    dashed: bool


@dataclass
class Chart:
    width: int
    height: int
    left: int
    top: int
    plot_width: int
    plot_height: int
    lines: list
    bands: list  # (y, height, colour, name)
    ticks: list  # (y, score)
    labels: list  # (x, text)


def score_chart(points, scoring):
    """An SVG line chart of the current and target scores at each point, over the bands' colours."""
    width, height, left, top, right, bottom = 640, 220, 40, 10, 16, 40
    plot_w, plot_h = width - left - right, height - top - bottom

    def y_of(score):
        return top + plot_h - round(plot_h * score / 25)

    def x_of(index):
        if len(points) == 1:
            return left + plot_w // 2
        return left + round(plot_w * index / (len(points) - 1))

    lines = []
    for position, dashed in (("current", False), ("target", True)):
        dots = [(x_of(i), y_of(p.score(position)), p.score(position)) for i, p in enumerate(points)]
        lines.append(Line(position.capitalize(), " ".join(f"{x},{y}" for x, y, _ in dots), dots, dashed))
    bands = []
    for band in scoring.bands:
        low, high = max(band.lowest - 0.5, 0), min(band.highest + 0.5, 25)
        bands.append((y_of(high), y_of(low) - y_of(high), band.colour.fill, band.name))
    ticks = [(y_of(s), s) for s in (0, 5, 10, 15, 20, 25)]
    labels = []
    if points:
        labels.append((x_of(0), points[0].when))
        if len(points) > 1:
            labels.append((x_of(len(points) - 1), points[-1].when))
    return Chart(width, height, left, top, plot_w, plot_h, lines, bands, ticks, labels)

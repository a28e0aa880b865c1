"""An indicator's trend, drawn on the server as inline SVG (as ``risks.charts`` draws a risk's
score over time): the values period by period, the target and the national target as lines.

The page shows the same numbers in a table beside the chart; the SVG is hidden from assistive
technology (``aria-hidden``), so screen reader users read the table.
"""

from dataclasses import dataclass
from decimal import Decimal

WIDTH, HEIGHT, LEFT, TOP, RIGHT, BOTTOM = 640, 240, 64, 12, 16, 48
TICKS = 5


@dataclass
class Chart:
    width: int
    height: int
    left: int
    top: int
    plot_width: int
    plot_height: int
    points: str  # the values' polyline, "x,y x,y"
    dots: list  # (x, y, colour)
    ticks: list  # (y, label)
    lines: list  # (y, label, dashed): the target and the national target
    labels: list  # (x, period name) under the first and last values
    legend_y: int


def _nice_top(highest):
    """A round number at or above ``highest`` for the top of the scale."""
    if highest <= 0:
        return Decimal(1)
    step = Decimal(10) ** (len(str(int(highest))) - 1)
    return (highest / step).to_integral_value(rounding="ROUND_CEILING") * step


def figure_text(number):
    """1,250 or 52.5: a figure as people write it (grouped, no trailing zeros)."""
    number = number.normalize()
    return f"{number:,.0f}" if number == number.to_integral_value() else f"{number:,}"


DOT_COLOURS = {"green": "#007f3b", "amber": "#ffb81c", "red": "#d5281b"}


def trend_chart(readings, measure):
    """The chart of ``readings`` (``monitoring.selectors.Reading``, oldest first) for ``measure``."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    targets = [t for t in (measure.target, measure.national_target) if t is not None]
    top_value = _nice_top(max([r.value.value for r in readings] + targets + [Decimal(0)]))

    def y_of(value):
        return TOP + plot_h - round(plot_h * float(value) / float(top_value))

    def x_of(index):
        if len(readings) == 1:
            return LEFT + plot_w // 2
        return LEFT + round(plot_w * index / (len(readings) - 1))

    dots = [(x_of(i), y_of(r.value.value), DOT_COLOURS.get(r.rating, "#005eb8")) for i, r in enumerate(readings)]
    lines = [(y_of(measure.target), f"Target {figure_text(measure.target)}", False)]
    if measure.national_target is not None:
        lines.append((y_of(measure.national_target), f"National target {figure_text(measure.national_target)}", True))
    ticks = [(y_of(top_value * n / TICKS), figure_text(top_value * n / TICKS)) for n in range(TICKS + 1)]
    labels = []
    if readings:
        labels.append((x_of(0), readings[0].name))
        if len(readings) > 1:
            labels.append((x_of(len(readings) - 1), readings[-1].name))
    return Chart(
        WIDTH,
        HEIGHT,
        LEFT,
        TOP,
        plot_w,
        plot_h,
        " ".join(f"{x},{y}" for x, y, _ in dots),
        dots,
        ticks,
        lines,
        labels,
        HEIGHT - 8,
    )

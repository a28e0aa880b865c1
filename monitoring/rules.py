"""Red, amber, green: how a value reads against its measure's target."""

from decimal import Decimal

AMBER_MARGIN = Decimal("0.1")

GREEN, AMBER, RED = "green", "amber", "red"
LABELS = {GREEN: "Green: on target", AMBER: "Amber: within 10% of target", RED: "Red: off target"}
TAG_COLOURS = {GREEN: "green", AMBER: "orange", RED: "red"}


def rag(value, target, direction):
    """The RAG rating of ``value`` against ``target``.

    Green when the value is on the target or beyond it in the better direction (at or above it
    when higher is better, at or below it when lower is better). Amber when it falls short by no
    more than 10% of the target (for a target of 50%, a value from 45% up to just under 50%; for
    a target of 18 weeks where lower is better, from just over 18 up to 19.8). Red beyond that.
    The margin is 10% of the target's size, so a negative or zero target still has a sensible
    (or empty) amber band. ``None`` when there is no value.
    """
    if value is None:
        return None
    shortfall = target - value if direction == "higher" else value - target
    if shortfall <= 0:
        return GREEN
    return AMBER if shortfall <= abs(target) * AMBER_MARGIN else RED

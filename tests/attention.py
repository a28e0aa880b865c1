"""One kind of "needs attention" item as the queue reads it, for the apps' own tests."""

from core import registry


def items_of(kind, user, today):
    """The items of ``kind`` (its registered name) that ``user`` must act on, soonest first."""
    source = next(s for s in registry.attention_sources() if s.name == kind)
    rows = source.rows(user, today)
    if rows.query.is_empty():  # ``.none()``: nothing of this kind is the user's
        return []
    return [source.item(row, today) for row in rows.order_by("attention_due", "pk")]

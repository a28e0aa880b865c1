"""What needs someone's attention, gathered from every app that registered a source.

An app registers ``core.registry.attention(name, items, more)`` where ``items(user, today)``
returns what that user must act on, in a fixed number of queries, as objects with:

- ``tag`` and ``colour``: a short label and its NHS.UK tag colour ("red", "orange", "yellow"…);
- ``title`` and ``url``: the record to open;
- ``reference``: the partnership it belongs to ("P-0042");
- ``message``: what is due, in a sentence;
- ``due``: the date it is (or was) due, by which the list is ordered.
"""

from core import registry
from core.dates import local_today


def needs_attention(user, today=None):
    """Everything the user must act on, soonest due first."""
    today = today or local_today()
    items = [item for source in registry.attention_sources() for item in source.items(user, today)]
    return sorted(items, key=lambda item: (item.due, item.tag, item.title))


def more_links():
    """Where each kind's whole list is: ``[(label, url)]``."""
    return [link for source in registry.attention_sources() for link in source.more]

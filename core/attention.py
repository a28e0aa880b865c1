"""What needs someone's attention, gathered from every app that registered a kind of it: the
items of "My work", the coordinator's work queue and the register's "needs attention" panel.

An app registers each kind with ``core.registry.attention`` (``core.registry.AttentionSource``
says what it gives): a queryset of what the user must act on, annotated with ``attention_due``,
the date it is or was due, and how one row reads. Everything that depends on the number of items
is done by the database: each kind is counted with one ``COUNT``, filtered with ``WHERE`` and
read soonest first with ``LIMIT``, so a page of the queue costs two queries per kind (and one for
the owners' names) whatever the size of the register.

An item (:class:`Entry`) has ``kind`` (the kind's label), ``tag`` and ``colour`` (a short label
and its NHS.UK tag colour: "red", "orange", "yellow"…), ``title`` and ``url`` (the record to
open), ``reference`` (the partnership it belongs to, "P-0042", or the body), ``owner`` (who owns
it), ``message`` (what is due, in a sentence), ``due`` and ``days_late``.
"""

import datetime
import heapq
import itertools
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import F, Value
from django.db.models.fields import CharField, IntegerField

from core import links, registry
from core.dates import local_today
from core.roles import sees_as_partner


@dataclass(frozen=True)
class Entry:
    kind: str
    tag: str
    colour: str
    title: str
    url: str
    reference: str
    owner: str
    message: str
    due: object
    days_late: int


@dataclass(frozen=True)
class Item:
    """How a row reads, for the kinds that need no more than the record and a sentence: its title
    (or name), and its page unless ``link`` says otherwise."""

    record: object
    tag: str
    colour: str
    message: str
    due: object = None
    link: str = ""

    @property
    def title(self):
        return getattr(self.record, "title", None) or str(self.record)

    @property
    def url(self):
        return self.link or self.record.get_absolute_url()


@dataclass(frozen=True)
class Filters:
    """What the queue is narrowed to: kinds (their names), an owner (a user id), the partnerships
    of a queryset (a directorate's, a tier's: built by whoever asks, since core knows no register),
    and items at least ``late_by`` days past their due date."""

    kinds: tuple = ()
    owner: int | None = None
    partnerships: object = None
    late_by: int | None = None


def sources_for(user):
    """The kinds of item that ``user`` may be given: a partner contributor only those meant for partners."""
    partner = sees_as_partner(user)
    return [source for source in registry.attention_sources() if source.partners or not partner]


def _rows(source, user, today, filters):
    """The kind's rows for ``user`` under ``filters``, with the owner's id and the partnership's
    reference beside them; ``None`` when the filters rule the kind out."""
    if filters.kinds and source.name not in filters.kinds:
        return None
    narrowing_by_partnership = filters.partnerships is not None
    if (filters.owner is not None and source.owner is None) or (narrowing_by_partnership and not source.partnership):
        return None
    rows = source.rows(user, today)
    if rows.query.is_empty():  # ``.none()``: nothing of this kind is the user's to act on
        return None
    if filters.owner is not None:
        rows = rows.filter(**{source.owner: filters.owner})
    if narrowing_by_partnership:
        rows = rows.filter(**{f"{source.partnership}__in": filters.partnerships})
    if filters.late_by is not None:
        rows = rows.filter(attention_due__lte=today - datetime.timedelta(days=filters.late_by))
    owner = F(source.owner) if source.owner else Value(None, output_field=IntegerField())
    reference = F(_on(source.partnership, "reference")) if source.partnership else Value("", output_field=CharField())
    return rows.annotate(attention_owner=owner, attention_reference=reference)


class Queue:
    """What needs ``user``'s attention under ``filters``, soonest due first, for a page (Django's
    ``Paginator`` reads its ``count()`` and slices it) or an export (``iterate``)."""

    def __init__(self, user, today=None, filters=None):
        self.today = today or local_today()
        filters = filters or Filters()
        found = ((s, _rows(s, user, self.today, filters)) for s in sources_for(user))
        self.kinds = [(source, rows) for source, rows in found if rows is not None]
        self._counts = None
        self._names = {}  # owners' names by user id, as read

    def counts(self):
        """[(kind, how many)] in the registry's order: one ``COUNT`` each."""
        if self._counts is None:
            self._counts = [(source, rows.count()) for source, rows in self.kinds]
        return self._counts

    def count(self):
        return sum(n for _, n in self.counts())

    def __len__(self):
        return self.count()

    def __getitem__(self, window):
        """The items of ``window`` (a slice), soonest first, in two steps: one query finds the
        window's (kind, id) pairs, then each kind on the page is read once, by id."""
        if not isinstance(window, slice) or window.step not in (None, 1):
            raise TypeError("A queue is read a page at a time.")
        counted = {s.name: n for s, n in self._counts} if self._counts is not None else None
        present = [
            (i, source, rows) for i, (source, rows) in enumerate(self.kinds) if counted is None or counted[source.name]
        ]
        start, stop = window.start or 0, window.stop
        if not present or stop <= start:
            return []
        page = _window(present, start, stop)
        wanted = {}
        for i, pk in page:
            wanted.setdefault(i, []).append(pk)
        read = {}
        for i, source, rows in present:
            for row in rows.filter(pk__in=wanted[i]) if i in wanted else ():
                read[(i, row.pk)] = (source, row, source.item(row, self.today))
        return self._with_owners([read[key] for key in page])

    def iterate(self, chunk=2000):
        """Every item, soonest first, reading each kind a chunk at a time (for an export)."""
        streams = [self._read(s, rows.order_by("attention_due", "pk").iterator(chunk)) for s, rows in self.kinds]
        merged = heapq.merge(*streams, key=_key)
        while True:
            with links.frozen():  # a chunk's links written with the request's URLs read once
                batch = self._with_owners(list(itertools.islice(merged, chunk)))
            if not batch:
                return
            yield from batch

    def _read(self, source, rows):
        for row in rows:
            yield source, row, source.item(row, self.today)

    def _with_owners(self, found):
        """The entries of ``found`` with their owners' names: one query for the lot, of the names
        only (an export's chunks share hundreds of owners: each is read once, not as a user)."""
        ids = {row.attention_owner for _, row, _ in found if row.attention_owner} - self._names.keys()
        if ids:
            users = get_user_model().objects.filter(pk__in=ids)
            for pk, first, last, username in users.values_list("pk", "first_name", "last_name", "username"):
                self._names[pk] = f"{first} {last}".strip() or username  # User.get_full_name() or the username
        return [self._entry(source, row, item, self._names) for source, row, item in found]

    def _entry(self, source, row, item, names):
        due = getattr(item, "due", None) or row.attention_due  # the item's own date where it is exact
        return Entry(
            kind=source.label,
            tag=item.tag,
            colour=item.colour,
            title=item.title,
            url=item.url,
            reference=row.attention_reference or getattr(item, "reference", ""),
            owner=names.get(row.attention_owner, "") or getattr(item, "owner", ""),
            message=item.message,
            due=due,
            days_late=(self.today - due).days,
        )


def _window(present, start, stop):
    """[(kind, id)] of the items ``start`` to ``stop`` of every kind together, soonest due first.

    Each kind gives only its first ``stop`` rows, in its own order (a subquery each, so that SQLite
    accepts the ``ORDER BY`` and ``LIMIT`` within a ``UNION ALL``); the database then orders that
    handful together. One query, whose cost grows with the page number, not the register."""
    parts, params = [], []
    for i, _, rows in present:
        first = rows.order_by("attention_due", "pk").annotate(attention_kind=Value(i))
        try:
            sql, part_params = first.values_list("attention_due", "attention_kind", "pk")[:stop].query.sql_with_params()
        except EmptyResultSet:  # a condition that nothing can meet (``pk__in=[]``): nothing of this kind
            continue
        parts.append(f"SELECT * FROM ({sql}) AS kind_{i}")  # noqa: S608 - Django compiled it; its values are params
        params.extend(part_params)
    if not parts:
        return []
    query = " UNION ALL ".join(parts) + " ORDER BY 1, 2, 3 LIMIT %s OFFSET %s"
    with connection.cursor() as cursor:
        cursor.execute(query, [*params, stop - start, start])
        return [(kind, pk) for _, kind, pk in cursor.fetchall()]


def _on(path, name):
    """The lookup of ``name`` on the record at ``path`` ("pk" when the row is the partnership itself)."""
    return name if path == "pk" else f"{path}__{name}"


def _key(found):
    _, row, item = found
    return (row.attention_due, item.tag, item.title)


def needs_attention(user, today=None, limit=None, filters=None):
    """The first ``limit`` items (all, when ``None``) that need ``user``'s attention, soonest first."""
    queue = Queue(user, today, filters)
    return queue[: limit if limit is not None else queue.count()]


def more_links(user):
    """Where each kind's whole list is: ``[(label, url)]``, once each."""
    links = [link for source in sources_for(user) for link in source.more]
    return list(dict.fromkeys(links))

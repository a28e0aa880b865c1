"""Derived tables: rows worked out from other records and kept in step with them, so that a list
of 50,000 can be filtered and sorted on a column rather than on a calculation per row.

An app that keeps one (``assurance.ig_state``, ``risks.highest``) refreshes its rows from its own
signal receivers in the same transaction as the write that changed their sources, with
:func:`write_differences` (only the rows that differ are written, each audited like any record),
and registers its ``rebuild()`` with ``core.registry.derived_table`` so that ``manage.py
refresh_derived`` can rebuild every table and report the rows that had drifted (data written
around Accord: a restore, SQL typed by hand).

Each table's ``refresh`` is :func:`batchable`: a write of thousands of rows (an import) runs in
:func:`batched`, and each table is refreshed once, at the end, for everything the write touched,
rather than once per bulk write (a new partnership's IG gap worked out when it is created, then
again when its partners are linked).
"""

import contextlib
import contextvars
import functools

from django.db import connection

from core.audit import prefetch_links, record_bulk, record_bulk_updates, snapshot

_pending = contextvars.ContextVar("derived_pending", default=None)
ALL = None  # a refresh's ``items``: every part of the rows


def batchable(refresh):
    """Decorate a table's ``refresh(ids, items=ALL)`` (``items``: which parts of the rows to work
    out, for a table that has parts): inside :func:`batched` a call only notes its ids and items."""

    @functools.wraps(refresh)
    def refresh_or_note(ids, items=ALL):
        pending = _pending.get()
        if pending is None:
            return refresh(ids) if items is ALL else refresh(ids, items=items)
        noted = pending.setdefault(refresh, [set(), ()])
        noted[0].update(ids)
        noted[1] = ALL if ALL in (noted[1], items) else (*noted[1], *items)
        return None

    return refresh_or_note


@contextlib.contextmanager
def batched():
    """Refresh each derived table once, on leaving, for all that the writes inside would refresh
    one by one. Use it inside the writes' transaction; nothing is refreshed if they fail."""
    if _pending.get() is not None:  # already batching: the outer block refreshes
        yield
        return
    pending = {}
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    for refresh, (ids, items) in pending.items():
        if items is ALL:
            refresh(ids)
        else:
            refresh(ids, items=list(dict.fromkeys(items)))


def locked_chunks(model, ids, size=2000):
    """The ids of the ``model`` rows among ``ids`` that exist, in order and in chunks of ``size``,
    each chunk's rows locked first (on PostgreSQL; SQLite writes one at a time anyway), so that two
    writes refreshing the same rows at once do it one after the other, each seeing the other's
    records. Call it inside a transaction."""
    ids = sorted(set(ids))
    for start in range(0, len(ids), size):
        rows = model.objects.select_for_update().filter(pk__in=ids[start : start + size])
        chunk = list(rows.values_list("pk", flat=True))
        if chunk:
            yield chunk


def write_differences(held, wanted, make, fields):
    """Make the rows of the queryset ``held`` be those of ``wanted``.

        ``wanted`` maps each row's key to a tuple of ``fields``' values; ``make(key, values)`` builds a
        new row; a held row's key is ``row.key``. Rows not wanted are deleted, rows whose values differ
        are updated and new ones created, each in bulk and each audited as its own save would be,
    nothing written otherwise."""
    rows = {row.key: row for row in held}
    gone = [row.pk for key, row in rows.items() if key not in wanted]
    if gone:
        held.model.objects.filter(pk__in=gone).delete()
    changed = [
        row
        for key, values in wanted.items()
        if (row := rows.get(key)) is not None and tuple(getattr(row, name) for name in fields) != values
    ]
    if changed:
        # Saved together, and audited as each save would have been (an import changes hundreds).
        prefetch_links(changed)
        before = [snapshot(row) for row in changed]
        for row in changed:
            for name, value in zip(fields, wanted[row.key], strict=True):
                setattr(row, name, value)
        update_rows(held.model, changed, fields)
        record_bulk_updates(zip(changed, before, strict=True))
    new = [make(key, values) for key, values in wanted.items() if key not in rows]
    if new:
        held.model.objects.bulk_create(new, batch_size=1000)
        record_bulk(new)


def update_rows(model, rows, fields, batch_size=500):
    """Write ``fields`` of ``rows`` (records of ``model``, changed in memory) with one ``UPDATE … SET
    field = CASE id WHEN … THEN … END`` per batch. What Django's ``bulk_update`` writes, without
    building and compiling an expression per row and field: that took seconds for the two thousand
    partner totals one import changes."""
    quote = connection.ops.quote_name
    pk = quote(model._meta.pk.column)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch_size):
            batch = rows[start : start + batch_size]
            sets, params = [], []
            for name in fields:
                field = model._meta.get_field(name)
                sets.append(f"{quote(field.column)} = {_case(pk, field, len(batch))}")
                for row in batch:
                    params += [row.pk, field.get_db_prep_save(getattr(row, field.attname), connection)]
            listed = ", ".join(["%s"] * len(batch))
            params += [row.pk for row in batch]
            table = quote(model._meta.db_table)
            cursor.execute(f"UPDATE {table} SET {', '.join(sets)} WHERE {pk} IN ({listed})", params)  # noqa: S608 - names from the model


def _case(pk, field, n):
    """``CASE pk WHEN %s THEN %s … END`` for ``n`` rows, cast to the column's type where the database
    would not infer it from the parameters (PostgreSQL)."""
    case = f"CASE {pk} {' '.join(['WHEN %s THEN %s'] * n)} END"
    if connection.features.requires_casted_case_in_updates:
        return f"CAST({case} AS {field.db_type(connection)})"
    return case


def drifted(before, after):
    """How many keys differ between two ``{key: values}`` readings of a table."""
    return sum(before.get(key) != after.get(key) for key in before.keys() | after.keys())

"""Derived tables: rows worked out from other records and kept in step with them, so that a list
of 50,000 can be filtered and sorted on a column rather than on a calculation per row.

An app that keeps one (``assurance.ig_state``, ``risks.highest``) refreshes its rows from its own
signal receivers in the same transaction as the write that changed their sources, with
:func:`write_differences` (only the rows that differ are written, each audited like any record),
and registers its ``rebuild()`` with ``core.registry.derived_table`` so that ``manage.py
refresh_derived`` can rebuild every table and report the rows that had drifted (data written
around Accord: a restore, SQL typed by hand).
"""

from core.audit import prefetch_links, record_bulk, record_bulk_updates, snapshot


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
        held.model.objects.bulk_update(changed, list(fields), batch_size=500)
        record_bulk_updates(zip(changed, before, strict=True))
    new = [make(key, values) for key, values in wanted.items() if key not in rows]
    if new:
        held.model.objects.bulk_create(new, batch_size=1000)
        record_bulk(new)


def drifted(before, after):
    """How many keys differ between two ``{key: values}`` readings of a table."""
    return sum(before.get(key) != after.get(key) for key in before.keys() | after.keys())

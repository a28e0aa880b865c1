"""Writes of information-governance assurance that are more than one form's save.

An IG item's document is stored by ``core.documents.add_version``, as every document is.
"""

from assurance.defaults import default_items
from assurance.models import ITEMS, IGRequirement


def save_requirements(cells):
    """Write the matrix, one audited row per changed cell; returns how many cells changed.

    A cell with no row requires the defaults (``assurance.defaults``): it gets a row only when it
    is changed from them.
    """
    existing = {(r.arrangement_type, r.data_sharing): r for r in IGRequirement.objects.all()}
    changed = 0
    for key, items in cells.items():
        row = existing.get(key)
        current = set(row.required_items) if row else default_items(*key)
        if items == current:
            continue
        row = row or IGRequirement(arrangement_type=key[0], data_sharing=key[1])
        for item in ITEMS:
            setattr(row, item.value, item.value in items)
        row.save()
        changed += 1
    return changed

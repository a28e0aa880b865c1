"""The IG writes: a document stored as the next version of an IG item, and the requirements matrix."""

from django.db.models import Max

from assurance.defaults import default_items
from assurance.models import ITEMS, IGDocument, IGItem, IGRequirement
from core import documents


def add_ig_document(item, upload, checked, user):
    """Store ``upload`` as the next version of ``item``'s documents, all or nothing."""

    def lock_and_number(document):
        locked = IGItem.objects.select_for_update().get(pk=item.pk)
        document.item = locked
        document.version = (locked.documents.aggregate(highest=Max("version"))["highest"] or 0) + 1

    return documents.save_with_file(IGDocument(item=item, uploaded_by=user), upload, checked, lock_and_number)


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

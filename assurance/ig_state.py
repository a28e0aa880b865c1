"""What each partnership's records say of each IG item, kept as dates in a derived table (IGState).

Whether an item is in place depends on today: a DPIA is in place until its review date, an
agreement until its term ends, a partner's DSPT assessment until the 30 June a year after the
next one is due (``organisations.dspt``). Worked out from the IG records, the agreements and every
partner's DSPT for each of 50,000 partnerships, the IG gaps page took 1.5 s on PostgreSQL. So the
sources are summarised here, one row per partnership and item that has any, as what does not
depend on today:

- ``in_place_until``: the last day the item counts as in place (``FOREVER`` without an end date;
  empty when no source can put it in place). For the partners' DSPT: the last day every partner's
  assessment is current (``NOT_CURRENT`` when one has no year).
- ``in_progress``: a source is in progress (an IG record in progress, an agreement of the kind in
  preparation; for the DSPT: a partner at "Approaching Standards").

and the status today is one comparison (:func:`status_conditions`). No row means missing: nothing
recorded, or for the partners' DSPT no partner recorded or a partner with no assured status.

The table is never typed into: every write to a source refreshes the rows of the partnerships it
touches, in the same transaction (:func:`connect`: model signals, and ``core.signals.bulk_created``
for rows written in bulk by the import and the benchmark), and ``manage.py refresh_derived``
rebuilds it and reports any row that had drifted (``core.derived``). Only rows that change are written, and each
write is audited on the partnership's history, so an auditor sees when and by whose write a
partnership's IG state moved. The partnership's page still works from the sources themselves, with the
reasons (``assurance.selectors.partnership_ig``); tests check the two agree.
"""

import datetime

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save, pre_save

from agreements.models import Agreement, AgreementStatus
from assurance.defaults import default_matrix
from assurance.models import (
    AGREEMENT_KINDS,
    ITEMS,
    RECORDED_ITEMS,
    IGGap,
    IGItem,
    IGItemType,
    IGRequirement,
    IGState,
    RecordedStatus,
)
from core.derived import batchable, drifted, locked_chunks, write_differences
from core.signals import bulk_created
from organisations.dspt import MET_OR_BETTER, NOT_ASSURED
from organisations.models import Organisation
from partnerships.models import PartnerRole, Partnership

FOREVER = datetime.date(9999, 12, 31)
ALWAYS = datetime.date.min  # an IG gap from the start: a required item not in place at all
NOT_CURRENT = datetime.date(1, 1, 1)
IN_PREPARATION = (AgreementStatus.DRAFT, AgreementStatus.OUT_FOR_COMMENT, AgreementStatus.APPROVED)
ITEM_OF_KIND = {kind: item for item, kind in AGREEMENT_KINDS.items()}
DSPT_FIELDS = ("dspt_status", "dspt_year", "is_home_trust")
FIELDS = ("in_place_until", "in_progress")
GAP_FIELDS = ("arrangement_type", "data_sharing")


# ---------------------------------------------------------------------------------------------
# Summaries, from plain values


def summarise_recorded(records, agreements):
    """(in_place_until, in_progress) of one recorded item from its IG record's and agreements'
    ``(status, end date)`` pairs, or ``None`` when there is neither."""
    if not records and not agreements:
        return None
    ends = [end or FOREVER for status, end in records if status == RecordedStatus.IN_PLACE]
    ends += [end or FOREVER for status, end in agreements if status == AgreementStatus.IN_FORCE]
    in_progress = any(status == RecordedStatus.IN_PROGRESS for status, _ in records) or any(
        status in IN_PREPARATION for status, _ in agreements
    )
    return max(ends, default=None), in_progress


def current_until(year):
    """The last day a DSPT assessment of ``year`` ("2024-25") is current: 30 June 2026."""
    return datetime.date(int(year[:4]) + 2, 6, 30) if year else NOT_CURRENT


def summarise_dspt(partners):
    """(in_place_until, in_progress) of the partners' DSPT from each partner's ``(status, year)``,
    or ``None`` (missing) when there is no partner or one has no assured status."""
    if not partners or any(not status or status in NOT_ASSURED for status, _ in partners):
        return None
    return min(current_until(year) for _, year in partners), any(status not in MET_OR_BETTER for status, _ in partners)


def requirement_matrix():
    """{(arrangement type, level of data sharing): set of required items} for every cell, in one
    query: the saved rows, and the defaults (``assurance.defaults``) for any cell without one."""
    saved = {(r.arrangement_type, r.data_sharing): set(r.required_items) for r in IGRequirement.objects.all()}
    return {**default_matrix(), **saved}


def gap_from(data_sharing, required, rows):
    """The first day a partnership has an IG gap, its records being as they are (``ALWAYS`` when it
    has one whatever the day), or ``None`` when it never will.

    ``required`` is the set of items its cell of the matrix requires, ``rows`` its summaries
    ``{item: (in_place_until, in_progress)}``. Its level of data sharing not assessed is a gap;
    an item with no summary is missing, the partners' DSPT with a partner approaching standards is
    not met, and any other item is in place until its ``in_place_until``."""
    if not data_sharing:
        return ALWAYS
    starts = []
    for item in ITEMS:
        if item not in required:
            continue
        until, in_progress = rows.get(item, (None, False))
        if until is None or (item == IGItemType.PARTNER_DSPT and in_progress):
            return ALWAYS
        if until != FOREVER:
            starts.append(until + datetime.timedelta(days=1))
    return min(starts, default=None)


# ---------------------------------------------------------------------------------------------
# Conditions on IGState rows: the status today


def status_conditions(item, today):
    """{status: condition on IGState rows of ``item``} for the statuses a row can have today
    (no row is missing)."""
    current = Q(in_place_until__gte=today)
    if item == IGItemType.PARTNER_DSPT:
        return {
            "in_place": current & Q(in_progress=False),
            "in_progress": current & Q(in_progress=True),
            "expired": ~current | Q(in_place_until__isnull=True),
        }
    return {
        "in_place": current,
        "in_progress": (~current | Q(in_place_until__isnull=True)) & Q(in_progress=True),
        "expired": (~current | Q(in_place_until__isnull=True)) & Q(in_progress=False),
    }


def partnerships_with(item, condition=None):
    """The ids of partnerships whose row for ``item`` meets ``condition`` (any row without one):
    a subquery for ``pk__in``, read once per query rather than once per partnership."""
    rows = IGState.objects.filter(item=item)
    return (rows if condition is None else rows.filter(condition)).values("partnership_id")


# ---------------------------------------------------------------------------------------------
# Refreshing


def _recorded_rows(ids, items):
    found = {}
    for pk, item, status, end in IGItem.objects.filter(partnership__in=ids, item__in=items).values_list(
        "partnership_id", "item", "status", "review_on"
    ):
        found.setdefault((pk, item), ([], []))[0].append((status, end))
    kinds = [AGREEMENT_KINDS[item] for item in items if item in AGREEMENT_KINDS]
    agreements = Agreement.objects.filter(partnership__in=ids, kind__in=kinds).values_list(
        "partnership_id", "kind", "status", "term_end_date"
    )
    for pk, kind, status, end in agreements:
        found.setdefault((pk, ITEM_OF_KIND[kind]), ([], []))[1].append((status, end))
    return {key: summarise_recorded(*sources) for key, sources in found.items()}


def _dspt_rows(ids):
    partners = {}
    roles = PartnerRole.objects.filter(partnership__in=ids, organisation__is_home_trust=False).values_list(
        "partnership_id", "organisation__dspt_status", "organisation__dspt_year"
    )
    for pk, status, year in roles:
        partners.setdefault(pk, []).append((status, year))
    return {(pk, IGItemType.PARTNER_DSPT.value): summarise_dspt(found) for pk, found in partners.items()}


def _refresh_chunk(ids, items):
    recorded = [item for item in items if item in RECORDED_ITEMS]
    wanted = _recorded_rows(ids, recorded) if recorded else {}
    if IGItemType.PARTNER_DSPT in items:
        wanted.update(_dspt_rows(ids))
    write_differences(
        IGState.objects.filter(partnership__in=ids, item__in=items),
        {key: summary for key, summary in wanted.items() if summary is not None},
        lambda key, values: IGState(
            partnership_id=key[0], item=key[1], in_place_until=values[0], in_progress=values[1]
        ),
        FIELDS,
    )


def _refresh_gaps(ids, matrix):
    """The IG gap rows of the partnerships ``ids`` from their IG state and cell of ``matrix``."""
    rows = {}
    for pk, item, until, in_progress in IGState.objects.filter(partnership__in=ids).values_list(
        "partnership_id", "item", *FIELDS
    ):
        rows.setdefault(pk, {})[item] = (until, in_progress)
    wanted = {}
    for pk, kind, level in Partnership.objects.filter(pk__in=ids).values_list("pk", *GAP_FIELDS):
        start = gap_from(level, matrix.get((kind, level), set()), rows.get(pk, {}))
        if start is not None:
            wanted[pk] = (start,)
    write_differences(
        IGGap.objects.filter(partnership__in=ids),
        wanted,
        lambda pk, values: IGGap(partnership_id=pk, gap_from=values[0]),
        ("gap_from",),
    )


@batchable
def refresh(partnership_ids, items=None):
    """Work out again the rows of these partnerships (of ``items``, default all; ``[]`` for their
    IG gap alone), in a transaction, each partnership locked first (``core.derived.locked_chunks``)."""
    items = [IGItemType(item).value for item in (ITEMS if items is None else items)]
    with transaction.atomic():
        matrix = requirement_matrix()
        for chunk in locked_chunks(Partnership, partnership_ids):
            if items:
                _refresh_chunk(chunk, items)
            _refresh_gaps(chunk, matrix)


def rebuild():
    """Work out every row again, writing only those that had drifted; returns how many had."""
    before = _all_rows()
    refresh(Partnership.objects.values_list("pk", flat=True))
    return drifted(before, _all_rows())


def _all_rows():
    rows = IGState.objects.values_list("partnership_id", "item", *FIELDS)
    found = {(pk, item): tuple(rest) for pk, item, *rest in rows.iterator(chunk_size=5000)}
    gaps = IGGap.objects.values_list("partnership_id", "gap_from")
    found.update({(pk, "gap"): (start,) for pk, start in gaps.iterator(chunk_size=5000)})
    return found


# ---------------------------------------------------------------------------------------------
# Keeping it in step with the sources


def _record_written(sender, instance, **kwargs):
    """An IG record or an agreement: every recorded item of its partnership (a record's item or an
    agreement's kind may have changed, and one partnership's rows are three small queries)."""
    refresh([instance.partnership_id], items=RECORDED_ITEMS)


def _partner_written(sender, instance, **kwargs):
    refresh([instance.partnership_id], items=[IGItemType.PARTNER_DSPT])


def _partnership_deleted(sender, instance, **kwargs):
    """A partnership's rows go with it (the tables keep no foreign key, so that the refresh a
    deleted partner link sends while the partnership is being deleted cannot block the delete).
    Each row is handed the partnership as it was, for its audit entry to name: it is no longer
    in the database to be read."""
    for model in (IGState, IGGap):
        for row in model.objects.filter(partnership_id=instance.pk):
            row.partnership = instance
            row.delete()


def _partnership_before_save(sender, instance, raw=False, **kwargs):
    if instance.pk and not raw:
        instance._ig_cell_before = Partnership.objects.filter(pk=instance.pk).values_list(*GAP_FIELDS).first()


def _partnership_saved(sender, instance, created, raw=False, **kwargs):
    """A new partnership, or one whose arrangement type or level of data sharing changed: what its
    cell of the matrix requires may differ, so its IG gap is worked out again."""
    now = tuple(getattr(instance, name) for name in GAP_FIELDS)
    if raw or (not created and getattr(instance, "_ig_cell_before", None) == now):
        return
    refresh([instance.pk], items=[])


def _requirement_written(sender, instance, **kwargs):
    """A cell of the matrix changed: the IG gaps of the partnerships in that cell."""
    cell = Partnership.objects.filter(arrangement_type=instance.arrangement_type, data_sharing=instance.data_sharing)
    refresh(cell.values_list("pk", flat=True), items=[])


def _organisation_before_save(sender, instance, raw=False, **kwargs):
    if instance.pk and not raw:
        instance._dspt_before = Organisation.objects.filter(pk=instance.pk).values_list(*DSPT_FIELDS).first()


def _organisation_saved(sender, instance, created, raw=False, **kwargs):
    """A partner's DSPT or home-trust flag changed: every partnership it is a partner of."""
    now = tuple(getattr(instance, name) for name in DSPT_FIELDS)
    if created or raw or getattr(instance, "_dspt_before", None) == now:
        return
    ids = PartnerRole.objects.filter(organisation=instance).values_list("partnership_id", flat=True)
    refresh(ids, items=[IGItemType.PARTNER_DSPT])


def _bulk_created(sender, instances, **kwargs):
    """Rows written with ``bulk_create`` (the import, the benchmark): their partnerships."""
    if sender is PartnerRole:
        refresh({role.partnership_id for role in instances}, items=[IGItemType.PARTNER_DSPT])
    elif sender in (IGItem, Agreement):
        refresh({record.partnership_id for record in instances}, items=RECORDED_ITEMS)
    elif sender is Partnership:
        refresh({partnership.pk for partnership in instances}, items=[])


def connect():
    """Refresh the table on every write to its sources (called from ``AssuranceConfig.ready``)."""
    for model, receiver in ((IGItem, _record_written), (Agreement, _record_written), (PartnerRole, _partner_written)):
        post_save.connect(receiver, sender=model, dispatch_uid=f"ig-state-{model._meta.label}")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"ig-state-del-{model._meta.label}")
    post_delete.connect(_partnership_deleted, sender=Partnership, dispatch_uid="ig-state-partnership")
    pre_save.connect(_partnership_before_save, sender=Partnership, dispatch_uid="ig-gap-partnership-before")
    post_save.connect(_partnership_saved, sender=Partnership, dispatch_uid="ig-gap-partnership")
    post_save.connect(_requirement_written, sender=IGRequirement, dispatch_uid="ig-gap-requirement")
    post_delete.connect(_requirement_written, sender=IGRequirement, dispatch_uid="ig-gap-requirement-del")
    pre_save.connect(_organisation_before_save, sender=Organisation, dispatch_uid="ig-state-org-before")
    post_save.connect(_organisation_saved, sender=Organisation, dispatch_uid="ig-state-org")
    bulk_created.connect(_bulk_created, dispatch_uid="ig-state-bulk")

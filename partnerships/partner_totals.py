"""Each organisation's open partnerships and their value a year, kept in a derived table.

The dashboard's network (and its download) lists the partner organisations by the value of the
open partnerships they are in. Worked out with a ``GROUP BY`` over every partner role (125,000 for
50,000 partnerships) joined to its partnership, it was the dashboard's largest query. The totals
are kept instead, one row per organisation in an open partnership
(:class:`partnerships.models.PartnerTotal`), written again whenever a partner role or a
partnership's status or value is written (model signals, and ``core.signals.bulk_created`` for
partner roles written in bulk by the import and the benchmark), in the same transaction, only when
they change, audited (``core.derived``). ``manage.py refresh_derived`` works them out again and
reports any row that had drifted. Whether an organisation is the home trust is read with the
totals, so it is not part of them.

Each refresh locks the organisations it works out first, so that two writes adding a partner to
the same organisation at once count each other. An import, which may save many partnerships one
by one, refreshes them once (``core.derived.batched``).
"""

from decimal import Decimal

from django.db import transaction
from django.db.models import Count, DecimalField, Sum, Value
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete, post_save, pre_save

from core.derived import batchable, drifted, locked_chunks, write_differences
from core.signals import bulk_created
from organisations.models import Organisation
from partnerships.models import PartnerRole, Partnership, PartnerTotal, Status

NO_VALUE = Value(Decimal(0), output_field=DecimalField(max_digits=18, decimal_places=2))
SOURCE_FIELDS = {"status", "annual_value"}


def _totals(ids):
    rows = (
        PartnerRole.objects.filter(organisation__in=ids)
        .exclude(partnership__status=Status.CLOSED)
        .order_by()
        .values("organisation")
        .annotate(n=Count("pk"), value=Coalesce(Sum("partnership__annual_value"), NO_VALUE))
        .values_list("organisation", "n", "value")
    )
    return {pk: (n, value) for pk, n, value in rows}


@batchable
def refresh(organisation_ids):
    """Work out again the rows of these organisations, in a transaction, each organisation locked
    first (``core.derived.locked_chunks``)."""
    with transaction.atomic():
        for chunk in locked_chunks(Organisation, organisation_ids):
            write_differences(
                PartnerTotal.objects.filter(organisation__in=chunk),
                _totals(chunk),
                lambda pk, values: PartnerTotal(organisation_id=pk, partnerships=values[0], value=values[1]),
                ("partnerships", "value"),
            )


def rebuild():
    """Work out every row again, writing only those that had drifted; returns how many had."""
    before = _all_rows()
    refresh(Organisation.objects.values_list("pk", flat=True))
    return drifted(before, _all_rows())


def _all_rows():
    rows = PartnerTotal.objects.values_list("organisation_id", "partnerships", "value")
    return {pk: (n, value) for pk, n, value in rows}


# ---------------------------------------------------------------------------------------------
# Keeping it in step with the sources


def _role_before_save(sender, instance, update_fields=None, **kwargs):
    """A partner role moved to another organisation leaves the first one's total to refresh too."""
    if instance.pk is not None and (update_fields is None or "organisation" in update_fields):
        before = PartnerRole.objects.filter(pk=instance.pk).values_list("organisation_id", flat=True).first()
        instance._organisation_before = before


def _role_written(sender, instance, **kwargs):
    before = getattr(instance, "_organisation_before", None)
    refresh({instance.organisation_id} | ({before} if before else set()))


def _partnership_saved(sender, instance, created, update_fields=None, **kwargs):
    """Its status or value changed: every organisation that is a partner in it (a new one has none)."""
    if created or (update_fields is not None and not SOURCE_FIELDS & set(update_fields)):
        return
    if getattr(instance, "_loaded_totals", None) == (instance.status, instance.annual_value):
        return
    refresh(PartnerRole.objects.filter(partnership=instance).values_list("organisation_id", flat=True))


def _bulk_created(sender, instances, **kwargs):
    if sender is PartnerRole:
        refresh({role.organisation_id for role in instances})


def connect():
    """Refresh the table on every write to its sources (called from ``PartnershipsConfig.ready``)."""
    pre_save.connect(_role_before_save, sender=PartnerRole, dispatch_uid="partner-totals-role-before")
    post_save.connect(_role_written, sender=PartnerRole, dispatch_uid="partner-totals-role")
    post_delete.connect(_role_written, sender=PartnerRole, dispatch_uid="partner-totals-role-del")
    post_save.connect(_partnership_saved, sender=Partnership, dispatch_uid="partner-totals-partnership")
    bulk_created.connect(_bulk_created, dispatch_uid="partner-totals-bulk")

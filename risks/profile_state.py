"""Each partnership's risk-profile state (domains assessed, first review due), kept in a derived
table.

The work queue and the register ask "which partnerships' risk profiles are incomplete?" of the
whole register. Worked out from the risks themselves, that is a count of distinct domains over
300,000 risks and a second subquery over the "no significant risk" records, for each of 50,000
partnerships: 270 ms on PostgreSQL for the queue's count alone. The two facts the rule needs are
kept instead, one row per partnership that has an open risk or a record
(:class:`risks.models.ProfileState`), written again in the same transaction whenever one of its
risks or records is written (model signals, ``core.signals.bulk_created``), only when they change,
audited (``core.derived``). The rule itself (``risks.selectors.profile_condition``) reads them;
"today" stays out of the table, so nothing goes stale overnight. ``manage.py refresh_derived``
works the table out again and reports drift.
"""

from django.db import transaction
from django.db.models import Min
from django.db.models.signals import post_delete, post_save

from core.derived import batchable, drifted, locked_chunks, write_differences
from core.signals import bulk_created
from partnerships.models import Partnership
from risks.models import NoSignificantRisk, ProfileState, Risk, RiskStatus


def _states(ids):
    """{partnership id: (domains assessed, first open risk's review date)} for ``ids``."""
    open_risks = Risk.objects.filter(partnership__in=ids, status=RiskStatus.OPEN).order_by()
    domains = {}
    for pk, domain in open_risks.values_list("partnership", "domain").distinct():
        domains.setdefault(pk, set()).add(domain)
    records = NoSignificantRisk.objects.filter(partnership__in=ids).order_by()
    for pk, domain in records.values_list("partnership", "domain"):
        domains.setdefault(pk, set()).add(domain)
    due = dict(open_risks.values("partnership").annotate(first=Min("review_date")).values_list("partnership", "first"))
    return {pk: (len(domains.get(pk, ())), due.get(pk)) for pk in domains.keys() | due.keys()}


@batchable
def refresh(partnership_ids):
    """Work out again the rows of these partnerships, in a transaction, each partnership locked first."""
    with transaction.atomic():
        for chunk in locked_chunks(Partnership, partnership_ids):
            write_differences(
                ProfileState.objects.filter(partnership__in=chunk),
                _states(chunk),
                lambda pk, values: ProfileState(partnership_id=pk, assessed=values[0], review_due=values[1]),
                ("assessed", "review_due"),
            )


def rebuild():
    """Work out every row again, writing only those that had drifted; returns how many had."""
    before = _all_rows()
    refresh(Partnership.objects.values_list("pk", flat=True))
    return drifted(before, _all_rows())


def _all_rows():
    rows = ProfileState.objects.values_list("partnership_id", "assessed", "review_due")
    return {pk: (assessed, due) for pk, assessed, due in rows}


def _written(sender, instance, **kwargs):
    refresh([instance.partnership_id])


def _bulk_created(sender, instances, **kwargs):
    if sender in (Risk, NoSignificantRisk):
        refresh({obj.partnership_id for obj in instances})


def connect():
    """Refresh the table on every write to a risk or a record (called from ``RisksConfig.ready``)."""
    for model in (Risk, NoSignificantRisk):
        name = model._meta.model_name
        post_save.connect(_written, sender=model, dispatch_uid=f"profile-state-{name}")
        post_delete.connect(_written, sender=model, dispatch_uid=f"profile-state-{name}-del")
    bulk_created.connect(_bulk_created, dispatch_uid="profile-state-bulk")

"""The highest current score of each partnership's open risks, kept in a derived table.

Sorting the register by it meant working out ``MAX(likelihood × consequence)`` over each of
50,000 partnerships' risks for every page: 370 ms on PostgreSQL. The score is kept instead, one
row per partnership with an open risk (:class:`risks.models.HighestScore`), written again
whenever one of its risks is written (model signals, and ``core.signals.bulk_created`` for risks
written in bulk), in the same transaction, only when it changes, audited (``core.derived``).
``manage.py refresh_derived`` works it out again and reports any row that had drifted. The risk
profile columns of a page still work the score out from the risks themselves.
"""

from django.db import transaction
from django.db.models import Max
from django.db.models.signals import post_delete, post_save

from core.derived import batchable, drifted, locked_chunks, write_differences
from core.signals import bulk_created
from partnerships.models import Partnership
from risks.models import HighestScore, Risk, RiskStatus
from risks.scoring import Scoring


def _highest(ids):
    rows = (
        Risk.objects.filter(partnership__in=ids, status=RiskStatus.OPEN)
        .order_by()
        .values("partnership")
        .annotate(top=Max(Scoring.score_sql("current")))
        .values_list("partnership", "top")
    )
    return {pk: (top,) for pk, top in rows}


@batchable
def refresh(partnership_ids):
    """Work out again the rows of these partnerships, in a transaction, each partnership locked
    first (``core.derived.locked_chunks``)."""
    with transaction.atomic():
        for chunk in locked_chunks(Partnership, partnership_ids):
            write_differences(
                HighestScore.objects.filter(partnership__in=chunk),
                _highest(chunk),
                lambda pk, values: HighestScore(partnership_id=pk, score=values[0]),
                ("score",),
            )


def rebuild():
    """Work out every row again, writing only those that had drifted; returns how many had."""
    before = _all_rows()
    refresh(Partnership.objects.values_list("pk", flat=True))
    return drifted(before, _all_rows())


def _all_rows():
    return {pk: (score,) for pk, score in HighestScore.objects.values_list("partnership_id", "score")}


def _risk_written(sender, instance, **kwargs):
    refresh([instance.partnership_id])


def _bulk_created(sender, instances, **kwargs):
    if sender is Risk:
        refresh({risk.partnership_id for risk in instances})


def connect():
    """Refresh the table on every write to a risk (called from ``RisksConfig.ready``)."""
    post_save.connect(_risk_written, sender=Risk, dispatch_uid="risk-highest")
    post_delete.connect(_risk_written, sender=Risk, dispatch_uid="risk-highest-del")
    bulk_created.connect(_bulk_created, dispatch_uid="risk-highest-bulk")

"""The commit of an import, run by the background worker (``partnerships.tasks.run_import``).

The page and ``manage.py import_register`` read and check the file as before (the preview is a
dry run, in the request), then :func:`queue` keeps the rows read, the header row and the column
mapping on a :class:`~partnerships.models.RegisterImport` and queues the task once that record is
committed. The worker (:func:`run`):

1. claims the import with one conditional UPDATE (queued → running, ``attempt`` + 1), so a task
   delivered twice runs once;
2. plans the rows again against the register as it is now: any problem, or a plan that would do
   other than the preview said, fails the import with the reason, nothing written;
3. writes every row in one transaction (``writing.commit_plan``) whose first statement marks the
   import done, only if this attempt still holds it. A worker killed before that transaction
   commits leaves the register and the import exactly as they were ("running"), and
   :func:`run_again` queues it once more; an older attempt still writing then finds its claim
   gone and rolls back, so an import is written once at most.

Progress is written between these steps, outside the writing transaction (which on SQLite holds
the database's write lock), for the page that polls it. Writes are audited as the import's, by the
user who asked for it (``source="import"``), as when the page wrote them itself.
"""

import logging
from functools import partial

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core import audit
from partnerships.importing import staging
from partnerships.importing.errors import ImportRefused, RegisterImportError
from partnerships.importing.planner import build_plan
from partnerships.importing.writing import commit_plan
from partnerships.models import ImportState, RegisterImport

log = logging.getLogger(__name__)
LISTED_PROBLEMS = 20  # problems named in a failed import's reason
STALE_SECONDS = 5 * 60  # a running import that has not moved for this long may be run again


def signature(plan):
    """What an import will do, in numbers: a commit that would do otherwise is refused."""
    return ":".join(
        str(n)
        for n in (
            plan.created,
            plan.updated,
            plan.unchanged,
            len(plan.new_organisations),
            len(plan.new_service_areas),
            len(plan.leads_to_confirm),
        )
    )


def queue(rows, header_index, mapping, user=None, name="", sheet="", expected="", at_once=False):
    """A new import of ``rows`` (checked already), queued for the worker once it is committed.

    ``at_once``: queue the task now, for a caller outside any transaction (the command line),
    whose record is committed as soon as it is created.
    """
    from partnerships.tasks import run_import

    with transaction.atomic():
        record = RegisterImport.objects.create(
            name=name[:120],
            sheet=sheet[:200],
            header_row=header_index + 1,
            mapping=list(mapping),
            rows=staging.dumps(rows),
            expected=expected,
            requested_by=user if getattr(user, "pk", None) else None,
            step="Waiting for the worker",
        )
        if not at_once:
            transaction.on_commit(partial(run_import.enqueue, record.pk))
    if at_once:
        run_import.enqueue(record.pk)
    return record


def run_again(record):
    """Queue an import that was interrupted (its worker killed) or failed once more; False when it
    has finished meanwhile. Safe while an earlier attempt is somehow still writing: that one's
    claim is gone, so it writes nothing."""
    from partnerships.tasks import run_import

    with transaction.atomic():
        again = RegisterImport.objects.filter(pk=record.pk, state__in=(ImportState.RUNNING, ImportState.FAILED)).update(
            state=ImportState.QUEUED,
            step="Waiting for the worker",
            progress=0,
            failure="",
            updated_at=timezone.now(),
        )
        if again:
            audit.record_change(
                record,
                {"state": ImportState(record.state).label, "attempt": record.attempt},
                {"state": ImportState.QUEUED.label, "attempt": record.attempt},
            )
            transaction.on_commit(partial(run_import.enqueue, record.pk))
    return bool(again)


def is_stale(record):
    return record.state == ImportState.RUNNING and (timezone.now() - record.updated_at).total_seconds() > STALE_SECONDS


def _progress(pk, attempt, step, progress):
    RegisterImport.objects.filter(pk=pk, attempt=attempt, state=ImportState.RUNNING).update(
        step=step, progress=progress, updated_at=timezone.now()
    )


def _failed(pk, attempt, reason):
    RegisterImport.objects.filter(pk=pk, attempt=attempt, state=ImportState.RUNNING).update(
        state=ImportState.FAILED,
        step="Not imported",
        failure=reason,
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )


class Superseded(RegisterImportError):
    """This attempt no longer holds the import (it was queued again): it writes nothing."""


def run(pk):
    """Run a queued import: claim it, plan it again, write it all or nothing."""
    claimed = RegisterImport.objects.filter(pk=pk, state=ImportState.QUEUED).update(
        state=ImportState.RUNNING,
        attempt=F("attempt") + 1,
        step="Checking every row again",
        progress=10,
        updated_at=timezone.now(),
    )
    if not claimed:
        return
    record = RegisterImport.objects.select_related("requested_by").get(pk=pk)
    try:
        _run(record)
    except Superseded:
        log.info("Register import %s attempt %s was superseded", pk, record.attempt)
    except RegisterImportError as error:
        _failed(pk, record.attempt, _reason(error))
    except Exception as error:  # the page says it failed and why; the log has the traceback
        log.exception("Register import %s failed", pk)
        _failed(pk, record.attempt, f"{type(error).__name__}: {error}"[:500])


def _reason(error):
    """The refusal's message, then its problems as "Row N, Column: message" (never a cell's value)."""
    problems = getattr(error, "problems", [])
    lines = [error.message]
    lines += [str(p) for p in problems[:LISTED_PROBLEMS]]
    if len(problems) > LISTED_PROBLEMS:
        lines.append(f"And {len(problems) - LISTED_PROBLEMS} more problems.")
    return "\n".join(line for line in lines if line)


def _run(record):
    rows = staging.loads(record.rows)
    plan = build_plan(rows, record.header_row - 1, record.mapping, user=record.requested_by)
    if plan.problems:
        raise ImportRefused(
            plan.problems, "The register has changed since the preview: these rows cannot be imported now."
        )
    if record.expected and signature(plan) != record.expected:
        raise RegisterImportError(
            "The register changed after the preview, so this import would no longer do what the preview said. "
            "Nothing was imported: upload the file again and check the new preview."
        )
    summary = plan.summary()
    _progress(record.pk, record.attempt, f"Writing {plan.to_write:,} partnerships", 40)

    def finish():
        """The first statement of the writing transaction: done, if this attempt still holds the import."""
        done = RegisterImport.objects.filter(pk=record.pk, attempt=record.attempt, state=ImportState.RUNNING).update(
            state=ImportState.DONE,
            step="Imported",
            progress=100,
            summary=summary,
            rows="",
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
        if not done:
            raise Superseded("This import was queued again: this attempt wrote nothing.")

    if plan.to_write == 0:
        with transaction.atomic():
            finish()
        return
    commit_plan(plan, user=record.requested_by, begin=finish)

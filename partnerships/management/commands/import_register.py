"""``manage.py import_register PATH [--sheet NAME] [--dry-run] [--strict] [--no-wait]``: import a register spreadsheet.

Every row is checked first; if any has a problem, each is printed to stderr as
"Row N, Column: message", nothing is written and the command exits with status 1. Otherwise
the commit is queued for the background worker (``manage.py db_worker``), which writes all rows
in one transaction (audited with the source "import"), and the command waits for it, then names
what it created (partnerships, organisations, service areas), the leads it could not link to a
user, and the columns it did not import; if the worker refuses it (the register changed
meanwhile), it prints why to stderr and exits 1, nothing written. ``--dry-run`` checks and
reports without writing; ``--strict`` refuses a file with any column it would not import;
``--no-wait`` queues the commit and exits, naming the import's page.
"""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.audit import audit_context
from partnerships.importing import ImportFileError, ImportRefused, background, prepare
from partnerships.models import ImportState

POLL_SECONDS = 0.5


def _count(number, word):
    return f"{number} {word}{'s' if number != 1 else ''}"


class Command(BaseCommand):
    help = "Import a register spreadsheet (.xlsx or .csv): all rows or none. Problems go to stderr."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The spreadsheet to import (.xlsx or .csv).")
        parser.add_argument("--sheet", help="The worksheet to read in an .xlsx file (default: the first).")
        parser.add_argument("--dry-run", action="store_true", help="Check and report the import; write nothing.")
        parser.add_argument(
            "--strict", action="store_true", help="Refuse the file (write nothing) if any column is not imported."
        )
        parser.add_argument(
            "--no-wait", action="store_true", help="Queue the commit for the worker and exit without waiting for it."
        )

    def handle(self, *args, path, sheet=None, dry_run=False, strict=False, no_wait=False, **options):
        try:
            with audit_context(user=None, source="import"):
                rows, header_index, plan = prepare(path, sheet=sheet, strict=strict)
        except ImportRefused as refused:
            for problem in refused.problems:
                self.stderr.write(str(problem))
            raise CommandError(refused.message, returncode=1) from None
        except ImportFileError as error:
            raise CommandError(error.message, returncode=1) from None
        self.stdout.write(f"Header row: row {plan.header_row}.")
        for notice in plan.notices:
            self.stdout.write(notice)
        if not dry_run and plan.to_write:
            with audit_context(user=None, source="import"):
                record = background.queue(
                    rows,
                    header_index,
                    plan.mapping,
                    name=Path(path).name,
                    sheet=sheet or "",
                    expected=background.signature(plan),
                    at_once=True,  # the command runs outside any transaction: the import is committed
                )
            if no_wait:
                self.stdout.write(f"Queued as import {record.pk} for the worker (manage.py db_worker).")
                return
            self.wait_for(record)
        if options["verbosity"] > 0:
            self.list_what_was_done(plan, dry_run)
        summary = (
            f"{plan.created} created, {plan.updated} updated, {plan.unchanged} unchanged; "
            f"{_count(len(plan.new_organisations), 'new organisation')}"
        )
        if plan.new_service_areas:
            summary += f"; {_count(len(plan.new_service_areas), 'new service area')}"
        if plan.leads_to_confirm:
            summary += f"; {_count(len(plan.leads_to_confirm), 'lead')} to confirm"
        if dry_run:
            self.stdout.write(f"Dry run: {summary}. Nothing was written.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported: {summary}."))

    def wait_for(self, record):
        """Wait until the worker has run the import, saying each step; exit 1 with its reason if it failed."""
        said = None
        while True:
            record.refresh_from_db()
            if record.finished:
                break
            step = f"{record.get_state_display()}: {record.step} ({record.progress}%)"
            if step != said:
                if said is None and record.state == ImportState.QUEUED:
                    step += ". The worker (manage.py db_worker) must be running."
                self.stderr.write(step)
                said = step
            time.sleep(POLL_SECONDS)
        if record.state == ImportState.FAILED:
            self.stderr.write(record.failure)
            raise CommandError("Nothing was imported.", returncode=1)

    def list_what_was_done(self, plan, dry_run):
        """Each partnership created or updated, each new organisation and service area, each lead not linked."""
        verbs = {"create": "Would create" if dry_run else "Created", "update": "Would update" if dry_run else "Updated"}
        for row in plan.rows:
            if row.action in verbs:
                self.stdout.write(f"{verbs[row.action]} {row.reference} {row.title} (row {row.row})")
        for new in plan.new_organisations:
            self.stdout.write(f"New organisation: {new.name}{f' ({new.ods_code})' if new.ods_code else ''}")
        for new in plan.new_service_areas:
            self.stdout.write(f"New service area: {new.name}")
        for lead in plan.leads_to_confirm:
            self.stdout.write(
                f"Lead to confirm: row {lead.row}, {lead.reference} {lead.title}: “{lead.text}”. {lead.reason}"
            )

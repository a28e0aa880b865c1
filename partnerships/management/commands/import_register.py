"""``manage.py import_register PATH [--sheet NAME] [--dry-run] [--strict]``: import a register spreadsheet.

Every row is checked first; if any has a problem, each is printed to stderr as
"Row N, Column: message", nothing is written and the command exits with status 1. Otherwise
all rows are written in one transaction (audited with the source "import") and the command names
what it created (partnerships, organisations, service areas), the leads it could not link to a
user, and the columns it did not import. ``--dry-run`` checks and reports without writing;
``--strict`` refuses a file with any column it would not import.
"""

from django.core.management.base import BaseCommand, CommandError

from core.audit import audit_context
from partnerships.importing import ImportFileError, ImportRefused, import_register


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

    def handle(self, *args, path, sheet=None, dry_run=False, strict=False, **options):
        try:
            with audit_context(user=None, source="import"):
                plan = import_register(path, sheet=sheet, dry_run=dry_run, strict=strict)
        except ImportRefused as refused:
            for problem in refused.problems:
                self.stderr.write(str(problem))
            raise CommandError(refused.message, returncode=1) from None
        except ImportFileError as error:
            raise CommandError(error.message, returncode=1) from None
        self.stdout.write(f"Header row: row {plan.header_row}.")
        for notice in plan.notices:
            self.stdout.write(notice)
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

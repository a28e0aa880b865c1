"""``manage.py import_register PATH [--sheet NAME] [--dry-run]``: import a register spreadsheet.

Every row is checked first; if any has a problem, each is printed to stderr as
"Row N, Column: message", nothing is written and the command exits with status 1. Otherwise
all rows are written in one transaction (audited with the source "import") and a summary is
printed. ``--dry-run`` checks and summarises without writing.
"""

from django.core.management.base import BaseCommand, CommandError

from core.audit import audit_context
from partnerships.importing import ImportFileError, ImportRefused, import_register


class Command(BaseCommand):
    help = "Import a register spreadsheet (.xlsx or .csv): all rows or none. Problems go to stderr."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The spreadsheet to import (.xlsx or .csv).")
        parser.add_argument("--sheet", help="The worksheet to read in an .xlsx file (default: the first).")
        parser.add_argument("--dry-run", action="store_true", help="Check and summarise the import; write nothing.")

    def handle(self, *args, path, sheet=None, dry_run=False, **options):
        try:
            with audit_context(user=None, source="import"):
                plan = import_register(path, sheet=sheet, dry_run=dry_run)
        except ImportRefused as refused:
            for problem in refused.problems:
                self.stderr.write(str(problem))
            raise CommandError(refused.message, returncode=1) from None
        except ImportFileError as error:
            raise CommandError(error.message, returncode=1) from None
        self.stdout.write(f"Header row: row {plan.header_row}.")
        for notice in plan.notices:
            self.stdout.write(notice)
        if options["verbosity"] > 1:
            for new in plan.new_organisations:
                self.stdout.write(f"New organisation: {new.name}{f' ({new.ods_code})' if new.ods_code else ''}")
        summary = (
            f"{plan.created} created, {plan.updated} updated, {plan.unchanged} unchanged; "
            f"{len(plan.new_organisations)} new organisation{'s' if len(plan.new_organisations) != 1 else ''}."
        )
        if dry_run:
            self.stdout.write(f"Dry run: {summary} Nothing was written.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported: {summary}"))

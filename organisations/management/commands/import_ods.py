"""``manage.py import_ods PATH [--layout etr|eccg] [--dry-run]``: create or refresh organisations
from NHS Digital's ``etr.csv`` (trusts) or ``eccg.csv`` (ICBs and sub-ICB locations).

Every line is checked first; if any is malformed or would clash with another organisation's
name, each problem is printed to stderr as "Line N: message", nothing is written and the command
exits with status 1. Otherwise the organisations are created or refreshed in one transaction
(audited with the source "ods-import") and the created / updated / unchanged counts are printed.
See ``organisations.ods`` for the layout and the rules.
"""

from django.core.management.base import BaseCommand, CommandError

from organisations.ods import LAYOUTS, OdsImportError, import_file


class Command(BaseCommand):
    help = "Import NHS Digital's etr.csv or eccg.csv (27 columns, no header): all lines or none."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The ODS file to import (etr.csv or eccg.csv).")
        parser.add_argument(
            "--layout",
            choices=LAYOUTS,
            help="Which file it is, to infer kinds (default: from the file name; otherwise from names alone).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Check and count; write nothing.")

    def handle(self, *args, path, layout=None, dry_run=False, **options):
        try:
            result = import_file(path, layout=layout, dry_run=dry_run)
        except FileNotFoundError:
            raise CommandError(f"No file at {path}.", returncode=1) from None
        except IsADirectoryError:
            raise CommandError(f"{path} is a folder, not a file.", returncode=1) from None
        except OdsImportError as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            count = len(error.problems)
            raise CommandError(
                f"{count} problem{'s' if count != 1 else ''} in {path}: nothing was imported.", returncode=1
            ) from None
        if options["verbosity"] > 1:
            for org in result.created:
                self.stdout.write(f"Created: {org.ods_code} {org.name} ({org.get_kind_display()})")
            for org, changed in result.updated:
                self.stdout.write(f"Updated: {org.ods_code} {org.name}: {', '.join(changed)}")
        if dry_run:
            self.stdout.write(f"Dry run: {result.summary} Nothing was written.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported: {result.summary}"))

"""``manage.py export_register PATH``: the whole register as ``.xlsx`` or ``.csv``.

The layout is the register's own (``partnerships.spreadsheet``), which ``import_register`` reads
back unchanged. Text that a spreadsheet could run as a formula is neutralised in both formats.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.exports import write_csv, write_xlsx
from partnerships.models import Partnership
from partnerships.spreadsheet import REGISTER_HEADERS, register_rows


class Command(BaseCommand):
    help = "Export every partnership to PATH (.xlsx or .csv, by the file's extension) in the register layout."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Where to write the register, ending in .xlsx or .csv.")

    def handle(self, *args, path, **options):
        path = Path(path)
        extension = path.suffix.lower()
        if extension not in (".xlsx", ".csv"):
            raise CommandError(f"{path.name} must end in .xlsx or .csv: that decides the format of the export.")
        queryset = Partnership.objects.with_tier().order_by("reference")
        count = queryset.count()
        try:
            if extension == ".csv":
                with open(path, "w", newline="", encoding="utf-8-sig") as stream:
                    write_csv(stream, REGISTER_HEADERS, register_rows(queryset))
            else:
                with open(path, "wb") as stream:
                    write_xlsx(stream, REGISTER_HEADERS, register_rows(queryset), sheet_title="Register")
        except OSError as error:
            raise CommandError(f"Could not write {path}: {error.strerror}.") from None
        self.stdout.write(self.style.SUCCESS(f"Exported {count} partnership{'s' if count != 1 else ''} to {path}."))

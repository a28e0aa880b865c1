"""``manage.py backup PATH``: the database, the documents and a manifest in one archive (``core.backup``)."""

from django.core.management.base import BaseCommand, CommandError

from core import backup


class Command(BaseCommand):
    help = (
        "Write one archive (.tar.gz) of the database (a consistent snapshot), the documents and "
        "issued reports, and a manifest of row counts, checksums and SHA-256s. PATH is a new file, "
        "or a folder to write a dated archive into."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("path", help="the archive to write (a new file), or a folder for accord-DATE-TIME.tar.gz")

    def handle(self, *args, path, **options):
        try:
            result = backup.backup(path)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        tables = result.manifest["database"]["tables"]
        documents = sum(1 for name in result.manifest["files"] if name.startswith(backup.DOCUMENTS))
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {result.path}: {len(tables)} tables, "
                f"{sum(t['rows'] for t in tables.values())} rows, {documents} documents."
            )
        )

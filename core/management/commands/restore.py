"""``manage.py restore PATH``: an archive of ``manage.py backup`` into an empty database and
documents folder (``core.backup``), checked before anything is written and verified after."""

from django.core.management.base import BaseCommand, CommandError

from core import backup


class Command(BaseCommand):
    help = (
        "Restore an archive written by `backup` into an empty database (DATABASE_URL) and an empty "
        "documents folder (DOCUMENT_STORAGE_DIR). Refuses a damaged archive, one made on another "
        "database vendor, and a target that holds anything; verifies row counts and checksums."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("path", help="the archive written by `manage.py backup`")
        parser.add_argument(
            "--check", action="store_true", help="only read and check every member of the archive; restore nothing"
        )

    def handle(self, *args, path, check, **options):
        try:
            if check:
                manifest = backup.check_archive(path)
                self.stdout.write(self.style.SUCCESS(f"{path} is complete: {_describe(manifest)}."))
                return
            result = backup.restore(path)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {path} ({_describe(result.manifest)}): {result.tables} tables and {result.rows} rows "
                f"match the manifest's counts and checksums; {result.files} documents in place."
            )
        )
        if result.unapplied:
            self.stdout.write(
                f"The archive comes from an earlier Accord: {len(result.unapplied)} migrations of this one are "
                "not applied yet. Run `manage.py migrate` before starting Accord."
            )


def _describe(manifest):
    accord = manifest.get("accord") or {}
    made = f"Accord {accord.get('version') or '?'}"
    if accord.get("commit"):
        made += f" at {accord['commit'][:12]}"
    vendor = backup.VENDOR_NAMES.get(manifest["database"]["vendor"], manifest["database"]["vendor"])
    return f"made {manifest.get('created_at', '?')} by {made} on {vendor}"

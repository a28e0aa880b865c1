"""``manage.py refresh_derived [--check]``: work out every derived table again (``core.derived``).

Accord keeps them in step with every write it makes; this is for data written around Accord (a
restore from an older backup, SQL typed by hand). It prints, for each table, how many rows had
drifted; with ``--check`` it changes nothing and exits with status 1 when any has.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core import registry


class Command(BaseCommand):
    help = "Work out every derived table again from its records and print how many rows had drifted."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Change nothing; exit 1 when a row has drifted.")

    def handle(self, *args, check=False, **options):
        total = 0
        with transaction.atomic():
            for table in registry.derived_tables():
                drifted = table.rebuild()
                total += drifted
                self.stdout.write(f"{table.name}: {drifted} row{'s' if drifted != 1 else ''} had drifted.")
            if check:
                transaction.set_rollback(True)
        if check and total:
            raise CommandError(
                "A derived table has drifted from its records: run manage.py refresh_derived.", returncode=1
            )

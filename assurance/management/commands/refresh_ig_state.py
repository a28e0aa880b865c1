"""``manage.py refresh_ig_state``: work out the derived IG state of every partnership again.

Accord keeps the table in step with every write it makes (``assurance.ig_state``); this is for
data written around Accord (a restore from an older backup, SQL typed by hand). It prints how many
rows had drifted, and with ``--check`` changes nothing and exits with status 1 when any has.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from assurance import ig_state


class Command(BaseCommand):
    help = "Work out every partnership's IG state again from its records and print how many rows had drifted."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Change nothing; exit 1 when a row has drifted.")

    def handle(self, *args, check=False, **options):
        with transaction.atomic():
            drifted = ig_state.rebuild()
            if check:
                transaction.set_rollback(True)
        self.stdout.write(f"{drifted} row{'s' if drifted != 1 else ''} of the IG state had drifted.")
        if check and drifted:
            raise CommandError(
                "The IG state has drifted from the records: run manage.py refresh_ig_state.", returncode=1
            )

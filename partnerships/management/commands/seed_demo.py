"""``manage.py seed_demo``: the demo register from the board papers, and the demo logins.

Adds whatever of the demo data is missing (see ``partnerships.demo``, then the agreements of
``agreements.demo``) and leaves existing records as they are, so running it again changes
nothing. Prints the demo logins every time.
"""

from django.core.management.base import BaseCommand

from agreements import demo as agreements_demo
from partnerships import demo
from partnerships.models import Partnership


class Command(BaseCommand):
    help = "Create the demo register from the seed board papers (idempotent) and print the demo logins."

    def handle(self, *args, **options):
        before = Partnership.objects.count()
        logins = demo.seed()
        agreements_added = agreements_demo.seed()
        added = Partnership.objects.count() - before
        if added or agreements_added:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo register ready: {added} partnerships and {agreements_added} agreements added."
                )
            )
        else:
            self.stdout.write("Demo register already in place: nothing to add.")
        self.stdout.write("")
        self.stdout.write("Demo logins")
        rows = [("Username", "Role", "Password", "Name and title")]
        rows += [(lg.username, lg.role, lg.password, f"{lg.name}, {lg.job_title}") for lg in logins]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        for n, row in enumerate(rows):
            self.stdout.write(
                "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False)) + "  " + row[3]
            )
            if n == 0:
                self.stdout.write("  ".join("-" * w for w in widths) + "  " + "-" * len(row[3]))

"""``manage.py seed_demo``: the demo register from the board papers, and the demo logins.

Runs every app's demo step (``core.registry.demo_step``: the register of ``partnerships.demo``,
then the agreements, risk profiles and IG records of the apps built on it), each of which adds
whatever of its demo data is missing and leaves existing records as they are, so running it
again changes nothing. Prints the demo logins every time.
"""

from collections import Counter

from django.core.management.base import BaseCommand

from core import registry
from core.demo import described


class Command(BaseCommand):
    help = "Create the demo register from the seed board papers (idempotent) and print the demo logins."

    def handle(self, *args, **options):
        totals, logins = Counter(), []
        for step in registry.demo_steps():
            seeded = step.seed()
            totals.update(seeded.added)
            logins += seeded.logins
        added = described(totals)
        if added:
            self.stdout.write(self.style.SUCCESS(f"Demo register ready: {_and(added)} added."))
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


def _and(parts):
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"

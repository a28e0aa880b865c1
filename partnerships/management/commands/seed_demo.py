"""``manage.py seed_demo``: the demo register from the board papers, and the demo logins.

Adds whatever of the demo data is missing (see ``partnerships.demo``, then the agreements of
``agreements.demo``, the risk profiles of ``risks.demo`` and the DSPT statuses and IG items of
``assurance.demo``) and leaves existing records as they are, so running it again changes
nothing. Prints the demo logins every time.
"""

from django.core.management.base import BaseCommand

from agreements import demo as agreements_demo
from assurance import demo as assurance_demo
from partnerships import demo
from partnerships.models import Partnership
from risks import demo as risks_demo


class Command(BaseCommand):
    help = "Create the demo register from the seed board papers (idempotent) and print the demo logins."

    def handle(self, *args, **options):
        before = Partnership.objects.count()
        logins = demo.seed()
        agreements_added = agreements_demo.seed()
        risks = risks_demo.seed()
        ig = assurance_demo.seed()
        added = Partnership.objects.count() - before
        if added or agreements_added or risks or ig:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo register ready: {added} partnerships and {agreements_added} agreements added; "
                    f"{_count(risks.risks, 'risk')}, {_count(risks.assessments, '“no significant risk” record')}, "
                    f"{_count(ig.items, 'IG item')} and {_count(ig.dspt, 'DSPT status', 'DSPT statuses')} added."
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


def _count(n, singular, plural=None):
    return f"{n} {singular if n == 1 else plural or singular + 's'}"

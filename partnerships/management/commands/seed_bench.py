"""``manage.py seed_bench --partnerships N``: a large synthetic register for benchmarks.

See ``partnerships.synthetic`` for the distributions; every app built on the register adds its
own synthetic records through its bench step (``core.registry.bench_step``: ``risks.synthetic``
for the risk profiles and its ``--risks`` option, ``assurance.synthetic`` for the DSPT statuses and
IG items, ``governance.synthetic`` for the governance bodies, their meetings and decisions and the
register of interests, and its ``--governance-bodies`` and ``--interests`` options). Every record
is audited in bulk (source "bench"), but for the rows under governance's meetings and decisions
(items, attendance, eligibility, ballots, bindings: see ``governance.synthetic``). It refuses to touch a database that
already holds partnerships unless ``--force`` is given; with ``--force`` it *adds* N more
partnerships (references continuing after the highest P- number), reusing the synthetic
organisations and users already there. It never deletes.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from core import registry
from partnerships.synthetic import ADMIN, BENCH_PASSWORD, COORDINATOR, RegisterNotEmpty, seed_bench


class Command(BaseCommand):
    help = "Seed a synthetic register of N partnerships for benchmarks (refuses a non-empty register without --force)."

    def add_arguments(self, parser):
        parser.add_argument("--partnerships", type=int, default=50_000, help="How many partnerships (default 50,000).")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Add the partnerships even though the register already holds some (nothing is deleted).",
        )
        parser.add_argument("--seed", type=int, default=2019, help="Random seed (the same seed gives the same data).")
        for step in registry.bench_steps():
            for flags, keywords in step.arguments:
                parser.add_argument(*flags, **keywords)

    def handle(self, *args, partnerships, force, seed, **options):
        if partnerships < 1:
            raise CommandError("Give a number of partnerships of 1 or more.")
        started = time.perf_counter()
        stdout = self.stdout if options["verbosity"] > 1 else None
        steps = {_dest(flags) for step in registry.bench_steps() for flags, _ in step.arguments}
        step_options = {name: options[name] for name in steps}
        try:
            made, summaries = seed_bench(partnerships, force=force, seed=seed, stdout=stdout, **step_options)
        except RegisterNotEmpty as error:
            raise CommandError(
                f"This database already holds {error.existing:,} partnerships. seed_bench is for an empty, "
                "throw-away benchmark database; run it with --force to add synthetic partnerships anyway."
            ) from error
        seeded = ", ".join([f"{made:,} synthetic partnerships", *summaries])
        self.stdout.write(self.style.SUCCESS(f"Seeded {seeded} in {time.perf_counter() - started:.1f} s."))
        self.stdout.write(f"Logins: {COORDINATOR} (coordinator) and {ADMIN} (superuser), password {BENCH_PASSWORD}")


def _dest(flags):
    """The option's name as argparse stores it: "--risks" -> "risks"."""
    return flags[0].lstrip("-").replace("-", "_")

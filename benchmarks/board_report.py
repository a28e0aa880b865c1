"""Benchmark the board report at 500, 1,000 and 5,000 partnerships: the time and memory of the
snapshot, the Word document and the PDF, which must grow linearly with the register.

    .venv/bin/python -m benchmarks.board_report [--sizes 500,1000,5000] [--database sqlite|url]

Each size has a database of its own, seeded once with ``manage.py seed_bench`` (risks, IG,
governance, incidents and assurance data included) and kept for the next run:
``var/bench-report-<size>.sqlite3``, or with ``BENCH_DATABASE_URL`` set to PostgreSQL
(``postgres://…/accord_bench``) the databases ``accord_bench_report_<size>``, created when
missing. Each size is measured in a process of its own, so that its peak memory is its own:
wall time is the median of ``--runs`` runs; memory is the peak Python allocation
(``tracemalloc``) of one more run of each step, measured apart from the timed runs.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STEPS = ("snapshot", "word", "pdf")


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="500,1000,5000", help="partnerships, comma-separated")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database", choices=("sqlite", "url"), default=None)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # measure one size (the child process)
    return parser.parse_args(argv)


def database_url(size, target):
    base = os.environ.get("BENCH_DATABASE_URL", "")
    if target == "url" and base.startswith("postgres"):
        server, _, name = base.rpartition("/")
        return f"{server}/{name}_report_{size}", f"{server}/postgres", f"{name}_report_{size}"
    return f"sqlite:///{ROOT / 'var' / f'bench-report-{size}.sqlite3'}", None, None


def ensure_postgres_database(admin_url, name):
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def main(argv=None):
    args = parse_args(argv)
    if args.one:
        print(json.dumps(measure(args.one, args.runs)), flush=True)
        return
    target = args.database or ("url" if os.environ.get("BENCH_DATABASE_URL", "").startswith("postgres") else "sqlite")
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        url, admin_url, name = database_url(size, target)
        if admin_url:
            ensure_postgres_database(admin_url, name)
        (ROOT / "var").mkdir(exist_ok=True)
        env = {**os.environ, "BENCH_DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "benchmarks.settings"}
        command = [sys.executable, "-m", "benchmarks.board_report", "--one", str(size), "--runs", str(args.runs)]
        done = subprocess.run(command, check=True, cwd=ROOT, env=env, capture_output=True, text=True)  # noqa: S603
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(f"{size:,} partnerships measured on {rows[-1]['database']}.", flush=True)
    print(table(rows))


def measure(size, runs):
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from partnerships.models import Partnership

    call_command("migrate", verbosity=0, interactive=False)
    if not Partnership.objects.exists():
        call_command("seed_bench", partnerships=size, verbosity=0)
    return {"database": connection.vendor, "partnerships": Partnership.objects.count(), **steps(runs)}


def steps(runs):
    """Median ms and peak MB of each step, and the files' sizes."""
    from accounts.models import User
    from board_reports import compose, services
    from board_reports.models import BoardReport
    from core import papers
    from core.dates import local_today
    from partnerships.synthetic import COORDINATOR

    report = BoardReport(
        title="Trust partnerships update report",
        meeting="Board of Directors",
        meeting_date=local_today(),
        lead_executive="Lead",
        author="Author",
        recommendation="Note.",
        executive_summary="Summary.",
        created_by=User.objects.get(username=COORDINATOR),
    )
    report.save()
    try:
        made = {}
        actions = {
            "snapshot": lambda: made.__setitem__("data", compose.snapshot(report, local_today())),
            "word": lambda: made.__setitem__("docx", papers.word(compose.paper(made["data"], True))),
            "pdf": lambda: made.__setitem__(
                "pdf", papers.pdf(services.PDF_TEMPLATE, compose.paper(made["data"], True))
            ),
        }
        figures = {}
        for step in STEPS:
            spent = []
            for _ in range(runs):
                started = time.perf_counter()
                actions[step]()
                spent.append((time.perf_counter() - started) * 1000)
            tracemalloc.start()
            actions[step]()
            figures[f"{step}_ms"] = statistics.median(spent)
            figures[f"{step}_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
        figures["snapshot_kb"] = len(json.dumps(made["data"])) / 1024
        figures["docx_kb"], figures["pdf_kb"] = len(made["docx"]) / 1024, len(made["pdf"]) / 1024
        return figures
    finally:
        report.delete()


def table(rows):
    header = (
        "Partnerships",
        "Snapshot ms",
        "Word ms",
        "PDF ms",
        "Snapshot MB",
        "Word MB",
        "PDF MB",
        "Word KB",
        "PDF KB",
        "PDF ms / 1,000",
    )
    lines = [" | ".join(header), " | ".join("---" for _ in header)]
    for r in rows:
        lines.append(
            " | ".join(
                [
                    f"{r['partnerships']:,}",
                    f"{r['snapshot_ms']:,.0f}",
                    f"{r['word_ms']:,.0f}",
                    f"{r['pdf_ms']:,.0f}",
                    f"{r['snapshot_mb']:.1f}",
                    f"{r['word_mb']:.1f}",
                    f"{r['pdf_mb']:.1f}",
                    f"{r['docx_kb']:,.0f}",
                    f"{r['pdf_kb']:,.0f}",
                    f"{r['pdf_ms'] / r['partnerships'] * 1000:,.0f}",
                ]
            )
        )
    return f"Board report on {rows[0]['database'] if rows else '?'}:\n" + "\n".join(lines)


if __name__ == "__main__":
    main()

"""A register import committed by the real worker (``manage.py db_worker``, a process of its own,
on the database queue) and killed with SIGKILL part-way through its writing transaction: the
database is exactly as it was, and the import then runs again to the end.

The test's database is committed (``transaction=True``) and handed to the worker: on PostgreSQL
by its URL, on SQLite (whose test database lives in memory) copied to a file with SQLite's backup
API. From then on every read and write goes through that URL, in processes of their own. The
worker is paused inside its transaction, with every row written and nothing committed, by the
test-only hook ``partnerships.importing.writing.PAUSE_ENV``: it touches a file and waits to be
killed.
"""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from core.roles import Role
from partnerships.importing import background
from partnerships.importing.writing import PAUSE_ENV

ROWS = [
    ["Reference", "Partnership name", "Type of arrangement", "Status", "Partners"],
    *[
        [f"P-9{n:03d}", f"Worker test partnership {n}", "Alliance", "Active", f"Worker partner {n % 7}"]
        for n in range(60)
    ],
]

COUNTS = """
import json
from core.models import AuditEntry
from partnerships.models import Partnership, PartnerRole, RegisterImport
from organisations.models import Organisation
run = RegisterImport.objects.get(pk={pk})
print(json.dumps({{
    "partnerships": Partnership.objects.count(),
    "partner_roles": PartnerRole.objects.count(),
    "organisations": Organisation.objects.count(),
    "audit_entries": AuditEntry.objects.count(),
    "state": run.state,
    "attempt": run.attempt,
    "summary": run.summary,
}}))
"""

RUN_AGAIN = """
from partnerships.importing import background
from partnerships.models import RegisterImport
assert background.run_again(RegisterImport.objects.get(pk={pk}))
"""


def database_url(tmp_path):
    """The committed test database, for other processes: PostgreSQL's by URL, SQLite's copied to a file."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
        return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    path = tmp_path / "worker.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(path) as copy:
        connection.connection.backup(copy)
    copy.close()
    return f"sqlite:///{path}"


def environment(url, **extra):
    keep = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", PAUSE_ENV}}
    return {
        **keep,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "accord.settings",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        **extra,
    }


def manage(url, *args, **run):
    return subprocess.run(  # noqa: S603 - this interpreter, our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=Path(settings.BASE_DIR),
        env=environment(url),
        capture_output=True,
        text=True,
        timeout=300,
        **run,
    )


def shell(url, code):
    done = manage(url, "shell", "-c", code)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def counts(url, pk):
    return json.loads(shell(url, COUNTS.format(pk=pk)).strip().splitlines()[-1])


def worker(url, tmp_path, **extra):
    log = open(tmp_path / "worker.log", "ab")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--interval", "0.1", "--no-startup-delay"],
        cwd=Path(settings.BASE_DIR),
        env=environment(url, **extra),
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def wait_for(predicate, process, seconds=180):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        assert process.poll() is None, "the worker stopped by itself"
        time.sleep(0.1)
    raise AssertionError("timed out waiting for the worker")


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_commit_writes_nothing_and_the_import_runs_again(settings, make_user, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    coordinator = make_user(Role.COORDINATOR, username="import.worker.coordinator", first_name="Wendy")
    record = background.queue(ROWS, 0, background_mapping(), user=coordinator, name="register.csv")
    url = database_url(tmp_path)
    before = counts(url, record.pk)
    assert before["state"] == "queued"

    paused = tmp_path / "paused"
    killed = worker(url, tmp_path, **{PAUSE_ENV: str(paused)})
    try:
        wait_for(paused.exists, killed)  # every row written, inside the uncommitted transaction
    finally:
        killed.send_signal(signal.SIGKILL)
        killed.wait(timeout=60)
    assert killed.returncode == -signal.SIGKILL

    after_kill = counts(url, record.pk)
    assert {k: after_kill[k] for k in ("partnerships", "partner_roles", "organisations", "audit_entries")} == {
        k: before[k] for k in ("partnerships", "partner_roles", "organisations", "audit_entries")
    }
    assert after_kill["state"] == "running" and after_kill["attempt"] == 1  # interrupted: nothing written

    shell(url, RUN_AGAIN.format(pk=record.pk))
    again = worker(url, tmp_path)
    try:
        wait_for(lambda: counts(url, record.pk)["state"] == "done", again)
    finally:
        again.send_signal(signal.SIGKILL)
        again.wait(timeout=60)
    done = counts(url, record.pk)
    assert done["partnerships"] == before["partnerships"] + 60
    assert done["partner_roles"] == before["partner_roles"] + 60
    assert done["organisations"] == before["organisations"] + 7
    assert done["summary"]["created"] == 60 and done["attempt"] == 2
    # Every partnership, organisation and partner link written is audited (and the totals kept).
    assert done["audit_entries"] >= before["audit_entries"] + 60 + 7 + 60


def background_mapping():
    return ["reference", "title", "arrangement_type", "status", "partners"]

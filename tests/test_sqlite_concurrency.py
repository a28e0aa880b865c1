"""SQLite, Accord's embedded default, holds a small team writing at the same moment.

Six simultaneous uploads used to answer 500 ("database is locked") for four of them: each
request's transaction read first and then tried to write, and SQLite cannot let two such
transactions both go on. With WAL, a busy timeout and transactions that take the write lock when
they begin (``accord/settings.py``), they queue instead. The test uses a real file database in a
process of its own (the test suite's own SQLite database is in memory, and under CI may be
PostgreSQL), with the settings Accord ships.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings


def test_six_simultaneous_uploads_on_a_sqlite_file_all_succeed(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}},
        "DATABASE_URL": f"sqlite:///{tmp_path / 'accord.sqlite3'}",
        "DOCUMENT_STORAGE_DIR": str(tmp_path / "documents"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "tests.concurrent_uploads"],
        cwd=Path(settings.BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "database is locked" not in result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["journal_mode"] == "wal"
    assert outcome["answers"] == [302] * 6, outcome["answers"]
    assert outcome["versions"] == [1, 2, 3, 4, 5, 6], "each upload a version of its own"

"""Settings for the benchmark: Accord's own, plus the Django admin as a baseline to compare with.

The database is ``BENCH_DATABASE_URL``, else ``DATABASE_URL``, else ``var/bench.sqlite3``: never
Accord's working database by default. The admin is mounted here only; Accord itself does not
use ``django.contrib.admin``.
"""

import os

from accord.settings import *  # noqa: F403
from accord.settings import BASE_DIR, INSTALLED_APPS, database

BENCH_SQLITE_PATH = BASE_DIR / "var" / "bench.sqlite3"
BENCH_DATABASE_URL = (
    os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL") or f"sqlite:///{BENCH_SQLITE_PATH}"
)

DEBUG = False
INSTALLED_APPS = [*INSTALLED_APPS, "django.contrib.admin"]
ROOT_URLCONF = "benchmarks.urls"
DATABASES = {"default": database(BENCH_DATABASE_URL)}

# The reminders group's workers log each e-mail's key to a file (benchmarks/mail.py).
if os.environ.get("BENCH_MAIL_LOG"):
    EMAIL_BACKEND = "benchmarks.mail.KeyLogBackend"

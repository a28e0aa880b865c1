"""Accord's settings with the scratch app installed: the one line a new app adds outside itself."""

from accord.settings import *  # noqa: F403 - the real settings, unchanged
from accord.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.scratch_app"]

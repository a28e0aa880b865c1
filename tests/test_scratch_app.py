"""Adding an app edits no file outside it: the scratch app (``tests/scratch_app/``), made by
following the "adding an app" checklist of ``docs/architecture.md``, plugs itself in.

Accord runs here with it installed (its own settings module: the one line a new app adds to
``INSTALLED_APPS``), in a separate pytest process: its own checks show it in the rights, the menu,
the partnership page and the "needs attention" list, and the cross-cutting checks (permission
matrix, exports, audit coverage, bad input, query counts) find its rows and pass with it.
"""

import subprocess
import sys

from tests.world import PROJECT_DIR

CHECKS = [
    "tests/scratch_app/check_plugged_in.py",
    "tests/test_permission_matrix.py",
    "tests/test_audit.py",
    "tests/test_forms.py",
    "tests/test_query_counts.py",
]
# The scratch app's own rows, and every completeness check ("every URL / model / form page has a row").
SELECTED = "scratch or visit or Visit or every or complete or plugged"


def test_the_scratch_app_plugs_itself_in_and_passes_the_cross_cutting_checks():
    result = subprocess.run(  # noqa: S603 - this interpreter, this repository's tests
        [sys.executable, "-m", "pytest", "-q", "--ds=tests.scratch_app.settings", "-k", SELECTED, *CHECKS],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr[-2000:]
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    passed = int(summary.split(" passed")[0].split()[-1])
    assert passed >= 30, summary

"""The whole import in one call, for ``manage.py import_register`` and the benchmark."""

from pathlib import Path

from partnerships.importing.columns import detect_header, suggest_mapping
from partnerships.importing.errors import ImportRefused
from partnerships.importing.planner import build_plan
from partnerships.importing.reading import load_rows
from partnerships.importing.writing import commit_plan


def prepare(path, sheet=None, user=None, strict=False):
    """Read and plan the file at ``path``, writing nothing: (rows, header index, plan).

    Raises :class:`ImportFileError` when the file cannot be read and :class:`ImportRefused`
    (with every problem) when any row has a problem, or, with ``strict``, when any column would
    not be imported.
    """
    path = Path(path)
    rows = load_rows(path, path.name, sheet=sheet)
    header_index = detect_header(rows)
    plan = build_plan(rows, header_index, suggest_mapping(rows[header_index]), user=user)
    if plan.problems:
        raise ImportRefused(plan.problems)
    if strict and plan.not_imported:
        raise ImportRefused(
            [],
            f"Not imported: {', '.join(plan.not_imported)}. With --strict a file is imported only when every "
            "column is: nothing was imported. Rename or remove these columns, or import without --strict.",
        )
    return rows, header_index, plan


def import_register(path, sheet=None, dry_run=False, user=None, strict=False):
    """Read, plan and (unless ``dry_run``) commit the file at ``path`` here and now; returns the plan.

    Raises as :func:`prepare` does; nothing is written in any of these cases. (The command and the
    page queue the commit for the background worker instead: ``importing.background``.)
    """
    _, _, plan = prepare(path, sheet=sheet, user=user, strict=strict)
    if not dry_run:
        commit_plan(plan, user=user)
    return plan

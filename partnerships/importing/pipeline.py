"""The whole import in one call, for ``manage.py import_register`` and the benchmark."""

from pathlib import Path

from partnerships.importing.columns import detect_header, suggest_mapping
from partnerships.importing.errors import ImportRefused
from partnerships.importing.planner import build_plan
from partnerships.importing.reading import load_rows
from partnerships.importing.writing import commit_plan


def import_register(path, sheet=None, dry_run=False, user=None, strict=False):
    """Read, plan and (unless ``dry_run``) commit the file at ``path``; returns the plan.

    Raises :class:`ImportFileError` when the file cannot be read and :class:`ImportRefused`
    (with every problem) when any row has a problem, or, with ``strict``, when any column would
    not be imported; nothing is written in any of these cases.
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
    if not dry_run:
        commit_plan(plan, user=user)
    return plan

"""The whole import in one call, for ``manage.py import_register`` and the benchmark."""

from pathlib import Path

from partnerships.importing.columns import detect_header, suggest_mapping
from partnerships.importing.errors import ImportRefused
from partnerships.importing.planner import build_plan
from partnerships.importing.reading import load_rows
from partnerships.importing.writing import commit_plan


def import_register(path, sheet=None, dry_run=False, user=None):
    """Read, plan and (unless ``dry_run``) commit the file at ``path``; returns the plan.

    Raises :class:`ImportFileError` when the file cannot be read and :class:`ImportRefused`
    (with every problem) when any row has a problem; nothing is written in either case.
    """
    path = Path(path)
    rows = load_rows(path, path.name, sheet=sheet)
    header_index = detect_header(rows)
    plan = build_plan(rows, header_index, suggest_mapping(rows[header_index]), user=user)
    if plan.problems:
        raise ImportRefused(plan.problems)
    if not dry_run:
        commit_plan(plan, user=user)
    return plan

"""The register import: read a trust's spreadsheet, plan every row, then write all rows or none.

Used by the import page, ``manage.py import_register`` and the benchmark::

    rows = load_rows(path, "register.xlsx")              # every row of the sheet, as cell values
    header_index = detect_header(rows)                   # the header row, even under title rows
    mapping = suggest_mapping(rows[header_index])        # column -> register field (or None)
    plan = build_plan(rows, header_index, mapping)       # create / update / unchanged + problems
    commit_plan(plan, user=request.user)                 # all or nothing; refuses any problem

or ``import_register(path)`` for all of it. The modules, in the order a file goes through them:

- ``reading``: the file's rows (``.xlsx`` or ``.csv``), or an :class:`ImportFileError`; a
  spreadsheet bomb is refused before it is parsed (``settings.IMPORT_MAX_*``);
- ``staging``: the rows of an upload kept once for the page's previews and commit;
- ``columns``: the header row and which register field each column holds;
- ``totals``: the "Total" row at the foot of a register, recognised and skipped;
- ``nhs_numbers``: a cell holding an NHS number refuses the file, naming only row and column;
- ``register``: what is on the register already, read in a fixed number of queries;
- ``cells``: the register value one cell means (people, lists, partners, money, dates…);
- ``service_areas``: directorates matched to Accord's list (case, spacing, obvious
  abbreviations) or proposed as new ones;
- ``planner`` and ``plan``: each row matched and compared, every problem listed, nothing written;
  the columns not imported and the leads to confirm named;
- ``writing``: the plan written in one transaction, audited as an "import";
- ``errors`` and ``fields``: the importer's errors and problems; the fields it can fill.
"""

from partnerships.importing.columns import detect_header, header_text, suggest_mapping
from partnerships.importing.errors import (
    ImportFileError,
    ImportRefused,
    Problem,
    RegisterImportError,
    SheetError,
    SheetNotFound,
)
from partnerships.importing.nhs_numbers import has_nhs_number_problem, nhs_number_problems
from partnerships.importing.pipeline import import_register, prepare
from partnerships.importing.plan import ImportPlan
from partnerships.importing.planner import build_plan
from partnerships.importing.reading import load_rows
from partnerships.importing.writing import commit_plan

__all__ = [
    "ImportFileError",
    "ImportPlan",
    "ImportRefused",
    "Problem",
    "RegisterImportError",
    "SheetError",
    "SheetNotFound",
    "build_plan",
    "commit_plan",
    "detect_header",
    "has_nhs_number_problem",
    "header_text",
    "import_register",
    "load_rows",
    "nhs_number_problems",
    "prepare",
    "suggest_mapping",
]

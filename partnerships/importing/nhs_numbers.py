"""Patient identifiers: a cell holding a valid NHS number refuses the file.

The number is never stored, logged or repeated: a problem names only the row and the column.
The upload page screens every cell before the file is even kept; the planner screens again, so
a row holding a number is never shown or written.
"""

import datetime

from core.nhs_number import contains_nhs_number
from partnerships.importing.columns import column_name, detect_header
from partnerships.importing.errors import Problem
from partnerships.parsing import text_of

NHS_NUMBER_PROBLEM = (
    "This cell looks like it contains an NHS number. Accord must not hold patient information: "
    "remove the number from the spreadsheet and upload it again. Nothing from this row can be imported."
)


def _holds_nhs_number(value):
    return contains_nhs_number(value if isinstance(value, str) else text_of(value))


def tainted_columns(row):
    """The indexes of a data row's cells holding an NHS number (dates and yes/no cannot)."""
    return {
        index
        for index, value in enumerate(row)
        if value is not None
        and not isinstance(value, (datetime.date, datetime.time, bool))
        and _holds_nhs_number(value)
    }


def nhs_number_cells(rows, headers, first=1):
    """A problem for every text or number cell of ``rows`` (numbered from ``first``) holding an NHS number."""
    problems = []
    for index, row in enumerate(rows):
        for column, value in enumerate(row):
            readable = isinstance(value, (str, int, float)) and not isinstance(value, bool)
            if readable and _holds_nhs_number(value):
                problems.append(Problem(index + first, column_name(headers, column), NHS_NUMBER_PROBLEM))
    return problems


def nhs_number_problems(rows):
    """Every cell of the file holding an NHS number, as problems naming row and column only."""
    return nhs_number_cells(rows, rows[detect_header(rows)] if rows else [])


def has_nhs_number_problem(problems):
    return any(p.message == NHS_NUMBER_PROBLEM for p in problems)

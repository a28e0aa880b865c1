"""Totals rows: the "Total" line at the foot of a register is not a partnership.

A row is a totals row when one of its first cells says "Total", "Totals", "Grand total" or
"Subtotal" (any case, with or without a colon), when its first words are "Total …" and the rest
of it is amounts ("Total annual value", "£107m"), or, as the last row of the table, when it holds
nothing but amounts (the sums under the value column). A partnership whose name begins with
"Total" ("Total Wellbeing Oxfordshire") has other text in its row (partners, status, type), so it
is read as a partnership; every row skipped as a total is named on the preview and by the command.
"""

from partnerships import parsing
from partnerships.parsing import CellError, key_of

TOTAL_WORDS = {"total", "totals", "grand total", "sub total", "subtotal", "overall total", "total value"}
FIRST_CELLS = 3  # where a "Total" label is looked for


def _is_amount(value):
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return True
    if not isinstance(value, str):
        return False
    try:
        return parsing.parse_money(value).amount is not None
    except CellError:
        return False


def is_totals_row(row, last=False):
    """Is this row of the table a total rather than a partnership (see the module's rules)?

    Cheap for the rows that are partnerships: amounts are only looked at in a row that starts
    with "Total …", or in the last row.
    """
    filled = [cell for cell in row if not parsing.is_blank(cell)]
    firsts = [key_of(parsing.text_of(cell)) for cell in filled[:FIRST_CELLS]]
    if any(key in TOTAL_WORDS for key in firsts):
        return True
    if firsts and firsts[0].startswith(("total ", "grand total ", "totals ")):
        return all(_is_amount(cell) for cell in filled[1:])
    return last and all(_is_amount(cell) for cell in filled)

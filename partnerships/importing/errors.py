"""What goes wrong in an import: the importer's own errors and the problems a plan lists.

Every message is written for a coordinator: it says what is wrong and what to do, and never
repeats an NHS number.
"""

from dataclasses import dataclass


class RegisterImportError(Exception):
    """The importer's own error: ``message`` says what is wrong in words a coordinator understands."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class ImportFileError(RegisterImportError):
    """The file cannot be read at all (wrong type, damaged, empty, no such worksheet)."""


class SheetError(ImportFileError):
    """The worksheet asked for cannot be used: its name is refused, or the workbook has no such sheet."""


class SheetNotFound(SheetError):
    """The workbook has no worksheet of the name asked for."""


class ImportRefused(RegisterImportError):
    """The plan has problems, so nothing was written. ``problems`` lists every one of them."""

    def __init__(self, problems, message=None):
        self.problems = list(problems)
        count = len(self.problems)
        super().__init__(
            message
            or f"{count} problem{'s' if count != 1 else ''} found: nothing was imported. Fix the file and try again."
        )


@dataclass(frozen=True)
class Problem:
    row: int | None  # the spreadsheet's own row number; None for the file as a whole
    column: str  # the column's header, or "" for the file or the row as a whole
    message: str

    def __str__(self):
        if self.row is None:
            return f"{self.column}: {self.message}" if self.column else self.message
        return f"Row {self.row}, {self.column}: {self.message}" if self.column else f"Row {self.row}: {self.message}"

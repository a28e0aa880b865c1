"""A streaming ``.xlsx`` writer for exports: one sheet, written row by row as XML into the zip.

openpyxl's write-only mode builds a cell object per value and serialises it through lxml, which
caps a 50,000-row export at several seconds. An export needs very little of the format: text,
numbers, dates and a handful of fixed styles (a bold header, pounds, dates, date-times), so the
sheet is written here as text. Every string is an inline string (``t="inlineStr"``): it can never
be a formula or an error value, whatever it starts with. The file opens in Excel, LibreOffice and
openpyxl (the tests read every export back with it).
"""

import datetime
import re
import zipfile
from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils import timezone
from openpyxl.utils import get_column_letter

# The cell styles (``s=`` indexes into cellXfs below) an export uses.
PLAIN, HEADER, MONEY, MONEY_WITH_PENCE, DATE, DATE_TIME = range(6)
NUMBER_FORMATS = {MONEY: "£#,##0", MONEY_WITH_PENCE: "£#,##0.00", DATE: "d mmm yyyy", DATE_TIME: "d mmm yyyy hh:mm"}
FIRST_CUSTOM_FORMAT = 164  # the ids below are Excel's built-in formats
EXCEL_EPOCH = datetime.datetime(1899, 12, 30)
FIRST_SAFE_DATE = datetime.date(1900, 3, 1)  # before it, Excel's serial numbers are off by a day
ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
ILLEGAL_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def serial(moment):
    """A date or naive date-time as Excel's day number (days since 30 Dec 1899)."""
    if not isinstance(moment, datetime.datetime):
        return (moment - EXCEL_EPOCH.date()).days
    delta = moment - EXCEL_EPOCH
    return delta.days + delta.seconds / 86400 + delta.microseconds / 86_400_000_000


class Sheet:
    """Writes one worksheet's rows into an open zip entry, a few hundred rows at a time."""

    FLUSH_EVERY = 500  # rows

    def __init__(self, entry, widths):
        self.entry = entry
        self.letters = [get_column_letter(n) for n in range(1, len(widths) + 1)]
        self.rows = 0
        self.pending = []
        self.zone = timezone.get_current_timezone()  # looked up once: Excel has no time zones
        cols = "".join(f'<col min="{n}" max="{n}" width="{w}" customWidth="1"/>' for n, w in enumerate(widths, start=1))
        self.pending.append(
            f'{HEAD}<worksheet xmlns="{MAIN}" xmlns:r="{RELS}"><sheetViews><sheetView workbookViewId="0">'
            '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
            '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
            f'<sheetFormatPr defaultRowHeight="15"/>{"<cols>" + cols + "</cols>" if cols else ""}<sheetData>'
        )

    def _flush(self):
        self.entry.write("".join(self.pending).encode("utf-8"))
        self.pending = []

    def row(self, values, style=PLAIN):
        self.rows += 1
        number = str(self.rows)
        cell = self.cell
        self.pending.append(f'<row r="{number}">')
        self.pending += [
            cell(letter + number, value, style)
            for letter, value in zip(self.letters, values, strict=False)
            if value is not None and value != ""
        ]
        self.pending.append("</row>")
        if self.rows % self.FLUSH_EVERY == 0:
            self._flush()

    def close(self):
        """Ends the sheet with the auto-filter over every row; returns its last column and row."""
        last = (self.letters[-1] if self.letters else "A"), max(self.rows, 1)
        self.pending.append(f'</sheetData><autoFilter ref="A1:{last[0]}{last[1]}"/></worksheet>')
        self._flush()
        return last

    def cell(self, ref, value, style=PLAIN):
        """One ``<c>`` element. Strings are inline; a whole amount in pounds is ``£1,234``."""
        kind = type(value)
        if kind is str:
            return _string(ref, value, style)
        if kind is bool:
            return _string(ref, "Yes" if value else "No", style)
        if kind is int or kind is float:
            return f'<c r="{ref}"{_s(style)}><v>{value!r}</v></c>'
        if kind is Decimal:
            if value == value.to_integral():
                return f'<c r="{ref}" s="{MONEY}"><v>{int(value)}</v></c>'
            return f'<c r="{ref}" s="{MONEY_WITH_PENCE}"><v>{float(value)!r}</v></c>'
        if isinstance(value, datetime.datetime) and value.date() >= FIRST_SAFE_DATE:
            if value.tzinfo is not None:
                value = value.astimezone(self.zone).replace(tzinfo=None)
            return f'<c r="{ref}" s="{DATE_TIME}"><v>{serial(value)!r}</v></c>'
        if kind is datetime.date and value >= FIRST_SAFE_DATE:
            return f'<c r="{ref}" s="{DATE}"><v>{serial(value)}</v></c>'
        return _string(ref, str(value), style)


def _s(style):
    return f' s="{style}"' if style else ""


def _string(ref, value, style):
    if ILLEGAL_XML.search(value):
        value = ILLEGAL_XML.sub("", value)
    if "&" in value or "<" in value or ">" in value:
        value = escape(value)
    return f'<c r="{ref}"{_s(style)} t="inlineStr"><is><t xml:space="preserve">{value}</t></is></c>'


def write(stream, headers, rows, widths, sheet_title):
    """Writes a workbook of one sheet: ``headers`` in bold, frozen above an auto-filter over
    ``rows``, columns ``widths`` characters wide."""
    title = ILLEGAL_SHEET_NAME.sub(" ", sheet_title)[:31].strip() or "Export"
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        with package.open("xl/worksheets/sheet1.xml", "w") as entry:
            sheet = Sheet(entry, widths)
            sheet.row(headers, HEADER)
            for row in rows:
                sheet.row(row)
            last_column, last_row = sheet.close()
        _write_package(package, title, f"'{title.replace(chr(39), chr(39) * 2)}'!$A$1:${last_column}${last_row}")


def _write_package(package, title, filter_range):
    """The parts around the sheet: content types, relationships, the workbook (naming the
    auto-filter's range as Excel does) and its styles."""
    package.writestr(
        "[Content_Types].xml",
        f'{HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>',
    )
    package.writestr(
        "_rels/.rels",
        f'{HEAD}<Relationships xmlns="{PACKAGE_RELS}"><Relationship Id="rId1" '
        f'Type="{RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    )
    package.writestr(
        "xl/_rels/workbook.xml.rels",
        f'{HEAD}<Relationships xmlns="{PACKAGE_RELS}">'
        f'<Relationship Id="rId1" Type="{RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{RELS}/styles" Target="styles.xml"/></Relationships>',
    )
    package.writestr(
        "xl/workbook.xml",
        f'{HEAD}<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><bookViews><workbookView activeTab="0"/></bookViews>'
        f'<sheets><sheet name="{escape(title, {chr(34): "&quot;"})}" sheetId="1" r:id="rId1"/></sheets>'
        f'<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'
        f"{escape(filter_range)}</definedName></definedNames></workbook>",
    )
    package.writestr("xl/styles.xml", STYLES)


def _styles():
    formats = "".join(
        f'<numFmt numFmtId="{FIRST_CUSTOM_FORMAT + n}" formatCode="{escape(code)}"/>'
        for n, code in enumerate(NUMBER_FORMATS.values())
    )
    custom = {style: FIRST_CUSTOM_FORMAT + n for n, style in enumerate(NUMBER_FORMATS)}
    xfs = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>']
    xfs.append('<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>')
    xfs += [
        f'<xf numFmtId="{custom[style]}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        for style in (MONEY, MONEY_WITH_PENCE, DATE, DATE_TIME)
    ]
    return (
        f'{HEAD}<styleSheet xmlns="{MAIN}"><numFmts count="{len(NUMBER_FORMATS)}">{formats}</numFmts>'
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
    )


STYLES = _styles()

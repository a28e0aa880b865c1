"""Word and PDF papers for every app, in the trust's house style (the board paper, REFERENCE.md §7).

A paper is described once (:class:`Paper`: a title, a summary of key facts, then sections of
paragraphs and tables) and written either way: as a PDF, an HTML template rendered by Django and
printed by WeasyPrint (each paper's template extends ``papers/base.html``: A4, NHS typography,
page numbers, a table's header repeated on every page it runs over), or as a Word document with
python-docx (:func:`word`), in the same order. Both are built in memory and sent by
:func:`download` as an attachment, like the spreadsheet exports.

WeasyPrint needs Pango (see ``scripts/setup``); it is imported when a PDF is made, not when Accord
starts. It is given no way to fetch anything: every style is in the template.
"""

import base64
import io
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils.text import slugify
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from core.exports import attachment

FONT = "Arial"  # Word's name for the NHS fallback of Frutiger (the PDF's stack is in papers/base.html)
NHS_BLUE = "005EB8"
NHS_TEXT = "212B32"


@dataclass(frozen=True)
class Table:
    headers: list
    rows: list  # lists of text, one a header
    widths: tuple = ()  # each column's share of the width, in per cent (the PDF's; Word sizes itself)
    empty: str = "None."  # what stands in for a table with no rows


@dataclass(frozen=True)
class Figure:
    """A chart as a PNG picture (``core.pictures``); its numbers are in the section's table."""

    png: bytes
    alt: str
    width_cm: float = 15

    @property
    def data_uri(self):
        return f"data:image/png;base64,{base64.b64encode(self.png).decode()}"


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: list = field(default_factory=list)
    table: Table | None = None
    summary: list = field(default_factory=list)  # (label, value) pairs
    bullets: list = field(default_factory=list)
    figure: Figure | None = None
    level: int = 2  # 2 for a section, 3 for a part of one


@dataclass(frozen=True)
class Lead:
    headline: str
    text: str = ""
    tone: str = ""  # "good" (green), "bad" (red) or "" (blue)


@dataclass(frozen=True)
class Paper:
    title: str
    caption: str  # above the title: what the paper is and whose
    summary: list  # (label, value) pairs: the cover sheet's key facts
    sections: list
    footer: str  # on every page, beside the page number
    filename: str  # without its extension
    lead: Lead | None = None  # what a reader must see first (a decision's result, "Draft")


def filename(*parts):
    """A download's name from its meaningful parts ("Doncaster JCCC", "2026-03-12", "minutes")."""
    return "-".join(slugify(str(p)) for p in parts if p)[:150]


def pdf(template_name, paper, **context):
    """The paper printed from its HTML template, as PDF bytes."""
    import weasyprint  # here, not above: loading Pango costs start-up time that no page needs

    html = render_to_string(template_name, {"paper": paper, **context})
    return weasyprint.HTML(string=html, url_fetcher=_fetch_nothing).write_pdf()


def _fetch_nothing(url, *args, **kwargs):
    """Only the paper's own pictures, written into it as data: addresses, are read."""
    if url.startswith("data:image/png;base64,"):
        from weasyprint.urls import URLFetcherResponse

        body = base64.b64decode(url.split(",", 1)[1])
        return URLFetcherResponse(url, body=body, headers={"Content-Type": "image/png"})
    raise ValueError(f"A paper fetches nothing ({url}).")


def word(paper):
    """The paper as a Word document (.docx bytes)."""
    document = Document()
    _house_style(document, paper.footer)
    caption = document.add_paragraph(paper.caption)
    caption.runs[0].font.color.rgb = _rgb("4C6272")
    document.add_heading(paper.title, level=1)
    if paper.lead:
        lead = document.add_paragraph()
        lead.add_run(paper.lead.headline).bold = True
        if paper.lead.text:
            lead.add_run(f": {paper.lead.text}")
    _summary(document, paper.summary)
    for section in paper.sections:
        _section(document, section)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def download(paper, fmt, template_name):
    """The paper as an attachment: ``fmt`` is "docx" or "pdf"."""
    body = word(paper) if fmt == "docx" else pdf(template_name, paper)
    return attachment(body, paper.filename, fmt)


def _section(document, section):
    document.add_heading(section.heading, level=section.level)
    for text in section.paragraphs:
        document.add_paragraph(text)
    for text in section.bullets:
        document.add_paragraph(text, style="List Bullet")
    if section.summary:
        _summary(document, section.summary)
    if section.figure is not None:
        picture = document.add_picture(io.BytesIO(section.figure.png), width=Cm(section.figure.width_cm))
        picture._inline.docPr.set("descr", section.figure.alt)  # the picture's alternative text
    if section.table is not None:
        _table(document, section.table)


def _rgb(hex_colour):
    return RGBColor.from_string(hex_colour)


def _house_style(document, footer):
    """Arial 11 pt in the NHS's text colour, headings in NHS blue, A4 with 2 cm margins, and a
    footer with the paper's name and "Page n of m" on every page."""
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size, normal.font.color.rgb = FONT, Pt(11), _rgb(NHS_TEXT)
    for name, size in (("Heading 1", 20), ("Heading 2", 14), ("Heading 3", 12)):
        style = document.styles[name]
        style.font.name, style.font.size, style.font.color.rgb = FONT, Pt(size), _rgb(NHS_BLUE)
    for section in document.sections:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Cm(2)
        paragraph = section.footer.paragraphs[0]
        paragraph.add_run(f"{footer}    Page ")
        _field(paragraph, "PAGE")
        paragraph.add_run(" of ")
        _field(paragraph, "NUMPAGES")
        for run in paragraph.runs:
            run.font.size = Pt(9)


def _field(paragraph, code):
    """A Word field (the page number, the number of pages), worked out when the document opens."""
    element = OxmlElement("w:fldSimple")
    element.set(qn("w:instr"), code)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    element.append(run)
    paragraph._p.append(element)


def _summary(document, pairs):
    if not pairs:
        return
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in pairs:
        cells = table.add_row().cells
        cells[0].paragraphs[0].add_run(label).bold = True
        cells[1].text = str(value)


def _table(document, spec):
    if not spec.rows:
        document.add_paragraph(spec.empty)
        return
    table = document.add_table(rows=1, cols=len(spec.headers))
    table.style = "Table Grid"
    header = table.rows[0]
    _repeat_as_header(header)
    for cell, text in zip(header.cells, spec.headers, strict=True):
        cell.paragraphs[0].add_run(text).bold = True
    for row in spec.rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = str(text)


def _repeat_as_header(row):
    """The row is repeated at the top of every page the table runs over."""
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:tblHeader"))

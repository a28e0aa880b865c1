"""Reading a page's text as a person reads it in a desktop browser.

Cells of responsive tables repeat their column's name for phones (``nhsuk-table__heading``,
hidden on a desktop and from screen readers); text assertions leave those names out, and read a
long word with break opportunities (``<wbr>``) as the one word it is.
"""

import html
import re

CELL_HEADING = re.compile(r'<span class="nhsuk-table__heading"[^>]*>.*?</span>', re.S)


def without_cell_headings(markup):
    return CELL_HEADING.sub("", markup)


def readable_text(markup):
    """The words of ``markup``: no tags, no column names repeated in cells, single spaces."""
    markup = without_cell_headings(markup).replace("<wbr>", "")
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())

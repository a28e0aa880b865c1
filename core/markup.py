"""Small pieces of NHS.UK markup written in Python, for the cells of long lists.

A list of 50 rows × 10 columns rendered through an included template per cell spends most of its
time in the template engine. A column may instead give its cell as a function of the row
(``Column(html=…)``) built from these helpers, each escaping what it is given.
"""

import html
import re

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

LONG_WORD = re.compile(r"[^\s<>&]{20,}")  # no break opportunity for 20 characters or more
TAG_OR_ENTITY = re.compile(r"(<[^>]*>|&[#\w]+;)")
CHUNK = 12


def escaped(value):
    """What ``conditional_escape`` gives (markup as it is, anything else escaped), as a plain
    ``str`` and without its check for lazy strings: the register page calls it thousands of times."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def breakable(markup):
    """``markup`` with a break opportunity (``<wbr>``) every few characters of each very long word."""
    parts = TAG_OR_ENTITY.split(str(markup))
    for i in range(0, len(parts), 2):  # the text between tags and entities
        parts[i] = LONG_WORD.sub(lambda m: "<wbr>".join(re.findall(f".{{1,{CHUNK}}}", m.group())), parts[i])
    return mark_safe("".join(parts))  # noqa: S308 - only <wbr> added to markup already escaped


def tag(text, modifier=""):
    """An NHS.UK tag (``modifier`` such as ``"nhsuk-tag--green"``)."""
    return format_html('<strong class="nhsuk-tag{}">{}</strong>', f" {modifier}" if modifier else "", text)


def link(url, text, hidden=""):
    """A link, with words for screen readers only after its text when ``hidden`` is given."""
    if hidden:
        return format_html(
            '<a class="nhsuk-link" href="{}">{}<span class="nhsuk-u-visually-hidden"> {}</span></a>', url, text, hidden
        )
    return format_html('<a class="nhsuk-link" href="{}">{}</a>', url, text)


def numeric(text):
    return format_html('<span class="accord-numeric">{}</span>', text)


def secondary(text):
    return format_html('<span class="nhsuk-u-secondary-text-colour">{}</span>', text)


def small(text):
    return format_html('<span class="nhsuk-u-font-size-16">{}</span>', text)


def joined(parts, separator=" "):
    """Pieces of markup (each safe or escaped here) joined by ``separator``."""
    return format_html_join(separator, "{}", ((part,) for part in parts if part))


def cell(label, inner, css_class=""):
    """A responsive table cell (see ``core.templatetags.tables``) around ``inner``: markup (a safe
    string) or text, which is escaped. Written without ``format_html``: a page has hundreds."""
    css = f" {escaped(css_class)}" if css_class else ""
    return mark_safe(  # noqa: S308 - the label and the inner text are escaped here
        f'<td class="nhsuk-table__cell{css}" role="cell"><span class="nhsuk-table__heading" aria-hidden="true">'
        f"{escaped(label)} </span><div>{breakable(escaped(inner))}</div></td>"
    )


def row(cells):
    """A table row of cells made by :func:`cell`."""
    return mark_safe(f'<tr class="nhsuk-table__row" role="row">{"".join(cells)}</tr>')  # noqa: S308 - cells are safe

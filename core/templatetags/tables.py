"""Cells of responsive tables (``nhsuk-table--responsive``).

On a phone, or wherever a table has more columns than its space holds, the rows stack as cards
and the column headings are hidden; each cell then shows its column's name beside its value.
``{% cell "Organisation" %}…{% endcell %}`` writes that cell (``{% cell label "a-class" %}`` adds
a class to it).

A cell's text may break inside a very long word (a web address, a checksum), so that one long
value cannot push a table past the page's edge; ordinary words still break only between words.
"""

import re

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

LONG_WORD = re.compile(r"[^\s<>&]{20,}")  # no break opportunity for 20 characters or more
TAG_OR_ENTITY = re.compile(r"(<[^>]*>|&[#\w]+;)")
CHUNK = 12


def breakable(html):
    """``html`` with a break opportunity (``<wbr>``) every few characters of each very long word."""
    parts = TAG_OR_ENTITY.split(str(html))
    for i in range(0, len(parts), 2):  # the text between tags and entities
        parts[i] = LONG_WORD.sub(lambda m: "<wbr>".join(re.findall(f".{{1,{CHUNK}}}", m.group())), parts[i])
    return mark_safe("".join(parts))  # noqa: S308 - only <wbr> added to markup already escaped


class CellNode(template.Node):
    def __init__(self, label, css_class, nodelist):
        self.label = label
        self.css_class = css_class
        self.nodelist = nodelist

    def render(self, context):
        css_class = self.css_class.resolve(context) if self.css_class else ""
        return format_html(
            '<td class="nhsuk-table__cell{}" role="cell"><span class="nhsuk-table__heading" aria-hidden="true">{} '
            "</span><div>{}</div></td>",
            f" {css_class}" if css_class else "",
            self.label.resolve(context),
            breakable(self.nodelist.render(context)),
        )


@register.tag
def cell(parser, token):
    bits = token.split_contents()
    if len(bits) not in (2, 3):
        raise template.TemplateSyntaxError('Use {% cell "Column name" %}…{% endcell %}.')
    label = parser.compile_filter(bits[1])
    css_class = parser.compile_filter(bits[2]) if len(bits) == 3 else None
    nodelist = parser.parse(("endcell",))
    parser.delete_first_token()
    return CellNode(label, css_class, nodelist)

"""Cells of responsive tables (``nhsuk-table--responsive``).

On a phone, or wherever a table has more columns than its space holds, the rows stack as cards
and the column headings are hidden; each cell then shows its column's name beside its value.
``{% cell "Organisation" %}…{% endcell %}`` writes that cell (``{% cell label "a-class" %}`` adds
a class to it).
"""

from django import template
from django.utils.html import format_html

register = template.Library()


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
            self.nodelist.render(context),
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

"""Cells of responsive tables (``nhsuk-table--responsive``).

On a phone, or wherever a table has more columns than its space holds, the rows stack as cards
and the column headings are hidden; each cell then shows its column's name beside its value.
``{% cell "Organisation" %}…{% endcell %}`` writes that cell (``{% cell label "a-class" %}`` adds
a class to it).

A cell's text may break inside a very long word (a web address, a checksum), so that one long
value cannot push a table past the page's edge; ordinary words still break only between words.
"""

from django import template

from core import markup

register = template.Library()


class CellNode(template.Node):
    def __init__(self, label, css_class, nodelist):
        self.label = label
        self.css_class = css_class
        self.nodelist = nodelist

    def render(self, context):
        css_class = self.css_class.resolve(context) if self.css_class else ""
        return markup.cell(self.label.resolve(context), self.nodelist.render(context), css_class)


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

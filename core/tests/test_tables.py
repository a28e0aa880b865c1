"""Responsive table cells: their column's name for phones, and long words that can break."""

from django.template import Context, Template

from core.markup import breakable


def test_a_cell_names_its_column_for_phones_but_not_for_screen_readers():
    html = Template('{% load tables %}{% cell label "accord-pre-wrap" %}<a href="/x">Oxfordshire Mind</a>{% endcell %}')
    rendered = html.render(Context({"label": "Partner & role"}))
    assert rendered == (
        '<td class="nhsuk-table__cell accord-pre-wrap" role="cell">'
        '<span class="nhsuk-table__heading" aria-hidden="true">Partner &amp; role </span>'
        '<div><a href="/x">Oxfordshire Mind</a></div></td>'
    )


def test_only_very_long_words_get_break_opportunities_and_markup_is_untouched():
    address = "https://www.oxfordhealth.nhs.uk/partnerships/standard.pdf"
    html = f'<a class="nhsuk-link" href="{address}">{address}</a> Buckinghamshire &amp; Oxfordshire'
    broken = breakable(html)
    assert broken.startswith(f'<a class="nhsuk-link" href="{address}">https://www.<wbr>')
    assert broken.replace("<wbr>", "") == html
    assert all(len(chunk) <= 12 for chunk in broken.split(">", 1)[1].split("</a>")[0].split("<wbr>"))
    assert broken.endswith("</a> Buckinghamshire &amp; Oxfordshire"), "ordinary words and entities stay whole"


def test_a_cell_written_in_python_escapes_text_and_keeps_markup():
    from django.utils.safestring import mark_safe

    from core.markup import cell, link

    assert "&lt;script&gt;" in cell("Lead", "<script>alert(1)</script>")
    assert "<script>" not in cell("Lead", "<script>alert(1)</script>")
    assert '<a class="nhsuk-link" href="/p/1/">A &amp; B</a>' in cell("Title", link("/p/1/", "A & B"))
    assert "<strong>kept</strong>" in cell("Tag", mark_safe("<strong>kept</strong>"))

"""Charts as PNG pictures, for the papers (a Word document shows pictures, not SVG; the PDF prints
the same picture so both say the same). Drawn with Pillow (WeasyPrint's own dependency) in the
NHS palette, with the font the PDF uses where the machine has it.

The pages draw their charts as SVG with a table beside them; a paper's picture always has its
table beside it too (``core.papers.Figure``), so no number is only in a picture.
"""

import io
from functools import cache

from PIL import Image, ImageDraw, ImageFont

NHS_BLUE = "#005eb8"
TEXT = "#212b32"
GREY = "#d8dde0"
FONTS = (
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
)
SCALE = 2  # drawn at twice the size it is shown, so that it prints sharply


@cache
def _font(size):
    for path in FONTS:
        try:
            return ImageFont.truetype(path, size * SCALE)
        except OSError:
            continue
    return ImageFont.load_default(size * SCALE)


def _png(image):
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _fit(draw, text, font, width):
    """``text`` cut with an ellipsis to fit ``width`` pixels."""
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(f"{text}…", font=font) > width:
        text = text[:-1]
    return f"{text}…"


def bars(rows, width=640, label_width=220):
    """A horizontal bar chart of ``rows`` — (label, number, text shown after the bar) — largest
    bar full width. PNG bytes."""
    row_height, top = 26, 8
    height = top * 2 + row_height * max(len(rows), 1)
    image = Image.new("RGB", (width * SCALE, height * SCALE), "white")
    draw = ImageDraw.Draw(image)
    font = _font(11)
    largest = max((number for _, number, _ in rows), default=0) or 1
    room = width - label_width - 120
    for i, (label, number, shown) in enumerate(rows):
        y = top + i * row_height
        draw.text(
            (4 * SCALE, (y + 6) * SCALE), _fit(draw, str(label), font, (label_width - 10) * SCALE), fill=TEXT, font=font
        )
        length = max(round(room * number / largest), 1 if number else 0)
        box = [label_width * SCALE, (y + 4) * SCALE, (label_width + length) * SCALE, (y + row_height - 4) * SCALE]
        if length:
            draw.rectangle(box, fill=NHS_BLUE)
        draw.text(((label_width + length + 6) * SCALE, (y + 6) * SCALE), str(shown), fill=TEXT, font=font)
    return _png(image)


def grid(cells, row_labels, column_labels, cell=56, left=150, bottom=70):
    """A grid of coloured cells with a number in each: ``cells`` is a list of rows (top row first)
    of (number, fill colour, text colour). The 5×5 risk heatmap. PNG bytes."""
    rows, columns = len(cells), len(cells[0]) if cells else 0
    width, height = left + columns * cell + 10, rows * cell + bottom
    image = Image.new("RGB", (width * SCALE, height * SCALE), "white")
    draw = ImageDraw.Draw(image)
    small, large = _font(10), _font(14)
    for r, row in enumerate(cells):
        draw.text(
            (4 * SCALE, (r * cell + cell // 2 - 6) * SCALE),
            _fit(draw, row_labels[r], small, (left - 8) * SCALE),
            fill=TEXT,
            font=small,
        )
        for c, (number, fill, ink) in enumerate(row):
            x, y = left + c * cell, r * cell
            draw.rectangle(
                [x * SCALE, y * SCALE, (x + cell) * SCALE, (y + cell) * SCALE],
                fill=fill,
                outline="white",
                width=2 * SCALE,
            )
            if number:
                text = str(number)
                w = draw.textlength(text, font=large)
                draw.text(((x + cell / 2) * SCALE - w / 2, (y + cell / 2 - 9) * SCALE), text, fill=ink, font=large)
    for c, label in enumerate(column_labels):
        x = left + c * cell
        draw.text(
            ((x + 2) * SCALE, (rows * cell + 6) * SCALE),
            _fit(draw, label, small, (cell - 4) * SCALE),
            fill=TEXT,
            font=small,
        )
    return _png(image)

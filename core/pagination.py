"""One reading of ``?page=`` for every list and history page.

A page number is whatever a person or a crawler typed into the address bar: only plain ASCII
digits count (``"²"`` and ``"٣"`` pass ``str.isdigit()`` but are not page numbers). Anything
else, zero included, means the first page; a number past the end, however large, means the last
page. No page number ever reaches the database as an offset it cannot hold.
"""

import re

from django.core.paginator import Paginator

LAST = "last"
# A longer number is past the end of any list: the last page (and an offset the database can hold).
MOST_DIGITS = 9
_PAGE_NUMBER = re.compile(rf"[0-9]{{1,{MOST_DIGITS}}}")


def requested_page(value):
    """The page asked for: a number from 1, :data:`LAST`, or 1 for anything that is not a page number."""
    value = str(value or "").strip()
    if value == LAST:
        return LAST
    if not value.isascii() or not value.isdigit():
        return 1
    if not _PAGE_NUMBER.fullmatch(value):
        return LAST
    return max(int(value), 1)


def paginate(object_list, value, per_page):
    """The page of ``object_list`` that ``?page=value`` asks for, past the end the last one."""
    paginator = Paginator(object_list, per_page)
    number = requested_page(value)
    return paginator.page(paginator.num_pages if number == LAST else min(number, paginator.num_pages))

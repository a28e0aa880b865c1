"""A record's page, reversed once per kind of page rather than once per record.

Django's ``reverse()`` walks the URL resolver and checks the result against the pattern on every
call: about 25 µs, which is a third of the work queue's download at 56,000 items, every one of them
a link. :func:`reverse_pk` reverses the page once with a placeholder id, keeps the text either side
of it, and writes each record's link by putting its id between them: the same link ``reverse()``
gives, since an id (a non-negative integer) is written as its digits by Django's ``int`` and
``path`` converters alike and matches their patterns. Anything else falls back to ``reverse()``.
"""

import contextlib
import contextvars
import functools

from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse

PLACEHOLDER = 987654321987654321  # digits no real link holds: found exactly once, or not used


# The URL configuration and script prefix of the request being answered, when fixed for a while
# (:func:`frozen`): tens of thousands of links in one download each read them from two
# per-request (asgiref) locals, a sixth of the work queue's download.
_FIXED = contextvars.ContextVar("accord_links_fixed", default=None)


@contextlib.contextmanager
def frozen():
    """Within it, :func:`reverse_pk` reads the request's URL configuration and script prefix once."""
    token = _FIXED.set((get_resolver(get_urlconf()), get_script_prefix()))
    try:
        yield
    finally:
        _FIXED.reset(token)


def reverse_pk(viewname, pk):
    """``reverse(viewname, args=[pk])``, for a record's id."""
    if type(pk) is not int or pk < 0:
        return reverse(viewname, args=[pk])
    around = _around(viewname, *(_FIXED.get() or (get_resolver(get_urlconf()), get_script_prefix())))
    if around is None:
        return reverse(viewname, args=[pk])
    return f"{around[0]}{pk}{around[1]}"


@functools.lru_cache(maxsize=512)
def _around(viewname, resolver, prefix):
    """The text before and after the id in ``viewname``'s link, or ``None`` if it cannot be split.

    Keyed by the resolver in use (a new one after ``clear_url_caches()``, as when a test changes
    ``ROOT_URLCONF``) and the script prefix (the path Accord is served under)."""
    url = reverse(viewname, args=[PLACEHOLDER], urlconf=resolver.urlconf_name)
    head, found, tail = url.partition(str(PLACEHOLDER))
    if not found or str(PLACEHOLDER) in tail:
        return None
    return head, tail

"""Every URL pattern of Accord, by name: what the cross-cutting tests walk."""

from django.contrib.staticfiles import views as staticfiles_views
from django.urls import URLPattern, URLResolver, get_resolver
from django.views import static as static_views

DJANGO_FILE_SERVERS = {static_views.serve, staticfiles_views.serve}


def url_patterns(resolver=None, namespace=""):
    """(name, pattern) for every URL pattern of the project's pages, walking included URLconfs.

    The REST API's (``/api/``) are walked by ``tests/test_api_matrix.py``, which derives what
    each answers from these pages' rows."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace == "api":
            continue
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_patterns(entry, inner)
        elif isinstance(entry, URLPattern):
            if getattr(entry.callback, "__wrapped__", entry.callback) in DJANGO_FILE_SERVERS:
                continue
            yield f"{namespace}{entry.name or entry.pattern}", entry


def url_names():
    return sorted({name for name, _ in url_patterns()})


def view_class(pattern):
    return getattr(pattern.callback, "view_class", None)

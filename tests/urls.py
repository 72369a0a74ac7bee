"""The project's URLconf as a list of routes, for the tests that check or crawl every route."""

from django.urls import URLPattern, URLResolver, get_resolver


def walk(patterns=None, prefix=""):
    """(route, view) for every pattern of the URLconf, included ones too."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback

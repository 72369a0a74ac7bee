"""The one module that uses django-ninja's private helpers, so that a ninja upgrade changes this file only.
`tests/test_library_internals.py` fails on any other use of them."""

from ninja import NinjaAPI


def bound_routers(api: NinjaAPI) -> list:
    """The routers mounted on `api`, each with its `prefix` and `path_operations` (ninja keeps no public way
    to list them)."""
    return api._get_bound_routers()

"""One page size for every list of the pages (the API's default `limit` is the same: settings)."""

from django.conf import settings

PAGE_SIZE = settings.MAILLAGE_PAGE_SIZE

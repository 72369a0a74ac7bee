"""How the API pages its lists: `limit` and `offset`, answered as `{"count": …, "items": […]}` (ninja's
LimitOffsetPagination, documented in French, with the limits of the settings)."""

from typing import Any

from django.conf import settings
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination


class LimitOffset(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(
            settings.NINJA_PAGINATION_PER_PAGE,
            ge=1,
            le=settings.NINJA_PAGINATION_MAX_LIMIT,
            description="Nombre d'éléments par page.",
        )
        offset: int = Field(0, ge=0, description="Nombre d'éléments à sauter.")

    class Output(Schema):
        items: list[Any]
        count: int = Field(description="Nombre total d'éléments qui répondent aux filtres.")

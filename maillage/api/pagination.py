"""How the API pages its lists. Large lists (situations) by cursor (`Keyset`); the others by `limit` and
`offset`, answered as `{"count": …, "items": […]}` (ninja's LimitOffsetPagination, documented in French,
with the limits of the settings)."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, PaginationBase

from maillage.web import keyset

INVALID_CURSOR_MESSAGE = (
    "Curseur de pagination invalide : recopiez la valeur `next` ou `previous` d'une réponse, "
    "sans la modifier."
)


# Past this, a list of the API's sizes is empty anyway; an offset past a bigint (2^63 - 1) used to reach the
# database and fail there (500).
MAX_OFFSET = 1_000_000


class PageSize(Schema):
    """`limit`, with the bounds of the settings: every paginated list's first parameter."""

    limit: int = Field(
        settings.NINJA_PAGINATION_PER_PAGE,
        ge=1,
        le=settings.NINJA_PAGINATION_MAX_LIMIT,
        description="Nombre d'éléments par page.",
    )


class LimitOffset(LimitOffsetPagination):
    class Input(PageSize):
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Nombre d'éléments à sauter.")

    class Output(Schema):
        items: list[Any]
        count: int = Field(description="Nombre total d'éléments qui répondent aux filtres.")


class Keyset(PaginationBase):
    """`limit` and `cursor`, answered as `{"items": […], "count": …, "count_capped": …, "next": …,
    "previous": …}`: pages that cost the same however deep (maillage/web/keyset.py, ADR 0045). The
    queryset's order must end with the primary key. A cursor this API did not write answers 400."""

    class Input(PageSize):
        cursor: str | None = Field(
            None,
            max_length=keyset.MAX_CURSOR_LENGTH,
            description="Curseur d'une autre page, tel que renvoyé dans `next` ou `previous` ; absent pour "
            "la première page. Un curseur ne se fabrique pas : il se recopie.",
        )

    class Output(Schema):
        items: list[Any]
        count: int = Field(
            description=f"Nombre d'éléments qui répondent aux filtres, compté jusqu'à {keyset.COUNT_CAP} "
            "(voir `count_capped`)."
        )
        count_capped: bool = Field(
            description=f"Vrai quand il y a plus de {keyset.COUNT_CAP} éléments : `count` vaut alors "
            f"{keyset.COUNT_CAP}."
        )
        next: str | None = Field(description="Curseur de la page suivante ; null sur la dernière.")
        previous: str | None = Field(description="Curseur de la page précédente ; null sur la première.")

    def paginate_queryset(self, queryset, pagination: Input, request: HttpRequest, **params: Any) -> Any:
        try:
            page = keyset.paginate(queryset, pagination.cursor, size=pagination.limit)
        except keyset.InvalidCursor:
            raise HttpError(400, INVALID_CURSOR_MESSAGE) from None
        total = keyset.count_capped(queryset, in_order=True)  # a keyset list's order has its index
        return {
            "items": page.items,
            "count": total.value,
            "count_capped": total.capped,
            "next": page.next_cursor,
            "previous": page.previous_cursor,
        }

"""What the statistics API answers (`api.py`): the indicators' tables in the shape of `dashboard.document`.
A figure is a count (an integer) or, under disclosure control, the mark that replaces it: « < 11 » (from 1
to threshold − 1) or « secret » (hidden so that another cannot be recovered from the totals)."""

from typing import Annotated
from uuid import UUID

from ninja import Field, Schema

from maillage.api.schemas import CommuneRef, TerritoryRef

FIGURE_DESCRIPTION = (
    "Un effectif (entier) ou, sous contrôle de la diffusion, la marque qui le remplace : « < 11 » pour un "
    "effectif de 1 à seuil − 1 (« < seuil »), « secret » pour un effectif masqué afin qu'un autre ne puisse "
    "pas être retrouvé à partir des totaux."
)
Count = Annotated[int, Field(ge=0)]
Mark = Annotated[str, Field(pattern=r"^(< [0-9]+|secret)$")]
Figure = Annotated[Count | Mark, Field(description=FIGURE_DESCRIPTION)]


class IndicatorQuery(Schema):
    year: int | None = Field(
        None,
        ge=2000,
        le=2100,
        description="Année civile ; absente : la dernière année permise (voir `/statistics/years`).",
    )
    communes: list[UUID] = Field(
        default_factory=list,
        max_length=300,
        description=(
            "Identifiants (`public_id`) de communes du territoire, répétés (`communes=…&communes=…`) ; "
            "absents : tout le territoire. Réservé à la coordination."
        ),
    )


class LineOut(Schema):
    key: str = Field(
        description="Clé stable : un code, ou l'identifiant (`public_id`) d'une commune ou d'une "
        "organisation."
    )
    label: str = Field(description="Libellé en français.")


class RowOut(LineOut):
    cells: list[Figure] = Field(description="Une valeur par colonne, dans l'ordre de `columns`.")
    total: Figure | None = Field(
        description="Total de la ligne ; null si le tableau n'a pas de colonne Total."
    )


class TotalRowOut(Schema):
    cells: list[Figure] = Field(description="Total de chaque colonne, dans l'ordre de `columns`.")
    total: Figure | None = Field(description="Total général ; null si le tableau n'a pas de colonne Total.")


class IndicatorOut(Schema):
    name: str = Field(description="Nom stable de l'indicateur.")
    title: str
    note: str = Field(description="Précision sur ce qui est compté (vide sinon).")
    whole_territory: bool = Field(
        description="Vrai si l'indicateur porte toujours sur tout le territoire (le choix de communes ne s'y "
        "applique pas)."
    )
    restricted: bool = Field(
        description="Vrai : chiffres exacts, « Diffusion restreinte » (coordination). "
        "Faux : chiffres protégés."
    )
    columns: list[LineOut]
    row_total: bool = Field(description="Le tableau a une colonne Total (le `total` de chaque ligne).")
    rows: list[RowOut]
    total_row: TotalRowOut | None = Field(
        description="La ligne Total ; null quand une somme par colonne n'aurait pas de sens."
    )


class IndicatorRef(Schema):
    name: str
    title: str


class YearsOut(Schema):
    territory: TerritoryRef
    years: list[int] = Field(
        description="Années permises, la plus récente d'abord : toutes les années d'activité pour la "
        "coordination, les années terminées seulement pour l'observation."
    )
    threshold: int = Field(description="Seuil de diffusion : un effectif de 1 à seuil − 1 est masqué.")
    exact: bool = Field(description="Vrai : chiffres exacts (coordination, « Diffusion restreinte »).")
    restricted_mark: str | None = Field(description="« Diffusion restreinte » si les chiffres sont exacts.")
    indicators: list[IndicatorRef] = Field(description="Les indicateurs, dans l'ordre d'affichage.")


class ViewOut(Schema):
    territory: TerritoryRef
    year: int
    threshold: int = Field(description="Seuil de diffusion : un effectif de 1 à seuil − 1 est masqué.")
    restricted: bool = Field(description="Vrai : chiffres exacts, à ne pas diffuser.")
    restricted_mark: str | None = Field(description="« Diffusion restreinte » si les chiffres sont exacts.")
    communes: list[CommuneRef] = Field(description="Communes choisies ; vide : tout le territoire.")


class IndicatorsOut(ViewOut):
    indicators: list[IndicatorOut]


class OneIndicatorOut(ViewOut):
    indicator: IndicatorOut

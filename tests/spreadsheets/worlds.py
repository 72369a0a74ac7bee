"""What the spreadsheet tests share: a territory with its axes, communes and organisations, its coordinator,
and files built in memory (CSV in any encoding and separator, XLSX through openpyxl)."""

import csv
import io
from dataclasses import dataclass

import openpyxl

from maillage.actionplan.enums import DEFAULT_AXES
from maillage.actionplan.models import Axis
from maillage.network.enums import OrganisationKind
from maillage.network.models import Membership, Organisation
from maillage.territories.models import Commune, Territory
from tests.network.factories import MembershipFactory, OrganisationFactory
from tests.territories.factories import CommuneFactory, TerritoryFactory


@dataclass
class Place:
    territory: Territory
    coordinator: Membership
    communes: dict[str, Commune]
    organisations: dict[str, Organisation]
    axes: list[Axis]


def place(name: str = "Pays des Herbiers") -> Place:
    territory = TerritoryFactory(name=name)
    communes = {
        commune: CommuneFactory(territory=territory, name=commune)
        for commune in ("Les Herbiers", "Mouchamps", "Saint-Paul-en-Pareds", "Mesnard-la-Barotière")
    }
    organisations = {
        label: OrganisationFactory(name=f"{label} ({name})", kind=kind, territories=[territory])
        for label, kind in (
            ("CIDFF", OrganisationKind.ASSOCIATION),
            ("Gendarmerie", OrganisationKind.LAW_ENFORCEMENT),
            ("CCAS", OrganisationKind.SOCIAL),
            ("Communauté de communes", OrganisationKind.LOCAL_AUTHORITY),
        )
    }
    coordinator = MembershipFactory(
        territory=territory, organisation=organisations["Communauté de communes"], roles=["coordinator"]
    )
    axes = [
        Axis.objects.create(territory=territory, number=number, title=title)
        for number, title in enumerate(DEFAULT_AXES, start=1)
    ]
    return Place(territory, coordinator, communes, organisations, axes)


def csv_file(rows: list[list], *, delimiter: str = ";", encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_file(rows: list[list], *, start_row: int = 1) -> bytes:
    """A workbook whose first sheet holds `rows` from `start_row`; a str starting with « = » is a formula."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for offset, row in enumerate(rows):
        for column, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(row=start_row + offset, column=column, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "an export starts with the UTF-8 BOM"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))


def read_xlsx(content: bytes) -> list[list]:
    """Every cell of the first sheet, as (value, data_type)."""
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    return [[(cell.value, cell.data_type) for cell in row] for row in workbook.worksheets[0].iter_rows()]


def upload(client, namespace: str, content: bytes, filename: str):
    """Sends a file to an import page; returns the answer (a redirect to the preview when it was read)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    return client.post(reverse(f"{namespace}:import"), {"fichier": SimpleUploadedFile(filename, content)})


def mapping_of(response) -> dict:
    """The column choices of a preview page as sent back (what the page's selects hold)."""
    form = response.context["form"]
    return {name: form[name].value() or "" for name in form.fields}


def error_lines(response) -> list[str]:
    check = response.context["check"]
    return [str(error) for error in check.errors] if check else []

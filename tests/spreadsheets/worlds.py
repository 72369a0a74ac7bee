"""What the spreadsheet tests share: a territory with its axes, communes and organisations, its coordinator,
and files built in memory (CSV in any encoding and separator, XLSX through openpyxl)."""

import csv
import datetime
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
    elsewhere: "Place | None" = None  # another territory, set by `planted`


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


# What a spreadsheet program could take for a formula (OWASP), planted in every text a download shows.
DANGEROUS = ['=HYPERLINK("http://x")', "+1", "-1+1", "@SUM(1)", "\tTab", "\rRetour"]


def planted(herbiers: Place) -> None:
    """Records of every exported kind whose texts start with what could run as a formula; a few sound
    values too (dates, decimals, counts), and an action of another territory that no download may show."""
    from decimal import Decimal

    from maillage.actionplan.models import Action, Indicator, ProgressUpdate
    from maillage.prevention.models import PreventionEvent, Training, TrainingAttendance

    territory, author = herbiers.territory, herbiers.coordinator
    risky_orgs = [
        OrganisationFactory(name=f"{start}Organisation {n}", territories=[territory])
        for n, start in enumerate(["=", "+", "-", "@"])
    ]
    risky_commune = CommuneFactory(territory=territory, name="=Commune")
    axis = Axis.objects.create(territory=territory, number=8, title="=Axe dangereux")
    for n, text in enumerate(DANGEROUS):
        action = Action.objects.create(
            territory=territory,
            axis=axis,
            title=text,
            description=f"@description {n}",
            lead_organisation=risky_orgs[n % 4],
            starts_on=datetime.date(2024, 1, 1 + n),
            ends_on=datetime.date(2024, 12, 31),
            created_by=author,
        )
        action.partners.set(risky_orgs)
        Indicator.objects.create(action=action, label="=1+1", unit="-u", target=Decimal("12.50"), actual=3)
        ProgressUpdate.objects.create(
            action=action,
            written_on=datetime.date(2024, 6, 1),
            text="+avancement",
            status="in_progress",
            author=author,
        )
        event = PreventionEvent.objects.create(
            territory=territory,
            title=text,
            kind="stand",
            held_on=datetime.date(2024, 11, 25),
            commune=risky_commune if n % 2 else None,
            audience="youth",
            people_reached=10 * n,
            materials="=materials",
            description="-description",
            created_by=author,
        )
        event.organisations.set(risky_orgs)
        training = Training.objects.create(
            territory=territory,
            title=text,
            topic="detection",
            held_on=datetime.date(2024, 3, 1),
            hours=Decimal("3.5"),
            commune=risky_commune,
            trainers="Ne sort pas",
            created_by=author,
        )
        training.trainer_organisations.set(risky_orgs[:2])
        for org in risky_orgs:
            TrainingAttendance.objects.create(training=training, organisation=org, attendees=2)
    elsewhere = herbiers.elsewhere = place("Pays de Pouzauges")
    Action.objects.create(
        territory=elsewhere.territory,
        axis=elsewhere.axes[0],
        title="Action d'un autre territoire",
        lead_organisation=elsewhere.organisations["CIDFF"],
        created_by=elsewhere.coordinator,
    )


def assert_neutralised(content: bytes, file_format: str) -> list[list]:
    """Every cell of a download read back: none that a spreadsheet program could run. Returns the values."""
    from maillage.web.spreadsheets import DANGEROUS_STARTS

    if file_format == "csv":
        rows = read_csv(content)
        cells = [value for row in rows for value in row]
    else:
        typed = read_xlsx(content)
        assert all(data_type != "f" for row in typed for _value, data_type in row), "a formula cell"
        rows = [[value for value, _type in row] for row in typed]
        cells = [value for row in rows for value in row if isinstance(value, str)]
    unsafe = [cell for cell in cells if cell[:1] in DANGEROUS_STARTS]
    assert not unsafe, f"cells a spreadsheet could run: {unsafe}"
    return rows

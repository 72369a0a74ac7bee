from django import forms

from maillage.territories.enums import TerritoryKind
from maillage.territories.territory_file import MAX_FILE_BYTES, TerritoryData, parse_territory_file


class TerritoryImportForm(forms.Form):
    file = forms.FileField(
        label="Fichier du territoire",
        help_text="JSON ou CSV (UTF-8, séparateur « ; » ou « , »), 1 Mo au plus.",
        widget=forms.FileInput(attrs={"accept": ".json,.csv,application/json,text/csv"}),
    )
    name = forms.CharField(
        label="Nom du territoire",
        required=False,
        max_length=200,
        help_text="Obligatoire pour un fichier CSV. Pour un fichier JSON, remplace le nom qui y est écrit.",
    )
    kind = forms.ChoiceField(
        label="Type de territoire",
        required=False,
        choices=[("", "— Celui du fichier JSON —"), *TerritoryKind.choices],
        help_text="Obligatoire pour un fichier CSV.",
    )
    department_code = forms.CharField(
        label="Département",
        required=False,
        max_length=3,
        help_text="Code du département, par exemple 85 (facultatif).",
    )

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is None:
            return cleaned
        if upload.size > MAX_FILE_BYTES:
            # Refused before reading it.
            self.add_error(
                "file", f"Le fichier dépasse la taille maximale de {MAX_FILE_BYTES // 1_000_000} Mo."
            )
            return cleaned
        self.territory_data: TerritoryData = parse_territory_file(
            upload.read(),
            filename=upload.name,
            name=cleaned.get("name", ""),
            kind=cleaned.get("kind", ""),
            department_code=cleaned.get("department_code", ""),
        )
        return cleaned

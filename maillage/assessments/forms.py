"""The assessment form: one oui/non question per grid question (a fieldset each), the date, and an optional
professional-judgement level with its reason. The form checks the input; the rules live in the services."""

import uuid

from django import forms
from django.utils import timezone

from maillage.assessments.enums import Level

ANSWERS = [("oui", "Oui"), ("non", "Non")]
RED_HELP = "Question rouge : deux « oui » aux questions rouges suffisent à établir le danger."


def field_name(number: int) -> str:
    return f"q{number}"


class AssessmentForm(forms.Form):
    assessed_on = forms.DateField(
        label="Date de l'évaluation",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Indiquez la date de l'évaluation.",
            "invalid": "Date invalide (jj/mm/aaaa).",
        },
    )
    override_level = forms.ChoiceField(
        label="Niveau retenu par jugement professionnel",
        choices=[("", "Aucun : le niveau calculé")] + Level.choices,
        required=False,
        help_text=(
            "Le jugement professionnel peut relever le niveau ; seule la coordination peut retenir un niveau "
            "inférieur au niveau calculé."
        ),
    )
    override_reason = forms.CharField(
        label="Motif du jugement professionnel",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=(
            "Obligatoire si un niveau est retenu par jugement professionnel. "
            "N'écrivez que le strict nécessaire."
        ),
    )
    submission = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, grid, **kwargs):
        kwargs.setdefault("initial", {"assessed_on": timezone.localdate(), "submission": uuid.uuid4()})
        super().__init__(*args, **kwargs)
        self.grid = grid
        self.questions = list(grid.questions.all())
        questions = {}
        for question in self.questions:
            questions[field_name(question.number)] = forms.ChoiceField(
                label=f"{question.number}. {question.text}",
                choices=ANSWERS,
                widget=forms.RadioSelect(attrs={"class": "answer"}),
                help_text=RED_HELP if question.red else "",
                # The error summary puts the question before it: "12. Détient-il… ? Répondez par…"
                error_messages={"required": "Répondez par oui ou par non."},
            )
        # Questions first, in grid order; then the date and the professional judgement.
        self.fields = questions | self.fields

    def blocks(self) -> list[tuple[str, list]]:
        """The grid's parts, each with its questions' bound fields, in order (the template's sections)."""
        grouped: dict[str, list] = {}
        for question in self.questions:
            bound = self[field_name(question.number)]
            bound.red = question.red
            grouped.setdefault(question.block, []).append(bound)
        return list(grouped.items())

    def other_fields(self) -> list:
        return [self[name] for name in ("assessed_on", "override_level", "override_reason")]

    def clean(self):
        data = super().clean()
        if data.get("override_level") and not (data.get("override_reason") or "").strip():
            self.add_error("override_reason", "Motivez le niveau retenu par jugement professionnel.")
        if data.get("assessed_on") and data["assessed_on"] > timezone.localdate():
            self.add_error("assessed_on", "La date de l'évaluation ne peut pas être dans le futur.")
        return data

    def answers(self) -> dict[int, bool]:
        return {q.number: self.cleaned_data[field_name(q.number)] == "oui" for q in self.questions}


class GridChoiceForm(forms.Form):
    codes = forms.MultipleChoiceField(
        label="Grilles utilisées sur le territoire",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choisissez au moins une grille."},
    )

    def __init__(self, *args, grids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["codes"].choices = [(g.code, str(g)) for g in grids]

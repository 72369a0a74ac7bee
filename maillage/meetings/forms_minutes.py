"""The minutes' review form: which proposed replacements stay as written, which texts to mask as well."""

from django import forms

from maillage.meetings import minutes as document


class MinutesReviewForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    keep = forms.MultipleChoiceField(
        label="Remplacements à ne pas faire", required=False, widget=forms.CheckboxSelectMultiple
    )
    masked = forms.MultipleChoiceField(
        label="Textes masqués à la main (décochez pour ne plus les masquer)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    mask_text = forms.CharField(
        label="Masquer aussi ce texte",
        required=False,
        max_length=document.ADDED_MAX_LENGTH,
        help_text="Partout où il apparaît dans le compte rendu (majuscules ou non), par exemple un surnom.",
        error_messages={"max_length": f"{document.ADDED_MAX_LENGTH} caractères au plus."},
    )
    mask_label = forms.ChoiceField(
        label="Ce texte désigne", choices=list(document.ADDED_LABELS.items()), initial="PERSON"
    )

    def __init__(self, *args, draft: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].choices = [
            (document.span_id(part, span), part["text"][span["start"] : span["end"]])
            for part in document.parts(draft)
            for span in part["spans"]
            if span["state"] != "added"
        ]
        added = draft.get("added", [])
        self.fields["masked"].choices = [(str(index), text) for index, (text, _label) in enumerate(added)]
        self.added = added
        if not self.is_bound:
            self.initial.setdefault("masked", [str(index) for index in range(len(added))])
            self.initial.setdefault(
                "keep",
                [
                    document.span_id(part, span)
                    for part in document.parts(draft)
                    for span in part["spans"]
                    if span["state"] == "kept"
                ],
            )

    def clean_mask_text(self):
        text = self.cleaned_data["mask_text"].strip()
        if text and len(text) < 2:
            raise forms.ValidationError("Deux caractères au moins.")
        return text

    def choices(self) -> tuple[set[str], list[tuple[str, str]]]:
        data = self.cleaned_data
        added = [tuple(self.added[int(index)]) for index in data["masked"]]
        if data["mask_text"]:
            added.append((data["mask_text"], data["mask_label"]))
        return set(data["keep"]), added


class FinaliseForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)

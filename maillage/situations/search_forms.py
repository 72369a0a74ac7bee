"""The name search's form (ADR 0014, 0021): posted, never in an address."""

from django import forms

from maillage.situations.names import MAX_QUERY_WORDS, name_words

NAME_MAX_LENGTH = 150


class NameSearchForm(forms.Form):
    """The name search, sent by POST so that a name never travels in an address (server logs, browser
    history, the Referer of the next page); the browser is asked not to remember it either."""

    name = forms.CharField(
        label="Nom d'une personne",
        max_length=NAME_MAX_LENGTH,
        help_text="Prénom et nom dans n'importe quel ordre, nom d'usage ou de naissance, ou une partie "
        "d'un nom composé (« Martin » pour « Martin-Roux ») : des mots entiers, "
        "pas un début de mot. "
        "Chaque recherche est enregistrée au journal, sans le nom.",
        error_messages={
            "required": "Saisissez le nom à rechercher.",
            "max_length": f"Un nom compte au plus {NAME_MAX_LENGTH} caractères : vérifiez la saisie.",
        },
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_name(self):
        name = self.cleaned_data["name"]
        words = name_words(name)
        if not words:
            raise forms.ValidationError(
                "Saisissez au moins un mot de deux lettres ou plus (pas seulement des initiales)."
            )
        if len(words) > MAX_QUERY_WORDS:
            raise forms.ValidationError(f"Saisissez au plus {MAX_QUERY_WORDS} mots.")
        return name

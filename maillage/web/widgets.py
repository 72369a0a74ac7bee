"""Widgets shared by the pages' forms.

`PickerCheckboxSelectMultiple`: a long list of people to tick (a restricted situation's named accesses) as
tick-boxes in a scrolling box, with a filter field that `static/maillage/js/picker.js` reveals and wires: it
hides the choices whose label lacks one of the typed words (accents and case ignored), keeps ticked ones in
view, and says how many are shown and ticked. Without JavaScript it is the plain list of tick-boxes (never
a Ctrl-click `<select multiple>`)."""

from django.forms import CheckboxSelectMultiple


class PickerCheckboxSelectMultiple(CheckboxSelectMultiple):
    template_name = "web/widgets/picker.html"

    def __init__(self, attrs=None, choices=(), *, filter_label: str = "Filtrer la liste"):
        super().__init__(attrs, choices)
        self.filter_label = filter_label

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["filter_label"] = self.filter_label
        return context

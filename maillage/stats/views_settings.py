"""The territory's disclosure threshold (`/statistiques/seuil/`), set by its coordinator (ADR 0039)."""

from django.contrib import messages
from django.shortcuts import redirect, render

from maillage.errors import ConflictError, DomainError
from maillage.network.enums import Role
from maillage.stats import services
from maillage.stats.forms import ThresholdForm
from maillage.stats.selectors import threshold_for
from maillage.web.access import member


@member(Role.COORDINATOR)
def threshold(request):
    actor = request.actor
    current = threshold_for(actor.territory)
    form = ThresholdForm(
        request.POST if request.method == "POST" else None, initial={"seuil": current, "vu": current}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.threshold_set(actor, threshold=form.cleaned_data["seuil"], seen=form.cleaned_data["vu"])
        except ConflictError as error:
            form = ThresholdForm(
                {"seuil": request.POST.get("seuil", ""), "vu": current}, initial={"vu": current}
            )
            form.is_valid()
            form.add_error(None, error.message)
        except DomainError as error:
            form.add_error("seuil", error.message)
        else:
            messages.success(request, f"Seuil de diffusion enregistré : {form.cleaned_data['seuil']}.")
            return redirect("statistics:dashboard")
    return render(
        request,
        "stats/threshold_form.html",
        {"page_title": "Seuil de diffusion des statistiques", "form": form, "current": current},
    )

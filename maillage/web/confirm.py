"""The confirmation step before any action that removes someone's access.

The button of such an action posts without `confirmed`: the view answers with this page, which says who loses
access to what, and whose button posts again with `confirmed=1` (and the form's values, when there is a form).
Only that second POST acts; "Annuler" leads back without any change. The view checks access before either."""

from django.shortcuts import render

CONFIRMED_FIELD = "confirmed"


def is_confirmed(request) -> bool:
    return request.method == "POST" and request.POST.get(CONFIRMED_FIELD) == "1"


def confirm_remove_access(
    request,
    *,
    page_title: str,
    consequences: list[str],
    button: str,
    cancel_url: str,
    action_url: str | None = None,
    form=None,
):
    """The page asking to confirm; `form` (already valid) is carried over in hidden fields."""
    return render(
        request,
        "web/confirm_remove_access.html",
        {
            "page_title": page_title,
            "consequences": consequences,
            "button": button,
            "cancel_url": cancel_url,
            "action_url": action_url or request.path,
            "form": form,
        },
    )

"""The DPO's audit page: verification of the chain on demand, and the trail of their territory."""

from datetime import datetime

from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from maillage.audit.checkpoints import latest_full_checkpoint
from maillage.audit.dpo import labels, selectors
from maillage.audit.dpo.forms import AuditFilterForm
from maillage.audit.services import audit_verify
from maillage.network.enums import Role
from maillage.web import keyset
from maillage.web.access import member
from maillage.web.pagination import PAGE_SIZE

LAST_VERIFICATION_SESSION_KEY = "maillage.audit.last_verification"


@member(Role.DPO)
def trail(request):
    form = AuditFilterForm(request.GET or None, territory_id=request.actor.membership.territory_id)
    query = request.GET.copy()
    query.pop("curseur", None)
    page = total = None
    if not form.is_bound or form.is_valid():
        # Millions of entries on a national instance: pages by keyset, counted up to 1,000 (ADR 0045).
        entries = selectors.filtered(selectors.entries_visible_to(request.actor), form.filters())
        total = keyset.count_capped(entries)
        try:
            page = keyset.paginate(entries.newest_first(), request.GET.get("curseur"), size=PAGE_SIZE)
        except keyset.InvalidCursor:
            page = keyset.paginate(entries.newest_first(), None, size=PAGE_SIZE)
        labels.label_entries(page.items, request.actor.membership.territory_id)
    return render(
        request,
        "audit/trail.html",
        {
            "page_title": "Journal d'audit",
            "form": form,
            "filtered": bool(form.filters()),
            "searched": bool(query),
            "page": page,
            "total": total,
            "query": query.urlencode(),
            "verification": _last_verification(request),
        },
    )


@require_POST
@member(Role.DPO)
def verify(request):
    """Runs the verification now, from the last checkpoint (the console's weekly `verify_audit --full`
    re-walks everything); the result stays on the page for the rest of the session."""
    result = audit_verify(actor=request.actor)
    last_full = latest_full_checkpoint()
    request.session[LAST_VERIFICATION_SESSION_KEY] = {
        "ok": result.ok,
        "summary": result.summary,
        "duration": round(result.duration, 3),
        "checked_at": timezone.now().isoformat(),
        "from_sequence": result.from_sequence,
        "last_full_at": last_full.created_at.isoformat() if last_full is not None else None,
    }
    return redirect("audit:trail")


def _last_verification(request) -> dict | None:
    stored = request.session.get(LAST_VERIFICATION_SESSION_KEY)
    if not stored:
        return None
    last_full = stored.get("last_full_at")
    return {
        **stored,
        "checked_at": datetime.fromisoformat(stored["checked_at"]),
        "last_full_at": datetime.fromisoformat(last_full) if last_full else None,
    }

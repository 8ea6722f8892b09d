"""/tra-cuu/<code>: the page a receipt's QR code opens. Same content as the tracking form's result."""

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from chinhquyenso.core.audit import client_address
from chinhquyenso.core.ratelimit import rate_limit_hit
from chinhquyenso.portal.forms import DossierTrackForm
from chinhquyenso.procedures.errors import DossierNotFound
from chinhquyenso.procedures.selectors import dossier_public_view


@require_GET
def dossier_track_by_code(request, code: str):
    wait = rate_limit_hit(
        bucket="tracking", client=client_address(request) or "-", limit=settings.TRACKING_RATE_PER_MINUTE
    )
    if wait:
        response = render(
            request,
            "portal/dossier_track.html",
            {
                "track_form": DossierTrackForm(),
                "dossier": None,
                "throttled": _("Quá nhiều yêu cầu tra cứu, vui lòng thử lại sau %(s)s giây.") % {"s": wait},
            },
            status=429,
        )
        response["Retry-After"] = str(wait)
        return response
    try:
        dossier = dossier_public_view(code=code[:60])
        status = 200
    except DossierNotFound:
        dossier, status = None, 404
    form = DossierTrackForm({"code": code[:60]})
    form.is_valid()
    return render(request, "portal/dossier_track.html", {"track_form": form, "dossier": dossier}, status=status)

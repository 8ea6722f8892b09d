"""Public pages: send a report (/phan-anh/) with an optional photo and location, and follow one's own case by
its code. No login: the code is the receipt; the page never shows a name or the content of a complaint or
denunciation."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from chinhquyenso.complaints import selectors, services
from chinhquyenso.complaints.forms import ReportForm, StatusForm
from chinhquyenso.complaints.identity import Identity
from chinhquyenso.complaints.models import CaseChannel, CaseKind
from chinhquyenso.core.attachments import attachment_store_upload
from chinhquyenso.core.audit import client_address
from chinhquyenso.core.errors import DomainError
from chinhquyenso.core.ratelimit import rate_limit_hit

REPORTS_PER_MINUTE = 5


@require_http_methods(["GET", "POST"])
def report_new(request):
    form = ReportForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if rate_limit_hit(bucket="report", client=client_address(request) or "-", limit=REPORTS_PER_MINUTE):
            form.add_error(None, _("Bạn gửi quá nhiều phản ánh. Hãy thử lại sau ít phút."))
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():  # a refused report leaves no stored photo row
                    photo = None
                    if data.get("photo"):
                        photo = attachment_store_upload(upload=data["photo"], uploaded_by=None, field="photo")
                    case = services.case_receive(
                        kind=CaseKind.FEEDBACK,
                        unit=data["unit"],
                        channel=CaseChannel.ONLINE,
                        subject=data["content"][:120],
                        content=data["content"],
                        identity=Identity(name=data.get("name", ""), contact=data.get("contact", "")),
                        actor=None,
                        category=data["category"],
                        location=services.Location(
                            data.get("latitude"), data.get("longitude"), data.get("address_string", "")
                        ),
                        photo=photo,
                    )
            except DomainError as error:
                for field, message in error.fields.items():
                    form.add_error(field if field in form.fields else None, message)
                if not error.fields:
                    form.add_error(None, error.message)
                status = error.status
            else:
                return redirect("complaints:report-status", code=case.code)
        else:
            status = 422
    return render(request, "complaints/report_new.html", {"form": form}, status=status)


@require_GET
def report_status(request, code: str | None = None):
    code = code or request.GET.get("code", "").strip()
    form = StatusForm(initial={"code": code})
    case, events = None, []
    if code:
        if rate_limit_hit(
            bucket="case-status",
            client=client_address(request) or "-",
            limit=getattr(settings, "TRACKING_RATE_PER_MINUTE", 60),
        ):
            return render(request, "complaints/report_status.html", {"form": form, "limited": True}, status=429)
        try:
            case = selectors.case_get_public(code=code)
        except DomainError:
            return render(request, "complaints/report_status.html", {"form": form, "missing": code}, status=404)
        events = [e for e in case.events.all()]
    return render(request, "complaints/report_status.html", {"form": form, "case": case, "events": events})


@require_GET
def report_photo(request, code: str):
    """The photo of a public report (Open311 media_url); complaints and denunciations have none here."""
    try:
        case = selectors.case_get_public(code=code)
    except DomainError:
        raise Http404 from None
    if not selectors.public_reports().filter(pk=case.pk).exists() or case.photo is None:
        raise Http404
    return FileResponse(case.photo.file.open("rb"), content_type=case.photo.content_type)

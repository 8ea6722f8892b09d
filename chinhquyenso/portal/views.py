"""Public pages for citizens and businesses."""

import contextlib

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from chinhquyenso.core.audit import client_address
from chinhquyenso.core.ratelimit import rate_limit_hit
from chinhquyenso.portal.forms import DossierTrackForm
from chinhquyenso.portal.selectors import closed_period_list, desk_hours_on, served_unit_list
from chinhquyenso.procedures.errors import DossierNotFound
from chinhquyenso.procedures.selectors import dossier_public_view

# What a citizen will be able to do here. A service whose page is not built yet is shown as coming
# (url_name None), so people see the whole offer and the page still links only to pages that exist.
CITIZEN_SERVICES = [
    (
        _("Tìm thủ tục hành chính"),
        _("Thành phần hồ sơ, thời hạn giải quyết, phí, lệ phí và nơi nộp của từng thủ tục."),
        "portal:procedure-list",
    ),
    (
        _("Đặt lịch hẹn tại Bộ phận Một cửa"),
        _("Chọn ngày, giờ đến nộp hồ sơ để không phải chờ đợi."),
        "desk:booking",
    ),
    (
        _("Gửi phản ánh, kiến nghị"),
        _("Phản ánh về thủ tục hành chính, hạ tầng, trật tự đô thị; theo dõi kết quả trả lời."),
        "complaints:report-new",
    ),
    (
        _("Đánh giá mức độ hài lòng"),
        _("Cho biết ý kiến về việc giải quyết hồ sơ của bạn: tra cứu hồ sơ đã trả kết quả rồi chọn đánh giá."),
        "portal:dossier-track",
    ),
]
PUBLIC_INFORMATION = [
    (
        _("Nghị quyết Hội đồng nhân dân"),
        _("Nghị quyết, kỳ họp và kết quả giải quyết kiến nghị cử tri."),
        None,
    ),
    (
        _("Ngân sách và đầu tư công"),
        _("Dự toán, kết quả thu ngân sách, kế hoạch vốn và giải ngân các dự án."),
        None,
    ),
    (
        _("Chỉ số phục vụ người dân, doanh nghiệp"),
        _("Kết quả giải quyết hồ sơ đúng hạn và mức độ hài lòng theo Quyết định 766/QĐ-TTg."),
        None,
    ),
]


def _is_fragment_request(request) -> bool:
    # htmx asks for the fragment only; a history restore needs the whole page.
    return request.headers.get("HX-Request") == "true" and not request.headers.get("HX-History-Restore-Request")


@require_GET
def home(request):
    today = timezone.localdate()
    return render(
        request,
        "portal/home.html",
        {
            "track_form": DossierTrackForm(),
            "citizen_services": CITIZEN_SERVICES,
            "public_information": PUBLIC_INFORMATION,
            "served_units": served_unit_list(on=today),
            "desk_hours": desk_hours_on(day=today),
            "closed_periods": closed_period_list(today=today),
        },
    )


@require_GET
def dossier_track(request):
    """Look a dossier up by the code on its receipt; the code is the only thing a citizen needs."""
    track_form = DossierTrackForm(request.GET if "code" in request.GET else None)
    context = {"track_form": track_form, "dossier": None}
    status = 200
    if track_form.is_valid():
        # Codes are short and sequential: the same per-client limit as the public API keeps them from
        # being walked through.
        wait = rate_limit_hit(
            bucket="tracking", client=client_address(request) or "-", limit=settings.TRACKING_RATE_PER_MINUTE
        )
        if wait:
            context["throttled"] = gettext("Quá nhiều yêu cầu tra cứu, vui lòng thử lại sau %(s)s giây.") % {"s": wait}
            status = 429
        else:
            with contextlib.suppress(DossierNotFound):
                context["dossier"] = dossier_public_view(code=track_form.cleaned_data["code"])
    if _is_fragment_request(request):
        # htmx swaps only 2xx answers; the fragment carries the refusal as text instead.
        return render(request, "portal/dossier_track.html#track-result", {**context, "fragment": True})
    return render(request, "portal/dossier_track.html", context, status=status)

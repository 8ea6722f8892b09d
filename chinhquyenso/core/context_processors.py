"""Template context shared by every page: the navigation a user may follow."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from chinhquyenso.core.permissions import is_administrator, is_staff_member

# The domains to come are listed now so the shell is complete; each links once its app exists.
STAFF_DOMAINS = [
    ("procedures", _("Hồ sơ Một cửa"), _("Tiếp nhận, xử lý, trả kết quả hồ sơ thủ tục hành chính")),
    ("desk", _("Không chờ đợi"), _("Lịch hẹn, xếp hàng, đánh giá hài lòng")),
    (
        "complaints",
        _("Tiếp công dân, khiếu nại, tố cáo"),
        _("Sổ tiếp công dân, đơn thư và thời hạn giải quyết"),
    ),
    ("council", _("Hội đồng nhân dân"), _("Kỳ họp, tài liệu, biểu quyết, nghị quyết, kiến nghị cử tri")),
    ("finance", _("Ngân sách và đầu tư công"), _("Dự toán, thu ngân sách, kế hoạch vốn, giải ngân")),
    ("firesafety", _("An toàn PCCC"), _("Cơ sở có nguy cơ cao, kiểm tra, vi phạm, khắc phục")),
    ("metrics", _("Chỉ số phục vụ"), _("Chỉ số 766, bảng điều hành cho lãnh đạo")),
]


def navigation(request):
    user = getattr(request, "user", None)
    staff = bool(user and is_staff_member(user))
    return {
        "is_staff_member": staff,
        "is_administrator": bool(user and is_administrator(user)),
        "staff_domains": STAFF_DOMAINS if staff else [],
        "admin_url": reverse("admin:index") if staff and is_administrator(user) else "",
    }

"""Template context shared by every page: the navigation a user may follow."""

from django.urls import get_resolver, reverse
from django.utils.translation import gettext_lazy as _

from chinhquyenso.core.permissions import is_administrator, is_staff_member

# The domains to come are listed now so the shell is complete; each links to "<key>:home" once its app
# is installed with URLs under that namespace.
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


def _domain_links() -> list[dict]:
    namespaces = get_resolver().namespace_dict
    return [
        {
            "key": key,
            "title": title,
            "description": description,
            "url": reverse(f"{key}:home") if key in namespaces else "",
        }
        for key, title, description in STAFF_DOMAINS
    ]


def navigation(request):
    user = getattr(request, "user", None)
    staff = bool(user and is_staff_member(user))
    administrator = bool(staff and is_administrator(user))
    return {
        "is_staff_member": staff,
        "is_administrator": administrator,
        "staff_domains": _domain_links() if staff else [],
        "admin_url": reverse("admin:index") if administrator else "",
    }

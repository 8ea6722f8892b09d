"""The statutory time limits of RULES.md §3 as data rows, and the arithmetic that turns a rule into a due date.

Each row has a unit (working days or days), validity dates and its legal basis; a case is judged under the
rows in force on the day it was received. The numbers are those of the 2011/2013/2018 laws; Law 136/2025/QH15
(in force 01/7/2026) may change them: add rows with the new `valid_from`, never edit old ones.

Unit choices (RULES.md §3.2 leaves them to guidance): where a law says "ngày làm việc" (reception answer,
acceptance per TT 07/2013, denunciation initial handling and transfer, PAKN) the unit is working days;
the complaint time limits for decisions follow the common practice of working days [K]; the time bar, the
window for a second complaint and the denunciation resolution and extensions (Law on Denunciations 2018
Art. 30 says "ngày" where Art. 24 says "ngày làm việc") are days, ending at the close of the next working day
when the last day is a day off (Civil Code 2015 Art. 148).
"""

from __future__ import annotations

import datetime as dt

from chinhquyenso.core.calendar import TimeUnit, WorkingCalendar, add_working_time

WD, CD = "working_days", "calendar_days"

LEGAL_BASES = {
    "42/2013/QH13": ("Luật Tiếp công dân", dt.date(2013, 11, 25), dt.date(2014, 7, 1)),
    "02/2011/QH13": ("Luật Khiếu nại", dt.date(2011, 11, 11), dt.date(2012, 7, 1)),
    "25/2018/QH14": ("Luật Tố cáo", dt.date(2018, 6, 12), dt.date(2019, 1, 1)),
    "20/2008/NĐ-CP": (
        "Nghị định về tiếp nhận, xử lý phản ánh, kiến nghị của cá nhân, tổ chức về quy định hành chính "
        "(sửa đổi bởi Nghị định 92/2017/NĐ-CP)",
        dt.date(2008, 2, 14),
        dt.date(2008, 3, 14),
    ),
}

# key, variant, name, amount, unit, max_times, legal basis, article
RULES: tuple[tuple, ...] = (
    ("reception.answer", "", "Trả lời người đến tiếp công dân", 10, WD, None, "42/2013/QH13", "Điều 28 khoản 1"),
    (
        "reception.inform_transferred",
        "",
        "Thông báo kết quả vụ việc đã chuyển",
        5,
        WD,
        None,
        "42/2013/QH13",
        "Điều 28 khoản 2",
    ),
    ("complaint.time_bar", "", "Thời hiệu khiếu nại", 90, CD, None, "02/2011/QH13", "Điều 9"),
    (
        "complaint.acceptance",
        "",
        "Thụ lý khiếu nại",
        10,
        WD,
        None,
        "02/2011/QH13",
        "Điều 27 (ngày làm việc theo Điều 5 TT 07/2013/TT-TTCP)",
    ),
    ("complaint.first_instance", "", "Giải quyết khiếu nại lần đầu", 30, WD, None, "02/2011/QH13", "Điều 28"),
    (
        "complaint.first_instance",
        "complex",
        "Giải quyết khiếu nại lần đầu, vụ việc phức tạp",
        45,
        WD,
        None,
        "02/2011/QH13",
        "Điều 28",
    ),
    (
        "complaint.first_instance",
        "remote",
        "Giải quyết khiếu nại lần đầu, vùng sâu, vùng xa",
        45,
        WD,
        None,
        "02/2011/QH13",
        "Điều 28",
    ),
    (
        "complaint.first_instance",
        "remote_complex",
        "Giải quyết khiếu nại lần đầu, vùng sâu, vùng xa, phức tạp",
        60,
        WD,
        None,
        "02/2011/QH13",
        "Điều 28",
    ),
    ("complaint.second_window", "", "Thời hạn khiếu nại lần hai", 30, CD, None, "02/2011/QH13", "Điều 33"),
    (
        "complaint.second_window",
        "remote",
        "Thời hạn khiếu nại lần hai, vùng sâu, vùng xa",
        45,
        CD,
        None,
        "02/2011/QH13",
        "Điều 33",
    ),
    ("complaint.second_instance", "", "Giải quyết khiếu nại lần hai", 45, WD, None, "02/2011/QH13", "Điều 37"),
    (
        "complaint.second_instance",
        "complex",
        "Giải quyết khiếu nại lần hai, vụ việc phức tạp",
        60,
        WD,
        None,
        "02/2011/QH13",
        "Điều 37",
    ),
    (
        "complaint.second_instance",
        "remote",
        "Giải quyết khiếu nại lần hai, vùng sâu, vùng xa",
        60,
        WD,
        None,
        "02/2011/QH13",
        "Điều 37",
    ),
    (
        "complaint.second_instance",
        "remote_complex",
        "Giải quyết khiếu nại lần hai, vùng sâu, vùng xa, phức tạp",
        70,
        WD,
        None,
        "02/2011/QH13",
        "Điều 37",
    ),
    ("denunciation.initial", "", "Xử lý ban đầu thông tin tố cáo", 7, WD, None, "25/2018/QH14", "Điều 24 khoản 1"),
    (
        "denunciation.initial",
        "complex",
        "Xử lý ban đầu, cần kiểm tra nhiều nơi",
        10,
        WD,
        None,
        "25/2018/QH14",
        "Điều 24 khoản 1",
    ),
    (
        "denunciation.transfer",
        "",
        "Chuyển đơn tố cáo không thuộc thẩm quyền",
        5,
        WD,
        None,
        "25/2018/QH14",
        "Điều 24 khoản 2",
    ),
    ("denunciation.resolution", "", "Giải quyết tố cáo", 30, CD, None, "25/2018/QH14", "Điều 30 khoản 1"),
    ("denunciation.extension", "", "Gia hạn giải quyết tố cáo", 30, CD, 2, "25/2018/QH14", "Điều 30 khoản 1"),
    ("pakn.reject", "", "Từ chối tiếp nhận phản ánh, kiến nghị", 2, WD, None, "20/2008/NĐ-CP", "Điều 9; Hệ thống PAKN"),
    (
        "pakn.supplement",
        "",
        "Đề nghị bổ sung phản ánh, kiến nghị",
        5,
        WD,
        None,
        "20/2008/NĐ-CP",
        "Điều 9; Hệ thống PAKN",
    ),
    ("pakn.handle", "", "Xử lý phản ánh, kiến nghị", 15, WD, None, "20/2008/NĐ-CP", "Điều 14; Hệ thống PAKN"),
    ("pakn.publish", "", "Công khai kết quả xử lý", 2, WD, None, "20/2008/NĐ-CP", "Điều 14; Hệ thống PAKN"),
    ("pakn.transfer", "", "Chuyển phản ánh, kiến nghị không thuộc thẩm quyền", 5, WD, None, "20/2008/NĐ-CP", "Điều 9"),
)


CATEGORIES = (
    ("trat-tu-do-thi", "Trật tự đô thị", "Lấn chiếm vỉa hè, lòng đường, xây dựng trái phép"),
    ("ve-sinh-moi-truong", "Vệ sinh môi trường", "Rác thải, nước thải, ô nhiễm"),
    ("chieu-sang", "Chiếu sáng công cộng", "Đèn đường hỏng, tắt"),
    ("ha-tang-giao-thong", "Hạ tầng giao thông", "Mặt đường hư hỏng, ngập úng, nắp cống"),
    ("cay-xanh", "Cây xanh", "Cây đổ, cành gãy, cần cắt tỉa"),
    ("an-ninh-trat-tu", "An ninh trật tự", "Tiếng ồn, tụ tập gây mất trật tự"),
    ("khac", "Khác", "Phản ánh khác"),
)


def categories_seed(*, category_model) -> None:
    """The usual public-report categories (Open311 services), created when missing."""
    for code, name, description in CATEGORIES:
        category_model.objects.get_or_create(code=code, defaults={"name": name, "description": description})


def rules_seed(*, rule_model, legal_basis_model) -> int:
    """Create the statutory rows that are missing (idempotent; an edited row is left as it is)."""
    bases = {}
    for number, (title, issued_on, effective_from) in LEGAL_BASES.items():
        bases[number], _ = legal_basis_model.objects.get_or_create(
            number=number,
            defaults={"title": title, "issued_on": issued_on, "effective_from": effective_from},
        )
    created = 0
    for key, variant, name, amount, unit, max_times, basis, article in RULES:
        _, made = rule_model.objects.get_or_create(
            key=key,
            variant=variant,
            valid_from=bases[basis].effective_from,
            defaults={
                "name": name,
                "amount": amount,
                "unit": unit,
                "max_times": max_times,
                "legal_basis": bases[basis],
                "article": article,
            },
        )
        created += made
    return created


def variant_for(*, remote: bool, complex_case: bool) -> list[str]:
    """The variants to try for a case, most specific first."""
    order = []
    if remote and complex_case:
        order.append("remote_complex")
    if remote:
        order.append("remote")
    if complex_case:
        order.append("complex")
    order.append("")
    return order


def due_from(start: dt.datetime, *, amount: int, unit: str, calendar: WorkingCalendar) -> dt.datetime:
    """The end of a period of `amount` working days or days counted from the day after `start`'s day (Civil
    Code 2015 Art. 147): 10 working days from a Monday end at the close of the 10th working day after it."""
    unit = TimeUnit(unit)
    if unit is TimeUnit.WORKING_DAYS:
        day_end = dt.datetime.combine(start.astimezone(calendar.tz).date(), dt.time(23, 59), calendar.tz)
        return add_working_time(day_end, amount, unit, calendar=calendar)
    return add_working_time(start, amount, unit, calendar=calendar)

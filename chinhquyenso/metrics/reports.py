"""The periodic one-stop report tables of a unit and period, as Excel (openpyxl) and PDF (WeasyPrint)."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from chinhquyenso.core.models import AdminUnit
from chinhquyenso.metrics import selectors
from chinhquyenso.procedures.models import Channel


@dataclass
class Report:
    unit: AdminUnit
    period: selectors.Period
    index: selectors.IndexFigures
    procedures: list[dict]
    channels: list[dict]
    officers: list[dict]
    late: list[selectors.LateDossier]


def report_build(*, unit: AdminUnit, period: selectors.Period) -> Report:
    """Everything the report prints, from the summary tables (and the bounded late list)."""
    channels = selectors.breakdown(unit=unit, period=period, by="channel")
    for row in channels:
        row["label"] = Channel(row["key"]).label
    return Report(
        unit=unit,
        period=period,
        index=selectors.index_figures(unit=unit, period=period),
        procedures=selectors.breakdown(unit=unit, period=period, by="procedure"),
        channels=channels,
        officers=selectors.officer_breakdown(unit=unit, period=period),
        late=selectors.late_list(unit=unit, period=period),
    )


def _dt(value) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else ""


def report_xlsx(report: Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    bold = Font(bold=True)
    book = Workbook()
    sheet = book.active
    sheet.title = _("Chỉ số 766")[:31]
    sheet.append([f"{report.unit.full_name}: {report.period.start:%d/%m/%Y} – {report.period.end:%d/%m/%Y}"])
    sheet.append([_("Tổng điểm"), float(report.index.total), _("trên 100")])
    header = [_("Mã"), _("Chỉ số"), _("Tử số"), _("Mẫu số"), _("Tỷ lệ (%)"), _("Mục tiêu (%)"), _("Điểm"),
              _("Điểm tối đa"), _("Công thức"), _("Ghi chú")]  # fmt: skip
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for i in report.index.indicators:
        sheet.append([
            i.code, i.name, i.numerator, i.denominator,
            None if i.ratio is None else float(i.ratio), None if i.target is None else float(i.target),
            None if i.points is None else float(i.points), float(i.max_points), i.formula,
            i.note or (_("Không có dữ liệu") if i.status == "no_data" else ""),
        ])  # fmt: skip
    for title, rows in ((_("Theo thủ tục"), report.procedures), (_("Theo kênh"), report.channels)):
        sheet = book.create_sheet(title[:31])
        sheet.append([_("Nhóm"), _("Tiếp nhận"), _("Đã trả"), _("Trước hạn"), _("Đúng hạn"), _("Quá hạn")])
        for r in rows:
            sheet.append([str(r["label"]), r["received"], r["returned"], r["early"], r["on_time"], r["late"]])
    sheet = book.create_sheet(_("Theo cán bộ")[:31])
    sheet.append([_("Cán bộ"), _("Bước trước hạn"), _("Bước đúng hạn"), _("Bước quá hạn")])
    for r in report.officers:
        sheet.append([r["name"], r["early"], r["on_time"], r["late"]])
    sheet = book.create_sheet(_("Hồ sơ quá hạn")[:31])
    sheet.append([_("Mã hồ sơ"), _("Thủ tục"), _("Hạn giải quyết"), _("Kết thúc"), _("Người giữ, thời gian (phút)")])
    for d in report.late:
        held = "; ".join(f"{h.officer} ({h.step}): {h.minutes}" for h in d.holdings)
        sheet.append([d.code, d.procedure, _dt(d.due_at), _dt(d.end_at), held])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def report_pdf(report: Report) -> bytes:
    from weasyprint import HTML  # heavy import, only where a PDF is made

    with translation.override("vi"):
        html = render_to_string("metrics/pdf/report.html", {"report": report})
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()

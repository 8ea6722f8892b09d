"""Dossier lists as CSV and Excel, and the electronic dossier register (Sổ theo dõi hồ sơ, Mẫu 07).

Exports stream rows from the scoped query in chunks, so a unit's whole year fits in memory of a worker.
Personal data: the list export carries the applicant's name and phone (the office needs them to call back)
but never the citizen ID number.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from chinhquyenso.procedures.models import Dossier
from chinhquyenso.procedures.workflow import State


def _local(value) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else ""


def dossier_list_columns() -> list[str]:
    return [
        _("Mã hồ sơ"),
        _("Thủ tục"),
        _("Người nộp"),
        _("Số điện thoại"),
        _("Kênh"),
        _("Trạng thái"),
        _("Bước hiện tại"),
        _("Tiếp nhận"),
        _("Hẹn trả"),
        _("Hạn theo quy định"),
        _("Kết thúc"),
        _("Trả kết quả"),
        _("Quá hạn"),
    ]


def dossier_list_rows(dossiers: QuerySet[Dossier]) -> Iterator[list[str]]:
    rows = (
        dossiers.select_related(None)
        .select_related("version", "current_step")
        .only(
            "code",
            "applicant_name",
            "applicant_phone",
            "channel",
            "state",
            "received_at",
            "appointment_at",
            "legal_due_at",
            "finished_at",
            "returned_at",
            "is_late",
            "version__name",
            "current_step__name",
        )
    )
    now = timezone.now()
    for d in rows.iterator(chunk_size=2000):
        late = d.is_late or (
            d.legal_due_at is not None
            and d.finished_at is None
            and d.legal_due_at < now
            and d.state != State.SUPPLEMENT_REQUESTED
        )
        yield [
            d.code,
            d.version.name,
            d.applicant_name,
            d.applicant_phone,
            d.get_channel_display(),
            d.get_state_display(),
            d.current_step.name if d.current_step_id else "",
            _local(d.received_at),
            _local(d.appointment_at),
            _local(d.legal_due_at),
            _local(d.finished_at),
            _local(d.returned_at),
            _("Có") if late else "",
        ]


def register_columns() -> list[str]:
    """Mẫu 07, TT 03/2025/TT-VPCP: the columns of the dossier register."""
    return [
        _("STT"),
        _("Mã hồ sơ"),
        _("Tên thủ tục hành chính"),
        _("Tên người nộp"),
        _("Địa chỉ, số điện thoại"),
        _("Cơ quan chủ trì giải quyết"),
        _("Ngày nhận hồ sơ"),
        _("Ngày hẹn trả kết quả"),
        _("Ngày trả kết quả"),
        _("Hình thức trả"),
        _("Ghi chú"),
    ]


def register_rows(dossiers: QuerySet[Dossier]) -> Iterator[list[str]]:
    rows = (
        dossiers.filter(received_at__isnull=False)
        .select_related("version", "resolving_office")
        .order_by("received_at", "id")
    )
    for number, d in enumerate(rows.iterator(chunk_size=2000), start=1):
        contact = ", ".join(part for part in (d.applicant_address, d.applicant_phone) if part)
        note = _("Hẹn lại (có phiếu xin lỗi)") if d.rescheduled else ""
        yield [
            str(number),
            d.code,
            d.version.name,
            d.applicant_name,
            contact,
            d.resolving_office.name,
            _local(d.received_at),
            _local(d.appointment_at),
            _local(d.returned_at),
            d.get_channel_display() if d.returned_at else "",
            note,
        ]


def to_csv(header: list[str], rows: Iterable[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel opens Vietnamese text correctly


def to_xlsx(header: list[str], rows: Iterable[list[str]], *, title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    bold = Font(bold=True)
    header_cells = []
    for value in header:
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()

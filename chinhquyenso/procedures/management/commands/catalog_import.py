import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from chinhquyenso.procedures.catalog_io import FORMATS, catalog_import, format_from_name


class Command(BaseCommand):
    help = (
        "Nhập danh mục thủ tục từ tệp JSON, CSV hoặc Excel: mỗi dòng hợp lệ tạo hoặc cập nhật bản nháp (và công bố "
        "khi có --publish); dòng lỗi không thay đổi gì và được liệt kê kèm số dòng, mã thủ tục, trường."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="đường dẫn tệp .json, .csv hoặc .xlsx")
        parser.add_argument("--format", choices=FORMATS, help="định dạng tệp (mặc định: theo phần mở rộng)")
        parser.add_argument("--publish", action="store_true", help="công bố ngay các thủ tục nhập được")
        parser.add_argument("--valid-from", help="ngày áp dụng của phiên bản công bố (YYYY-MM-DD; mặc định: hôm nay)")

    def handle(self, *args, **options):
        path = Path(options["file"])
        fmt = options["format"] or format_from_name(path.name)
        if fmt is None:
            raise CommandError("Không đoán được định dạng từ tên tệp; dùng --format json|csv|xlsx.")
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Không đọc được tệp {path}: {exc.strerror}") from exc
        valid_from = None
        if options["valid_from"]:
            try:
                valid_from = dt.date.fromisoformat(options["valid_from"])
            except ValueError as exc:
                raise CommandError("--valid-from phải có dạng YYYY-MM-DD.") from exc
        report = catalog_import(content=content, fmt=fmt, actor=None, publish=options["publish"], valid_from=valid_from)
        for line in report.lines():
            self.stdout.write(line)
        if not report.ok:
            # the good rows have landed; a non-zero exit tells scripts that some did not
            raise CommandError(f"{len({(e.sheet, e.row) for e in report.errors})} dòng lỗi, xem danh sách ở trên.")

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from chinhquyenso.procedures.catalog_io import FORMATS, catalog_dump, catalog_specs, format_from_name


class Command(BaseCommand):
    help = (
        "Xuất danh mục thủ tục (phiên bản đã công bố mới nhất, hoặc bản nháp khi có --drafts) ra tệp JSON, CSV "
        "hoặc Excel."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="đường dẫn tệp sẽ ghi")
        parser.add_argument("--format", choices=FORMATS, help="định dạng tệp (mặc định: theo phần mở rộng)")
        parser.add_argument("--drafts", action="store_true", help="xuất bản nháp nếu thủ tục đang có bản nháp")

    def handle(self, *args, **options):
        path = Path(options["file"])
        fmt = options["format"] or format_from_name(path.name)
        if fmt is None:
            raise CommandError("Không đoán được định dạng từ tên tệp; dùng --format json|csv|xlsx.")
        specs = catalog_specs(drafts=options["drafts"])
        content = catalog_dump(specs=specs, fmt=fmt)
        try:
            path.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"Không ghi được tệp {path}: {exc.strerror}") from exc
        self.stdout.write(f"Đã xuất {len(specs)} thủ tục ra {path} ({fmt}).")

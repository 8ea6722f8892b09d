import time

from django.core.management.base import BaseCommand, CommandError

from chinhquyenso.procedures.loadgen import dossiers_generate


class Command(BaseCommand):
    help = "Sinh hồ sơ giả lập với số lượng lớn để đo tải (ghi hàng loạt, có thanh tiến độ)."

    def add_arguments(self, parser):
        parser.add_argument("--dossiers", type=int, required=True, help="Số hồ sơ cần sinh")
        parser.add_argument("--units", type=int, default=7, help="Số phường/xã (thêm phường giả lập nếu thiếu)")
        parser.add_argument("--years", type=int, default=2, help="Rải ngày tiếp nhận trong bấy nhiêu năm gần nhất")
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, dossiers, units, years, seed, **options):
        if dossiers <= 0 or units <= 0 or years <= 0:
            raise CommandError("--dossiers, --units và --years phải là số dương.")
        began = time.monotonic()

        def progress(done: int, total: int) -> None:
            width = 40
            filled = int(width * done / total)
            rate = done / max(time.monotonic() - began, 1e-6)
            self.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} ({rate:,.0f}/s)", ending="")
            self.stderr.flush()

        try:
            made = dossiers_generate(count=dossiers, units=units, years=years, seed=seed, progress=progress)
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stderr.write("")
        self.stdout.write(f"{made} dossiers in {time.monotonic() - began:.1f} s")

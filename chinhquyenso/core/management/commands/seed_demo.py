import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from chinhquyenso.core.seeding import DEMO_PASSWORD, HOLIDAY_YEARS, demo_data_seed

DEMO_CATALOG_FROM = dt.date(2024, 1, 1)


class Command(BaseCommand):
    help = (
        "Nạp dữ liệu mẫu Đống Đa: đơn vị hành chính qua các thời kỳ, cơ quan, giờ hành chính, "
        "lịch nghỉ lễ 2020–2030 và các tài khoản mẫu. Chạy lại không thay đổi gì."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-demo-passwords",
            action="store_true",
            help="Cho phép tạo tài khoản mẫu với mật khẩu mặc định khi DEBUG tắt (chỉ dùng để trình diễn).",
        )
        parser.add_argument(
            "--without-accounts",
            action="store_true",
            help="Chỉ nạp đơn vị hành chính, cơ quan và lịch; không tạo tài khoản mẫu.",
        )
        parser.add_argument(
            "--without-dossiers",
            action="store_true",
            help="Không nạp danh mục thủ tục mẫu và hồ sơ mẫu.",
        )

    def handle(self, *args, allow_demo_passwords=False, without_accounts=False, without_dossiers=False, **options):
        # A production instance must never end up with accounts whose password is in the README.
        if not settings.DEBUG and not allow_demo_passwords and not without_accounts:
            raise CommandError(
                _(
                    "DEBUG đang tắt: không tạo tài khoản mẫu với mật khẩu mặc định. "
                    "Dùng --without-accounts, hoặc --allow-demo-passwords nếu đây là máy trình diễn."
                )
            )
        summary = demo_data_seed(with_accounts=not without_accounts)
        reference = summary.reference
        self.stdout.write(
            _("Đơn vị hành chính: %(units)d; kế thừa: %(links)d; cơ quan: %(offices)d; căn cứ pháp lý: %(bases)d.")
            % {
                "units": reference.units,
                "links": reference.successions,
                "offices": reference.offices,
                "bases": reference.legal_bases,
            }
        )
        self.stdout.write(
            _("Lịch nghỉ lễ và ngày làm bù %(first)d–%(last)d: %(days)d ngày.")
            % {"first": HOLIDAY_YEARS[0], "last": HOLIDAY_YEARS[-1], "days": summary.calendar_days}
        )
        if summary.accounts:
            self.stdout.write(
                _("Tài khoản mẫu (mật khẩu %(password)s): %(usernames)s.")
                % {"password": DEMO_PASSWORD, "usernames": ", ".join(u.username for u in summary.accounts)}
            )
            if summary.passwords_set:
                self.stdout.write(
                    _("Đã đặt mật khẩu cho: %(usernames)s.") % {"usernames": ", ".join(summary.passwords_set)}
                )
        if not without_dossiers:
            self._procedures_and_dossiers()
        self.stdout.write(self.style.SUCCESS(_("Đã nạp xong dữ liệu mẫu.")))

    def _procedures_and_dossiers(self):
        # The app that owns dossiers depends on core, not the reverse: import it only here.
        from chinhquyenso.procedures.catalog_io import catalog_load_demo
        from chinhquyenso.procedures.demo import demo_dossiers_load

        # The demo catalog applies from 2024, so the dossiers of 2024 have a version of their time.
        report = catalog_load_demo(valid_from=DEMO_CATALOG_FROM)
        made = demo_dossiers_load()
        self.stdout.write(
            _("Danh mục thủ tục mẫu: %(n)d thủ tục; hồ sơ mẫu mới tạo: %(d)d.") % {"n": report.imported, "d": made}
        )
        from chinhquyenso.desk.demo import desk_demo_load  # counters, bookings, tickets, ratings of Kim Liên, Láng

        desk_demo_load()

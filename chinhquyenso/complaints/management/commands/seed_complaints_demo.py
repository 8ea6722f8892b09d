from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from chinhquyenso.complaints.demo import complaints_demo_seed


class Command(BaseCommand):
    help = "Đơn thư, lượt tiếp công dân và lịch tiếp mẫu cho phường Kim Liên (chạy sau seed_demo)."

    def handle(self, *args, **options):
        created = complaints_demo_seed()
        self.stdout.write(_("Đơn mẫu đã tạo: %(n)d.") % {"n": created})

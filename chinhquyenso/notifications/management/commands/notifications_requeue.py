"""Send again the outbox rows still queued after a while: run it after a broker outage, or from cron."""

from django.core.management.base import BaseCommand

from chinhquyenso.notifications.services import notification_requeue_stale


class Command(BaseCommand):
    help = "Xếp lại vào hàng gửi các thông báo còn chờ gửi quá lâu (sau khi Redis/worker gặp sự cố)."

    def add_arguments(self, parser):
        parser.add_argument("--older-than-minutes", type=int, default=60)

    def handle(self, *args, **options):
        count = notification_requeue_stale(older_than_minutes=options["older_than_minutes"])
        self.stdout.write(f"{count}")

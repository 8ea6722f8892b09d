"""Run every periodic task once, in this process: for the embedded setup, where no Celery beat runs."""

from django.conf import settings
from django.core.management.base import BaseCommand

from config.celery import app


class Command(BaseCommand):
    help = "Chạy một lượt mọi tác vụ định kỳ (dùng với cron khi không có Celery beat)."

    def handle(self, *args, **options):
        app.autodiscover_tasks(force=True)  # a worker imports tasks modules at start; this process must too
        for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
            result = app.tasks[entry["task"]].apply()
            self.stdout.write(f"{name}: {result.get()}")

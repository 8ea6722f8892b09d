from django.core.management.base import BaseCommand

from chinhquyenso.metrics.services import metrics_refresh


class Command(BaseCommand):
    help = "Fold new dossier events into the metrics summary tables (run by Celery beat every minute)."

    def handle(self, *args, **options):
        total = 0
        while True:
            count = metrics_refresh()
            total += count
            if count == 0:
                break
        self.stdout.write(f"{total} dossier(s) refolded")

import sys

from django.core.management.base import BaseCommand

from chinhquyenso.metrics.selectors import rollup_differences


class Command(BaseCommand):
    help = "Recompute the metrics summaries from the dossier events and print every difference (exit 1 if any)."

    def handle(self, *args, **options):
        lines = rollup_differences()
        for line in lines:
            self.stdout.write(line)
        if lines:
            self.stderr.write(f"{len(lines)} difference(s)")
            sys.exit(1)
        self.stdout.write("summaries match the events")

"""Background work of the metrics app: Celery beat every minute; `manage.py refresh_metrics` otherwise."""

from celery import shared_task

from chinhquyenso.metrics.services import metrics_refresh


@shared_task(name="metrics.refresh")
def refresh() -> int:
    """Every minute: fold new dossier events into the summary tables (lag ≤ 5 minutes)."""
    return metrics_refresh()

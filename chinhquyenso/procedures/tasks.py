"""Background work of the one-stop desk: run by Celery beat at scale, in-process in the embedded setup."""

from celery import shared_task

from chinhquyenso.procedures.services import dossier_warn_due_soon


@shared_task(name="procedures.warn_due_soon")
def warn_due_soon() -> int:
    """Every 15 minutes: flag dossiers that will be late within one working day."""
    return len(dossier_warn_due_soon())

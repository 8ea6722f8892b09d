"""What the applicant is told about their dossier, by e-mail and SMS, through the notification outbox.

`dossier_notify_applicant` is called at the end of `dossier_intake` and `dossier_transition`, inside their
transaction: the outbox rows are written with the event (a rolled-back event leaves none) and sent after
commit. One message per event and channel (dedupe key `dossier:<code>:<event seq>:<channel>`), to the
e-mail address and the phone number the applicant gave, each in the language that address asked for.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from chinhquyenso.notifications.models import NotificationChannel
from chinhquyenso.notifications.services import notify, recipient_language
from chinhquyenso.procedures.models import Dossier, DossierEvent
from chinhquyenso.procedures.workflow import Action, State


def dossier_notice_key(*, event: str, state: int) -> str | None:
    """Which message an event sends: the receipt (state 2, Mẫu 01), the supplement request (state 5, once per
    dossier, Art. 11 NĐ 118/2025), the result ready (state 9), the apology with a new date (Mẫu 04)."""
    if event == Action.RESCHEDULE:
        return "dossier_reschedule"
    if event in ("intake", Action.ACCEPT) and state == State.RECEIVED:
        return "dossier_receipt"
    if event in ("intake", Action.ACCEPT, Action.REQUEST_SUPPLEMENT) and state == State.SUPPLEMENT_REQUESTED:
        return "dossier_supplement"
    if state == State.RESULT_READY and event != Action.RETURN_RESULT:
        return "dossier_result_ready"
    return None


def dossier_notify_applicant(*, dossier: Dossier, event: str) -> list:
    """Queue the applicant's e-mail and SMS for the event just recorded on the dossier, if it is one they are
    told about and they gave an address or a number."""
    key = dossier_notice_key(event=str(event), state=dossier.state)
    if key is None or not (dossier.applicant_email or dossier.applicant_phone):
        return []
    last = DossierEvent.objects.filter(dossier=dossier).order_by("-seq").values("seq", "note", "due_before").first()
    context = {
        "code": dossier.code,
        "procedure": dossier.version.name,
        "applicant_name": dossier.applicant_name,
        "office": dossier.receiving_office.name,
        "resolving_office": dossier.resolving_office.name,
        "received_at": dossier.received_at,
        "appointment_at": dossier.appointment_at,
        "previous_appointment_at": last["due_before"],
        "reason": last["note"],
        "tracking_url": settings.PUBLIC_BASE_URL + reverse("portal:tracking", args=[dossier.code]),
    }
    queued = []
    for channel, recipient, template in (
        (NotificationChannel.EMAIL, dossier.applicant_email, key),
        (NotificationChannel.SMS, dossier.applicant_phone, f"{key}_sms"),
    ):
        if not recipient:
            continue
        row = notify(
            key=template,
            channel=channel,
            recipient=recipient,
            context=context,
            language=recipient_language(channel=channel, recipient=recipient),
            dedupe_key=f"dossier:{dossier.code}:{last['seq']}:{channel}",
            related_type="dossier",
            related_code=dossier.code,
            unit=dossier.receiving_unit,
        )
        if row is not None:
            queued.append(row)
    return queued

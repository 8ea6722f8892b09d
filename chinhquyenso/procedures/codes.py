"""Dossier codes (mã số hồ sơ), TT 03/2025/TT-VPCP Art. 13: <agency e-ID code>-<YYMMDD>-<daily sequence>.

The sequence is per agency and day, at least 4 digits, taken under a row lock in the intake transaction:
unique and gap-free even when several desks receive at the same moment (core.numbering).
Which agency's code leads is a per-deployment choice (DOSSIER_CODE_AGENCY = "resolving" per TT 04/2025
Art. 23(2), or "receiving").
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from chinhquyenso.core.models import Office
from chinhquyenso.core.numbering import sequence_next


def dossier_code_next(*, receiving_office: Office, resolving_office: Office, on: dt.date) -> str:
    agency = (
        resolving_office if getattr(settings, "DOSSIER_CODE_AGENCY", "resolving") == "resolving" else receiving_office
    )
    day = on.strftime("%y%m%d")
    number = sequence_next(scope=f"dossier:{agency.code}:{day}")
    return f"{agency.code}-{day}-{number:04d}"

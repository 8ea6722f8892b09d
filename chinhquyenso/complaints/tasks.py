"""Side effects of case actions, run after the transaction commits.

The sender's notices (acceptance, refusal, extension, decision) go by post or SMS; the SMS gateway is a
national adapter not wired yet, so the local stand-in only logs the case code and the action, never a name.
"""

from __future__ import annotations

import logging

logger = logging.getLogger("chinhquyenso.complaints")


def case_notice_send(*, case_id: int, action: str) -> None:
    logger.info("complaints: notice for case %s after %s", case_id, action)

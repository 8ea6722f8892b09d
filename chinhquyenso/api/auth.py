"""Bearer-token authentication for staff API clients, and the throttle on asking for a token."""

import threading
import time

from django.conf import settings
from django.core.cache import cache
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle

from chinhquyenso.core.audit import client_address
from chinhquyenso.core.permissions import is_staff_member
from chinhquyenso.core.services import api_token_authenticate


class StaffBearer(HttpBearer):
    """`Authorization: Bearer <token>` of an active staff member whose token has not expired."""

    def authenticate(self, request, token):
        user = api_token_authenticate(token=token)
        if user is None or not is_staff_member(user):
            return None
        request.user = user
        return user


_PERIOD_SECONDS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}


def _parse_rate(rate: str) -> tuple[int, int]:
    count, _, period = rate.partition("/")
    return int(count), _PERIOD_SECONDS[period.strip()]


class TokenRequestThrottle(BaseThrottle):
    """At most API_TOKEN_RATE token requests (e.g. "10/m") per client address, signed in or not.

    The address is REMOTE_ADDR, as for the audit log and the login lockout: an X-Forwarded-For header
    is not trusted, or a client could claim a new address on every try and never be throttled. The
    rate is read on each request and the state is kept per thread, since one instance serves all.
    """

    def __init__(self) -> None:
        self._local = threading.local()

    def allow_request(self, request) -> bool:
        limit, seconds = _parse_rate(settings.API_TOKEN_RATE)
        key = f"throttle:api-token:{client_address(request) or 'unknown'}"
        now = time.time()
        history = [at for at in cache.get(key, []) if at > now - seconds]  # newest first
        if len(history) >= limit:
            self._local.wait = history[-1] + seconds - now  # until the oldest request leaves the window
            return False
        cache.set(key, [now, *history], seconds)
        return True

    def wait(self) -> float | None:
        return getattr(self._local, "wait", None)

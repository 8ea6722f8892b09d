"""Per-client rate limits on public endpoints, counted in the shared cache (Redis at scale), no database."""

from __future__ import annotations

import time

from django.core.cache import cache


def rate_limit_hit(*, bucket: str, client: str, limit: int, window_seconds: int = 60) -> int:
    """Count one request; return 0 when allowed, else the seconds until the window ends (for Retry-After)."""
    now = time.time()
    window = int(now // window_seconds)
    key = f"rl:{bucket}:{client}:{window}"
    if cache.add(key, 1, timeout=window_seconds + 1):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window_seconds + 1)
            count = 1
    if count <= limit:
        return 0
    return max(1, int((window + 1) * window_seconds - now) + 1)

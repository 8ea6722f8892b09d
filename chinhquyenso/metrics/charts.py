"""Geometry of the dashboard's inline SVG charts (pure): bars, ranking bars and the on-time gauge.

Server-rendered so the charts need no JavaScript and pass the CSP (inline <svg>, no inline style).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

WIDTH, HEIGHT = 320, 120


def _n(value: float) -> str:
    """An SVG number: a dot as decimal separator whatever the page's locale (Vietnamese writes 48,18)."""
    return f"{value:.2f}"


@dataclass
class Bar:
    x: str
    width: str
    y_on_time: str
    h_on_time: str
    y_late: str
    h_late: str
    y_received: str
    h_received: str
    label: str
    title: str


def series_bars(rows: list[dict]) -> list[Bar]:
    """One bar group per day: ended on time (early included) stacked under ended late; received as a thin bar."""
    if not rows:
        return []
    top = max(max(r["received"], r["on_time"] + r["late"]) for r in rows) or 1
    step = WIDTH / len(rows)
    scale = (HEIGHT - 16) / top
    bars = []
    for i, r in enumerate(rows):
        h_on, h_late, h_rec = r["on_time"] * scale, r["late"] * scale, r["received"] * scale
        base = HEIGHT - 14
        bars.append(
            Bar(
                x=_n(i * step + step * 0.1),
                width=_n(max(step * 0.8, 1)),
                y_on_time=_n(base - h_on),
                h_on_time=_n(h_on),
                y_late=_n(base - h_on - h_late),
                h_late=_n(h_late),
                y_received=_n(base - h_rec),
                h_received=_n(h_rec),
                label=r["day"].strftime("%d/%m") if i in (0, len(rows) - 1) else "",
                title=f"{r['day']:%d/%m/%Y}: {r['received']} / {r['on_time']} / {r['late']}",
            )
        )
    return bars


def gauge_arc(percent: Decimal | None) -> str:
    """The SVG path of a half-circle gauge filled to `percent` (centre 60,60, radius 50)."""
    if percent is None:
        return ""
    fraction = min(max(float(percent) / 100, 0.0), 1.0)
    angle = math.pi * (1 - fraction)
    x, y = 60 + 50 * math.cos(angle), 60 - 50 * math.sin(angle)
    return f"M 10 60 A 50 50 0 0 1 {x:.2f} {y:.2f}"


def ranking_width(total: Decimal, *, width: int = 200) -> str:
    """Bar length for an index total out of 100."""
    return _n(float(total) * width / 100)

"""Geometry of the dashboard's inline SVG charts (pure): bars, ranking bars and the on-time gauge.

Server-rendered so the charts need no JavaScript and pass the CSP (inline <svg>, no inline style).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

WIDTH, HEIGHT = 320, 120


@dataclass
class Bar:
    x: float
    width: float
    y_on_time: float
    h_on_time: float
    y_late: float
    h_late: float
    y_received: float
    h_received: float
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
                x=round(i * step + step * 0.1, 2),
                width=round(max(step * 0.8, 1), 2),
                y_on_time=round(base - h_on, 2),
                h_on_time=round(h_on, 2),
                y_late=round(base - h_on - h_late, 2),
                h_late=round(h_late, 2),
                y_received=round(base - h_rec, 2),
                h_received=round(h_rec, 2),
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


def ranking_width(total: Decimal, *, width: int = 200) -> float:
    """Bar length for an index total out of 100."""
    return round(float(total) * width / 100, 2)

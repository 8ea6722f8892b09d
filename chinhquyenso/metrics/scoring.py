"""The 766 scoring rule (QĐ 766/QĐ-TTg; DVCQG formula description, RULES.md §2.1). Pure."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

TWO_PLACES = Decimal("0.01")


def rounded(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def ratio_percent(numerator: int, denominator: int) -> Decimal | None:
    """R in percent, 2 decimals; None (N/A) when the denominator is 0."""
    if not denominator:
        return None
    return rounded(Decimal(numerator) * 100 / Decimal(denominator))


def indicator_points(
    *, numerator: int, denominator: int, max_points: Decimal, target: Decimal | None
) -> Decimal | None:
    """score = Pmax if R ≥ T else R × Pmax / T; without a target R × Pmax; N/A when the denominator is 0."""
    if not denominator:
        return None
    ratio = Decimal(numerator) / Decimal(denominator)
    if target is None:
        return rounded(ratio * max_points)
    goal = Decimal(target) / 100
    if ratio >= goal:
        return rounded(Decimal(max_points))
    return rounded(ratio * max_points / goal)

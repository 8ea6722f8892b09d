"""The 766 scoring rule and the dated point table."""

import datetime as dt
from decimal import Decimal

import pytest

from chinhquyenso.metrics.models import IndexGroup, IndexIndicator, IndexRuleSet
from chinhquyenso.metrics.scoring import indicator_points, ratio_percent
from chinhquyenso.metrics.selectors import Period, period_of, rule_set_for


@pytest.mark.parametrize(
    ("numerator", "denominator", "max_points", "target", "points"),
    [
        (90, 100, Decimal(6), Decimal(90), Decimal("6.00")),  # R = T: full points
        (95, 100, Decimal(6), Decimal(90), Decimal("6.00")),  # R > T: capped at Pmax
        (45, 100, Decimal(6), Decimal(90), Decimal("3.00")),  # R × Pmax / T
        (1, 3, Decimal(2), Decimal(80), Decimal("0.83")),  # rounded to 2 decimals
        (1, 3, Decimal(20), None, Decimal("6.67")),  # no target: R × Pmax
        (0, 10, Decimal(20), None, Decimal("0.00")),
    ],
)
def test_score_is_pmax_at_or_above_target_else_proportional(numerator, denominator, max_points, target, points):
    assert (
        indicator_points(numerator=numerator, denominator=denominator, max_points=max_points, target=target) == points
    )


def test_denominator_zero_is_not_applicable():
    assert indicator_points(numerator=0, denominator=0, max_points=Decimal(6), target=Decimal(90)) is None
    assert ratio_percent(0, 0) is None
    assert ratio_percent(2, 3) == Decimal("66.67")


@pytest.mark.django_db
def test_seeded_point_table_sums_to_100_in_six_groups():
    rule_set = rule_set_for(on=dt.date(2026, 6, 1))
    groups = list(IndexGroup.objects.filter(rule_set=rule_set))
    assert [g.number for g in groups] == [1, 2, 3, 4, 5, 6]
    assert sum(g.max_points for g in groups) == 100
    for group in groups:
        assert sum(i.max_points for i in group.indicators.all()) == group.max_points
    targets = dict(IndexIndicator.objects.filter(group__rule_set=rule_set).values_list("code", "target"))
    assert targets["5.4"] == 90 and targets["4.2"] == 80 and targets["3.3"] == 50 and targets["2.1"] is None


@pytest.mark.django_db
def test_a_newer_rule_set_applies_from_its_valid_from_day():
    old = rule_set_for(on=dt.date(2026, 6, 1))
    old.valid_to = dt.date(2026, 12, 31)
    old.save()
    new = IndexRuleSet.objects.create(name="Bảng điểm 2027", valid_from=dt.date(2027, 1, 1))
    assert rule_set_for(on=dt.date(2026, 12, 31)) == old
    assert rule_set_for(on=dt.date(2027, 1, 1)) == new


def test_periods_month_quarter_half_year_and_the_previous_one():
    on = dt.date(2026, 5, 17)
    assert period_of("month", on) == Period(dt.date(2026, 5, 1), dt.date(2026, 5, 31))
    assert period_of("quarter", on) == Period(dt.date(2026, 4, 1), dt.date(2026, 6, 30))
    assert period_of("half", on) == Period(dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    assert period_of("year", on) == Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert period_of("quarter", on).previous() == Period(dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert period_of("month", dt.date(2026, 3, 3)).previous() == Period(dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    custom = Period(dt.date(2026, 3, 10), dt.date(2026, 3, 19))
    assert custom.previous() == Period(dt.date(2026, 2, 28), dt.date(2026, 3, 9))


@pytest.mark.django_db
def test_every_seeded_indicator_names_a_known_formula_and_every_computed_formula_is_used():
    from chinhquyenso.metrics.selectors import COMPUTED_KEYS, FORMULA_KEYS, NO_DATA, _ratio_inputs

    keys = set(IndexIndicator.objects.values_list("key", flat=True))
    assert keys <= set(FORMULA_KEYS)
    assert set(COMPUTED_KEYS) <= keys
    counters = {c: 0 for c in ("cum_received", "cum_ended", "cum_overdue", "dislikes")}
    from chinhquyenso.metrics.facts import DAILY_COUNTERS
    from chinhquyenso.metrics.selectors import CatalogFigures

    counters.update(dict.fromkeys(DAILY_COUNTERS, 0))
    sets = {"fees": set(), "paid": set(), "vneid": set(), "online": set()}
    for key in COMPUTED_KEYS:
        assert _ratio_inputs(key, counters, sets, CatalogFigures()) is not None, key
    for key in NO_DATA:
        assert _ratio_inputs(key, counters, sets, CatalogFigures()) is None, key


@pytest.mark.django_db
def test_a_database_without_rules_gets_the_seeded_table_at_the_next_refresh():
    from chinhquyenso.metrics.services import index_rules_seed, metrics_refresh

    IndexRuleSet.objects.all().delete()
    metrics_refresh()
    rule_set = rule_set_for(on=dt.date(2026, 6, 1))
    assert sum(g.max_points for g in rule_set.groups.all()) == 100
    assert index_rules_seed() is None  # idempotent
    assert IndexRuleSet.objects.count() == 1

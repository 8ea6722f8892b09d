"""Rankings of units for a period and the change of place against the previous period."""

import datetime as dt

import pytest

from chinhquyenso.core.models import AdminUnitLevel
from chinhquyenso.core.services import admin_unit_upsert
from chinhquyenso.metrics.models import DailyFigures, UnitDayFigures
from chinhquyenso.metrics.selectors import Period, ranking

pytestmark = pytest.mark.django_db
MARCH = Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
FEBRUARY = Period(dt.date(2026, 2, 1), dt.date(2026, 2, 28))


def figures(world, unit, day, *, on_time, late):
    """Summary rows as the refresh writes them: received and ended the same day."""
    UnitDayFigures.objects.create(unit=unit, day=day, received=on_time + late, ended_on_time=on_time, ended_late=late)
    DailyFigures.objects.create(
        unit=unit,
        unit_path=unit.path,
        day=day,
        procedure=world.version.procedure,
        office=world.desk_office,
        channel=1,
        received=on_time + late,
        ended_on_time=on_time,
        ended_late=late,
    )


def test_units_are_ranked_by_index_and_the_change_of_place_is_shown(world):
    third = admin_unit_upsert(
        code="T-OCD",
        name="Ô Chợ Dừa",
        kind_name="phường",
        level=AdminUnitLevel.COMMUNE,
        parent=world.city,
        valid_from=dt.date(2025, 7, 1),
        valid_to=None,
    )
    # February: Kim Liên all late, Láng half, Ô Chợ Dừa all on time
    figures(world, world.kim_lien, dt.date(2026, 2, 10), on_time=0, late=4)
    figures(world, world.lang, dt.date(2026, 2, 10), on_time=2, late=2)
    figures(world, third, dt.date(2026, 2, 10), on_time=4, late=0)
    # March: Kim Liên all on time, the others all late
    figures(world, world.kim_lien, dt.date(2026, 3, 10), on_time=4, late=0)
    figures(world, world.lang, dt.date(2026, 3, 10), on_time=1, late=3)
    figures(world, third, dt.date(2026, 3, 10), on_time=0, late=4)
    rows = ranking(parent=world.city, period=MARCH)
    assert [r.unit.code for r in rows] == ["T-KL", "T-LANG", "T-OCD"]
    assert [r.rank for r in rows] == [1, 2, 3]
    assert [r.previous_rank for r in rows] == [3, 2, 1]
    assert [r.change for r in rows] == [2, 0, -2]  # "tăng 2 bậc", unchanged, "giảm 2 bậc"
    assert rows[0].on_time == 100 and rows[0].total > rows[1].total > rows[2].total


def test_a_unit_without_figures_in_the_previous_period_has_no_change(world):
    figures(world, world.kim_lien, dt.date(2026, 3, 10), on_time=1, late=0)
    rows = ranking(parent=world.city, period=MARCH)
    kim_lien = next(r for r in rows if r.unit == world.kim_lien)
    assert kim_lien.rank == 1 and kim_lien.change is None
    assert ranking(parent=world.city, period=FEBRUARY)[0].has_data is False

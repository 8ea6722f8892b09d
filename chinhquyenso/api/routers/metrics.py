"""The service-quality index (QĐ 766/QĐ-TTg) of a unit for a period, from the summary tables."""

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from chinhquyenso.api.schemas import ErrorOut
from chinhquyenso.core.errors import InvalidInput
from chinhquyenso.core.models import AdminUnit
from chinhquyenso.metrics import selectors

router = Router(tags=["metrics"])
MAX_PERIOD_DAYS = 366 * 5


class IndexQuery(Schema):
    unit: str
    start: dt.date
    end: dt.date


class IndicatorOut(Schema):
    code: str
    name: str
    group: int
    formula: str
    numerator: int | None
    denominator: int | None
    ratio: Decimal | None
    points: Decimal | None
    max_points: Decimal
    target: Decimal | None
    status: str
    note: str


class GroupOut(Schema):
    number: int
    name: str
    points: Decimal
    max_points: Decimal


class IndexOut(Schema):
    unit: str
    unit_name: str
    start: dt.date
    end: dt.date
    rule_set: str
    total: Decimal
    max_points: Decimal
    max_available: Decimal
    groups: list[GroupOut]
    indicators: list[IndicatorOut]


@router.get("/metrics/index", response={200: IndexOut, 422: ErrorOut}, auth=None, summary="Chỉ số 766 của đơn vị")
def metrics_index(request, query: Query[IndexQuery]):
    if query.end < query.start:
        message = _("Ngày kết thúc phải sau hoặc bằng ngày bắt đầu.")
        raise InvalidInput(message, fields={"end": message})
    if (query.end - query.start).days > MAX_PERIOD_DAYS:
        message = _("Kỳ tính tối đa 5 năm.")
        raise InvalidInput(message, fields={"end": message})
    unit = AdminUnit.objects.filter(code=query.unit).first()
    if unit is None:
        message = _("Không có đơn vị hành chính mã %(code)s.") % {"code": query.unit}
        raise InvalidInput(message, fields={"unit": message})
    figures = selectors.index_figures(unit=unit, period=selectors.Period(query.start, query.end))
    return {
        "unit": unit.code,
        "unit_name": unit.full_name,
        "start": query.start,
        "end": query.end,
        "rule_set": figures.rule_set.name,
        "total": figures.total,
        "max_points": Decimal(100),
        "max_available": figures.max_available,
        "groups": [
            {"number": g.number, "name": g.name, "points": g.points, "max_points": g.max_points} for g in figures.groups
        ],
        "indicators": [i.__dict__ for i in figures.indicators],
    }

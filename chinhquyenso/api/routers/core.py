"""Core endpoints: staff tokens, admin units over time, the working-day calendar."""

import datetime as dt
from typing import Literal

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.throttling import AnonRateThrottle

from chinhquyenso.api.schemas import ErrorOut
from chinhquyenso.core import selectors
from chinhquyenso.core.audit import audit_record, client_address
from chinhquyenso.core.calendar import TimeUnit, add_working_time
from chinhquyenso.core.errors import DomainError, InvalidInput
from chinhquyenso.core.permissions import is_staff_member
from chinhquyenso.core.services import api_token_issue

router = Router(tags=["core"])


class TokenIn(Schema):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=256)


class TokenOut(Schema):
    token: str
    token_type: str = "Bearer"
    expires_at: dt.datetime


class Unauthenticated(DomainError):
    status = 401
    code = "invalid_credentials"


def _token_throttle():
    from django.conf import settings

    return [AnonRateThrottle(settings.API_TOKEN_RATE)]


@router.post(
    "/auth/token",
    response={200: TokenOut, 401: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    auth=None,
    throttle=_token_throttle(),
    summary="Cấp token cho cán bộ",
)
def token_create(request, payload: TokenIn):
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None or not is_staff_member(user):
        audit_record(
            action="auth.api_token_refused",
            actor_label=payload.username[:150],
            ip_address=client_address(request),
        )
        raise Unauthenticated(_("Tên đăng nhập hoặc mật khẩu không đúng."))
    token, expires_at = api_token_issue(user=user, ip_address=client_address(request))
    return {"token": token, "expires_at": expires_at}


class LegalBasisOut(Schema):
    number: str
    title: str
    issued_on: dt.date | None


class AdminUnitOut(Schema):
    code: str
    name: str
    full_name: str
    kind_name: str
    level: str
    parent_code: str | None = Field(None, alias="parent.code")
    valid_from: dt.date | None
    valid_to: dt.date | None
    note: str


class AdminUnitsQuery(Schema):
    parent: str | None = Field(None, description="Mã đơn vị cha; bỏ trống để lấy cấp cao nhất")
    on: dt.date | None = Field(None, description="Ngày YYYY-MM-DD; bỏ trống để lấy mọi thời kỳ")


@router.get(
    "/admin-units",
    response={200: list[AdminUnitOut], 404: ErrorOut, 422: ErrorOut},
    auth=None,
    summary="Đơn vị hành chính con, còn hiệu lực vào một ngày",
)
def admin_unit_list(request, filters: Query[AdminUnitsQuery]):
    parent = selectors.admin_unit_get(code=filters.parent, field="parent") if filters.parent else None
    return selectors.admin_unit_list_children(parent=parent, on=filters.on)


@router.get("/admin-units/{code}", response={200: AdminUnitOut, 404: ErrorOut}, auth=None)
def admin_unit_detail(request, code: str):
    return selectors.admin_unit_get(code=code)


class SuccessionOut(Schema):
    predecessor: AdminUnitOut
    successor: AdminUnitOut
    kind: str
    effective_on: dt.date
    legal_basis: LegalBasisOut
    certain: bool
    note: str


@router.get("/admin-units/{code}/successors", response={200: list[SuccessionOut], 404: ErrorOut}, auth=None)
def admin_unit_successors(request, code: str):
    return selectors.admin_unit_successions(unit=selectors.admin_unit_get(code=code), direction="successors")


@router.get("/admin-units/{code}/predecessors", response={200: list[SuccessionOut], 404: ErrorOut}, auth=None)
def admin_unit_predecessors(request, code: str):
    return selectors.admin_unit_successions(
        unit=selectors.admin_unit_get(code=code), direction="predecessors"
    )


class DueQuery(Schema):
    start: dt.datetime = Field(description="Thời điểm bắt đầu, ISO 8601 có múi giờ")
    amount: float = Field(ge=0, le=3650, description="Số ngày làm việc hoặc giờ làm việc")
    unit: Literal["working_days", "working_hours"] = "working_days"


class DueOut(Schema):
    due: str


@router.get(
    "/calendar/due",
    response={200: DueOut, 422: ErrorOut},
    auth=None,
    summary="Hạn giải quyết theo ngày/giờ làm việc",
)
def calendar_due(request, query: Query[DueQuery]):
    start = query.start
    if start.tzinfo is None:
        raise InvalidInput(
            _("Tham số start phải có múi giờ, ví dụ +07:00."), fields={"start": _("Thiếu múi giờ.")}
        )
    calendar = selectors.calendar_get()
    due = add_working_time(start, query.amount, TimeUnit(query.unit), calendar=calendar)
    return {"due": due.astimezone(calendar.tz).isoformat()}

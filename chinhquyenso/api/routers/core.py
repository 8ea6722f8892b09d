"""Core endpoints: staff tokens, admin units over time, the working-day calendar."""

import datetime as dt
import math
import re
from typing import Literal

from axes.helpers import get_cool_off
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from pydantic import field_validator

from chinhquyenso.api.auth import StaffBearer, TokenRequestThrottle
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


class LockedOut(DomainError):
    status = 429
    code = "locked_out"


@router.post(
    "/auth/token",
    response={200: TokenOut, 401: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    auth=None,
    throttle=[TokenRequestThrottle()],
    summary="Cấp token cho cán bộ",
)
def token_create(request, payload: TokenIn):
    # with the request, django-axes counts a failure here towards the same lockout as the login form
    user = authenticate(request, username=payload.username, password=payload.password)
    if getattr(request, "axes_locked_out", False):
        # the lockout is recorded; answer in the API's error format rather than axes's HTML page
        request.axes_locked_out = False
        audit_record(
            action="auth.api_token_refused",
            actor_label=payload.username,
            ip_address=client_address(request),
            data={"reason": "locked_out"},
        )
        cool_off = get_cool_off(request)
        error = LockedOut(
            _("Tài khoản tạm khoá do đăng nhập sai nhiều lần, vui lòng thử lại sau %(minutes)s phút.")
            % {"minutes": math.ceil(cool_off.total_seconds() / 60) if cool_off else 15}
        )
        error.retry_after = cool_off.total_seconds() if cool_off else None
        raise error
    if user is None or not is_staff_member(user):
        audit_record(action="auth.api_token_refused", actor_label=payload.username, ip_address=client_address(request))
        raise Unauthenticated(_("Tên đăng nhập hoặc mật khẩu không đúng."))
    token, expires_at = api_token_issue(user=user, ip_address=client_address(request))
    # a sign-in like the form's: records last_login, and django-axes clears the failures it counted
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    return {"token": token, "expires_at": expires_at}


class MeOut(Schema):
    username: str
    full_name: str
    role: str
    role_name: str
    scope_code: str | None
    scope_name: str | None


@router.get("/auth/me", response={200: MeOut, 401: ErrorOut}, auth=StaffBearer(), summary="Tài khoản của token")
def auth_me(request):
    user = request.auth
    return {
        "username": user.username,
        "full_name": user.display_name,
        "role": user.role,
        "role_name": str(user.get_role_display()),
        "scope_code": user.scope.code if user.scope_id else None,
        "scope_name": user.scope.full_name if user.scope_id else None,
    }


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
    return selectors.admin_unit_successions(unit=selectors.admin_unit_get(code=code), direction="predecessors")


class DueQuery(Schema):
    start: dt.datetime = Field(description="Thời điểm bắt đầu, ISO 8601 có múi giờ, ví dụ 2026-02-13T10:00:00+07:00")
    amount: float = Field(
        ge=0, le=3650, allow_inf_nan=False, description="Số ngày làm việc hoặc giờ làm việc (có thể lẻ, ví dụ 0.5)"
    )
    unit: Literal["working_days", "working_hours"] = "working_days"

    @field_validator("start", mode="before")
    @classmethod
    def _plus_sign_unescaped(cls, value):
        # "?start=2026-02-13T10:00:00+07:00" typed without %2B arrives as "...T10:00:00 07:00":
        # a space before the offset can only have been a plus sign
        if isinstance(value, str):
            return _UNESCAPED_OFFSET.sub(r"\1+\2", value.strip())
        return value


_UNESCAPED_OFFSET = re.compile(r"(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}(?::?\d{2})?)$")


class DueOut(Schema):
    due: str


@router.get(
    "/calendar/due",
    response={200: DueOut, 422: ErrorOut},
    auth=None,
    summary="Hạn giải quyết theo ngày/giờ làm việc",
)
def calendar_due(request, query: Query[DueQuery]):
    """A start outside office hours counts from the next working moment; the due time is in +07:00."""
    if query.start.tzinfo is None:
        raise InvalidInput(
            _("Tham số start phải có múi giờ, ví dụ 2026-02-13T10:00:00+07:00."),
            fields={"start": _("Thiếu múi giờ.")},
        )
    calendar = selectors.calendar_get()
    try:
        due = add_working_time(query.start, query.amount, TimeUnit(query.unit), calendar=calendar)
    except (ValueError, OverflowError):
        # only a start at the edge of the representable years gets here (amount is bounded above)
        raise InvalidInput(
            _("Tham số start nằm ngoài khoảng thời gian tính được."),
            fields={"start": _("Giá trị không hợp lệ.")},
        ) from None
    return {"due": due.astimezone(calendar.tz).isoformat()}

"""Every API error has the same body: {"code", "message", "fields"}, in the user's language."""

import math

from django.http import Http404
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.errors import Throttled as NinjaThrottled

from chinhquyenso.core.errors import DomainError


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"code": code, "message": message, "fields": fields or {}}


def _field_name(loc) -> str:
    # ninja locations look like ("query", "amount") or ("body", "payload", "name")
    parts = [str(p) for p in loc if p not in ("query", "body", "path", "payload", "form", "header", "cookie")]
    return ".".join(parts) or "body"


def _vietnamese(error: dict) -> str:
    kind = error.get("type", "")
    if kind == "missing":
        return _("Thiếu giá trị bắt buộc.")
    if kind.startswith(("int_", "float_", "decimal_")):
        return _("Phải là một số hợp lệ.")
    if kind.startswith("datetime"):
        return _("Phải là thời điểm theo ISO 8601, ví dụ 2026-03-02T09:00:00+07:00.")
    if kind.startswith("date"):
        return _("Phải là ngày dạng YYYY-MM-DD.")
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        bound = next(iter(error.get("ctx", {}).values()), "")
        if isinstance(bound, float) and bound.is_integer():
            bound = int(bound)  # "0", not "0.0"
        return {
            "greater_than": _("Phải lớn hơn %(bound)s."),
            "greater_than_equal": _("Phải lớn hơn hoặc bằng %(bound)s."),
            "less_than": _("Phải nhỏ hơn %(bound)s."),
            "less_than_equal": _("Phải nhỏ hơn hoặc bằng %(bound)s."),
        }[kind] % {"bound": bound}
    if kind == "finite_number":
        return _("Phải là một số hữu hạn.")
    if kind == "string_too_short":
        return _("Không được để trống.")
    if kind == "string_too_long":
        return _("Quá dài.")
    if kind in ("enum", "literal_error"):
        return _("Giá trị không thuộc danh sách cho phép.")
    if kind == "json_invalid":
        return _("Nội dung JSON không hợp lệ.")
    if kind.startswith("string"):
        return _("Chuỗi ký tự không hợp lệ.")
    return _("Giá trị không hợp lệ.")


def install(api) -> None:
    @api.exception_handler(ValidationError)
    def on_validation(request, exc):
        fields = {}
        for error in exc.errors:
            fields.setdefault(_field_name(error.get("loc", ())), _vietnamese(error))
        names = ", ".join(fields)
        return api.create_response(
            request,
            error_body("invalid_input", _("Dữ liệu không hợp lệ: %(names)s.") % {"names": names}, fields),
            status=422,
        )

    @api.exception_handler(DomainError)
    def on_domain(request, exc):
        response = api.create_response(request, error_body(exc.code, exc.message, exc.fields), status=exc.status)
        if getattr(exc, "retry_after", None):
            response["Retry-After"] = str(max(1, math.ceil(exc.retry_after)))
        return response

    @api.exception_handler(AuthenticationError)
    def on_auth(request, exc):
        return api.create_response(
            request,
            error_body("unauthenticated", _("Cần đăng nhập (Authorization: Bearer <token>).")),
            status=401,
        )

    @api.exception_handler(NinjaThrottled)
    def on_throttled(request, exc):
        response = api.create_response(
            request, error_body("throttled", _("Quá nhiều yêu cầu, vui lòng thử lại sau.")), status=429
        )
        # whole seconds, rounded up, never 0: a client that obeys must not come back too early
        wait = getattr(exc, "wait", None)
        response["Retry-After"] = str(max(1, math.ceil(wait)) if wait is not None else 60)
        return response

    @api.exception_handler(Http404)
    def on_404(request, exc):
        return api.create_response(request, error_body("not_found", _("Không tìm thấy.")), status=404)

    @api.exception_handler(HttpError)
    def on_http(request, exc):
        if exc.status_code == 400 and "parse request body" in str(exc):
            # ninja's own message, raised before any schema sees the body
            body = error_body("invalid_json", _("Nội dung yêu cầu không phải JSON hợp lệ."), {"body": _("JSON lỗi.")})
            return api.create_response(request, body, status=400)
        return api.create_response(request, error_body("http_error", str(exc)), status=exc.status_code)

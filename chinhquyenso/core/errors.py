"""Typed domain errors. Codes are stable and never translated; messages are translated."""

from __future__ import annotations


class DomainError(Exception):
    """A rule refused the request. `status` is the HTTP status the interfaces map it to."""

    status = 400
    code = "domain_error"

    def __init__(self, message: str, *, code: str | None = None, fields: dict[str, str] | None = None):
        super().__init__(message)
        self.message = str(message)
        if code:
            self.code = code
        self.fields = fields or {}


class InvalidInput(DomainError):
    status = 422
    code = "invalid_input"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class PermissionDenied(DomainError):
    status = 403
    code = "forbidden"


class Conflict(DomainError):
    status = 409
    code = "conflict"

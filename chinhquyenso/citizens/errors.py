"""Stable error codes of citizen sign-in, online filing, payment and electronic results."""

from chinhquyenso.core.errors import Conflict, DomainError, InvalidInput, NotFound, PermissionDenied


class CodeThrottled(DomainError):
    """Too many one-time codes asked for; `retry_after` says when to try again (Retry-After)."""

    status = 429
    code = "throttled"

    def __init__(self, message: str, *, retry_after: int, fields: dict[str, str] | None = None):
        super().__init__(message, fields=fields)
        self.retry_after = retry_after


class CodeInvalid(InvalidInput):
    code = "code_invalid"


class CodeExpired(InvalidInput):
    code = "code_expired"


class AssuranceTooLow(PermissionDenied):
    code = "assurance_level_too_low"


class SignInRefused(PermissionDenied):
    code = "sign_in_refused"


class FilingInvalid(InvalidInput):
    code = "filing_invalid"


class PaymentRefused(Conflict):
    code = "payment_refused"


class ResultRefused(Conflict):
    code = "result_refused"


class ResultNotFound(NotFound):
    code = "result_not_found"


class StandInDisabled(DomainError):
    """A local stand-in was asked to act where stand-ins are off: the real adapter is not configured."""

    status = 503
    code = "adapter_not_configured"

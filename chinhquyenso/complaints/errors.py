"""Errors of the complaints domain, with stable codes."""

from chinhquyenso.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied


class CaseNotFound(NotFound):
    code = "case_not_found"


class CaseInvalid(InvalidInput):
    code = "case_invalid"


class TransitionNotAllowed(Conflict):
    code = "transition_not_allowed"


class StaleCase(Conflict):
    code = "stale_case"


class TimeBarred(Conflict):
    code = "time_barred"


class ExtensionLimitReached(Conflict):
    code = "extension_limit"


class FirstInstanceRunning(Conflict):
    code = "first_instance_running"


class SecondWindowClosed(Conflict):
    code = "second_window_closed"


class IdentityForbidden(PermissionDenied):
    code = "identity_forbidden"


class RuleMissing(Conflict):
    code = "rule_missing"

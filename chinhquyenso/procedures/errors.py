"""Stable error codes of the dossier workflow."""

from chinhquyenso.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied


class TransitionNotAllowed(Conflict):
    code = "transition_not_allowed"


class StaleDossier(Conflict):
    code = "stale_dossier"


class SupplementAlreadyRequested(Conflict):
    code = "supplement_already_requested"


class RescheduleRefused(Conflict):
    code = "reschedule_refused"


class ActionForbidden(PermissionDenied):
    code = "action_forbidden"


class DossierNotFound(NotFound):
    code = "dossier_not_found"


class IntakeInvalid(InvalidInput):
    code = "intake_invalid"

"""Stable error codes of appointments, queue tickets and satisfaction ratings."""

from chinhquyenso.core.errors import Conflict, InvalidInput, NotFound


class SlotFull(Conflict):
    code = "slot_full"


class SlotUnavailable(InvalidInput):
    code = "slot_unavailable"


class AppointmentNotFound(NotFound):
    code = "appointment_not_found"


class AppointmentClosed(Conflict):
    code = "appointment_closed"


class DeskNotFound(NotFound):
    code = "desk_not_found"


class QueueEmpty(Conflict):
    code = "queue_empty"


class TicketNotFound(NotFound):
    code = "ticket_not_found"


class RatingNotAllowed(Conflict):
    code = "rating_not_allowed"


class AlreadyRated(Conflict):
    code = "already_rated"

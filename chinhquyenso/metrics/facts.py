"""What one dossier contributes to the summary tables (pure: takes the rows, reads nothing).

766 indicator 2.1 (RULES.md §2.2): the end event is the first of result ready / returned / stopped /
refused / withdrawn; a pending supplement request ends the count at the request date; the dossier's
legal_due_at already holds the clock stops (supplement time excluded); more than one supplement request
counts late; a dossier still open is judged at the end of the period (by the overdue counters).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from chinhquyenso.procedures import deadlines
from chinhquyenso.procedures.models import Channel, OnlineLevel
from chinhquyenso.procedures.workflow import State

END_STATES = frozenset({State.NOT_ACCEPTED, State.WITHDRAWN, State.STOPPED, State.RESULT_READY, State.RETURNED})
TIMELINESS_COUNTER = {"early": "ended_early", "on_time": "ended_on_time", "late": "ended_late"}
DAILY_COUNTERS = (
    "received",
    "received_online",
    "full_online_eligible",
    "full_online",
    "fee_payable",
    "paid_online",
    "paper_result",
    "e_result",
    "digitised",
    "digitised_complete",
    "reused",
    "personal_store",
    "vneid",
    "ended_early",
    "ended_on_time",
    "ended_late",
    "returned",
    "overdue_started",
    "overdue_ended",
)
PROCEDURE_MONTH_COUNTERS = ("fee_payable", "paid_online", "vneid", "received_online")
OFFICER_COUNTERS = ("steps_early", "steps_on_time", "steps_late", "minutes_used")


@dataclass
class Fact:
    unit_id: int
    unit_path: str
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    end_at: dt.datetime | None
    timeliness: str
    contributions: list[list] = field(default_factory=list)


def _day(moment: dt.datetime) -> str:
    return timezone.localtime(moment).date().isoformat()


def dossier_fact(dossier, events, documents, *, calendar) -> Fact:
    """The dossier's fact from the dossier row (with version and resolving unit), its events in seq order
    and its documents' flags."""
    unit = dossier.resolving_unit
    received_at, due_at = dossier.received_at, dossier.legal_due_at
    supplements = sum(1 for e in events if e.to_state == State.SUPPLEMENT_REQUESTED)
    end_at = next((e.at for e in events if e.to_state in END_STATES), None)
    if end_at is None and dossier.state == State.SUPPLEMENT_REQUESTED and received_at is not None:
        # a pending supplement request: the request date is the end (RULES.md §2.2, 2.1)
        end_at = next(e.at for e in reversed(events) if e.to_state == State.SUPPLEMENT_REQUESTED)
    returned_at = next((e.at for e in events if e.to_state == State.RETURNED), None)
    fact = Fact(unit.pk, unit.path, received_at, due_at, end_at, "")
    dims = [unit.pk, None, dossier.version.procedure_id, dossier.receiving_office_id, dossier.channel]

    def add(day: str, counter: str) -> None:
        fact.contributions.append(["d", *dims[:1], day, *dims[2:], counter, 1])

    if received_at is not None and due_at is not None:
        received_day = _day(received_at)
        online = dossier.channel == Channel.ONLINE
        version = dossier.version
        flags = {
            "received": True,
            "received_online": online,
            "full_online_eligible": version.online_level == OnlineLevel.FULL,
            "full_online": version.online_level == OnlineLevel.FULL and online,
            "fee_payable": dossier.fee_total > 0,
            "paid_online": dossier.fee_total > 0 and dossier.paid_online in (1, 2),
            "paper_result": version.paper_result,
            "e_result": version.paper_result and bool(dossier.result_code),
            # an online dossier is electronic already (TT 03/2025 Art. 5: no copy needed)
            "digitised": online or any(d.digitised for d in documents),
            "reused": any(d.reused for d in documents),
            "personal_store": any(d.from_personal_store for d in documents),
            "vneid": dossier.vneid_verified,
        }
        flags["digitised_complete"] = flags["digitised"] and (not version.paper_result or bool(dossier.result_code))
        for counter, on in flags.items():
            if on:
                add(received_day, counter)
        if end_at is not None:
            if supplements > 1 or end_at > due_at:
                fact.timeliness = "late"
            else:
                fact.timeliness = deadlines.timeliness(finished_at=end_at, due_at=due_at, calendar=calendar)
            add(_day(end_at), TIMELINESS_COUNTER[fact.timeliness])
        # open past the due day: overdue at the end of every day from the due day until it ends
        overdue_from = received_day if supplements > 1 else _day(due_at)
        if end_at is None or _day(end_at) > overdue_from:
            add(overdue_from, "overdue_started")
            if end_at is not None:
                add(_day(end_at), "overdue_ended")
        if returned_at is not None:
            add(_day(returned_at), "returned")
    for e in events:
        if e.step_timeliness and e.actor_id:
            day = _day(e.at)
            fact.contributions.append(["o", unit.pk, day, e.actor_id, f"steps_{e.step_timeliness}", 1])
            if e.step_used_minutes:
                fact.contributions.append(["o", unit.pk, day, e.actor_id, "minutes_used", e.step_used_minutes])
    return fact


def contribution_totals(contributions) -> dict[tuple, int]:
    """{(table, *key, counter): amount} summed."""
    totals: dict[tuple, int] = {}
    for item in contributions:
        key = tuple(item[:-1])
        totals[key] = totals.get(key, 0) + item[-1]
    return totals

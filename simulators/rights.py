"""The bureaus' side of objections and repairs: decisions received, and applied to the world.

The gateway delivers each decision that changes a record (an upheld objection, an accepted
repair) to the bureau that recorded it, through its outbox, until the bureau says it has it::

    POST /rights/v1/decisions   X-Api-Key: <bureau key>
         {"decisionId": "…", "recordId": "JD-O0000123-0", "action": "WITHDRAW" | "AMEND_SEVERITY"
          | "END_PUBLICITY" | "REPAIR", "severity": "严重" | null, "publicityUntil": "…" | null,
          "effectiveOn": "2026-12-02"}
         200 {"decisionId": "…", "applied": true}   (again for a decision already received)
         400 {"error": "…"}                         a payload this API does not accept

Every later answer of every bureau serves the changed record (:class:`Amendments` is applied
by :meth:`simulators.world.World.facts`), with :func:`credit.rights.corrected` — the same
function the gateway applies, so the two sides cannot disagree.  The route counts as
``rights.decisions`` and takes the bureau's faults like every other route.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import fields, replace
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from credit.records import CreditRecord, Severity
from credit.rights.cases import Correction, CorrectionAction
from credit.rights.errors import InvalidCaseInput
from credit.rights.marks import corrected
from simulators.facts import SubjectFacts

if TYPE_CHECKING:  # simulators.service builds these routes
    from simulators.service import BureauService

__all__ = ["Amendments", "rights_routes"]

_RECORD_FIELDS = tuple(f.name for f in fields(SubjectFacts) if f.type == "tuple[CreditRecord, ...]")


class Amendments:
    """Decisions received by the bureaus, by record id, in the order received."""

    def __init__(self) -> None:
        self._by_record: dict[str, list[tuple[Correction, dt.date]]] = {}
        self.decisions: set[str] = set()

    def __len__(self) -> int:
        return len(self.decisions)

    def add(self, decision_id: str, record_id: str, correction: Correction, on: dt.date) -> bool:
        """Record a decision; False when it was received already (a redelivery)."""
        if decision_id in self.decisions:
            return False
        self.decisions.add(decision_id)
        self._by_record.setdefault(record_id, []).append((correction, on))
        return True

    def _record(self, record: CreditRecord) -> CreditRecord:
        for correction, on in self._by_record.get(record.id, ()):
            record = corrected(record, correction, on)
        return record

    def apply(self, facts: SubjectFacts) -> SubjectFacts:
        if not self._by_record:
            return facts
        changes: dict[str, Any] = {}
        for name in _RECORD_FIELDS:
            records: tuple[CreditRecord, ...] = getattr(facts, name)
            if any(r.id in self._by_record for r in records):
                changes[name] = tuple(self._record(r) for r in records)
        return replace(facts, **changes) if changes else facts


def _correction(body: Any) -> tuple[str, str, Correction, dt.date]:
    if not isinstance(body, dict):
        raise ValueError("body must be an object")
    decision_id, record_id = body.get("decisionId"), body.get("recordId")
    if not isinstance(decision_id, str) or not isinstance(record_id, str):
        raise ValueError("decisionId and recordId are required strings")
    severity = body.get("severity")
    until = body.get("publicityUntil")
    correction = Correction(
        CorrectionAction(str(body.get("action"))),
        Severity(severity) if severity is not None else None,
        dt.date.fromisoformat(until) if until is not None else None,
    )
    return decision_id, record_id, correction, dt.date.fromisoformat(body.get("effectiveOn", ""))


def rights_routes(service: BureauService, amendments: Amendments) -> list[Route]:
    """The decisions route of ``service``, key-checked (``X-Api-Key``) and fault-injected."""

    async def decisions(request: Request) -> Response:
        if not service.control_authenticated(request):
            return service.unauthorised()
        faulted = await service.state.intercept("rights.decisions", request)
        if faulted is not None:
            return faulted
        try:
            decision_id, record_id, correction, on = _correction(await request.json())
        except (ValueError, TypeError, InvalidCaseInput) as exc:
            return JSONResponse({"error": f"invalid decision: {type(exc).__name__}"}, 400)
        amendments.add(decision_id, record_id, correction, on)
        return JSONResponse({"decisionId": decision_id, "applied": True})

    return [Route("/rights/v1/decisions", decisions, methods=["POST"], name="rights.decisions")]

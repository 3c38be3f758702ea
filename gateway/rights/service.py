"""The gateway's :class:`~resolvers.rights_service.RightsService`, one per request.

    service = GatewayRights.for_request(state, principal, request_id)
    view = await service.file(new_case)       # case + FILED event + attachments + audit row
    view = await service.decide(case_id, Outcome.ACCEPTED, ["已履行"], None)
                                               # DECIDED event + outbox row + audit row

Every write is one transaction holding its audit row (if the audit cannot be written, nothing
is kept: ``AUDIT_UNAVAILABLE``); every read of cases writes audit rows for the subjects read.
Citizens act for themselves and the enterprises they represent; officers decide only for the
bureau their client is scoped to (``bureau:<source>``, 谁认定、谁修复) and need
``objection:review`` / ``repair:review`` for the kind.  Which bureaus decide, and by which
rules, is their registry entry's :class:`~credit.rights.desks.RightsDesk` (:func:`desk_of`).
A decision that changes the record is queued in the outbox in its own transaction and
delivered by :mod:`gateway.rights.outbox`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Mapping, Sequence

import asyncpg

from connectors.http import utc_now
from connectors.registry import bureaus
from credit.access import (
    BUREAU_SCOPE,
    ClientScope,
    Principal,
    PrincipalKind,
    may_act_for,
)
from credit.errors import DomainError
from credit.financing.errors import IdempotencyConflict
from credit.rights import (
    COMMITMENT_VERSION,
    CaseKind,
    Correction,
    Event,
    EventType,
    Outcome,
    RecordMark,
    RightsDesk,
    apply,
    case_deadline,
    check_attachment,
    check_objection,
    check_repair,
    check_text,
    commitment_text,
    correction_due,
    overdue,
)
from credit.rights.errors import (
    CaseAlreadyDecided,
    CaseNotFound,
    CommitmentRequired,
    InvalidCaseInput,
    WrongBureau,
)
from gateway import audit
from gateway.rights import store
from gateway.rights.derived import decided_day, marks_of, stats_rows
from gateway.rights.index import CaseRecordIndex
from gateway.rights.store import StoredCase
from gateway.settings import Settings
from gateway.state import GatewayState
from resolvers.access import Forbidden
from resolvers.rights_service import BureauStats, CaseView, NewCase

__all__ = ["GatewayRights", "RightsAuditFailed", "desk_of", "officer_bureaus"]

_GENERAL = RightsDesk()

_REVIEW_SCOPE = {
    CaseKind.OBJECTION: ClientScope.OBJECTION_REVIEW,
    CaseKind.REPAIR: ClientScope.REPAIR_REVIEW,
}
_PURPOSE = {CaseKind.OBJECTION: "异议处理", CaseKind.REPAIR: "信用修复"}
_QUEUE_LIMIT = 200
_IN_BUREAUS = "c.source = ANY($1::text[])"
_STILL_OPEN = " AND NOT EXISTS (SELECT 1 FROM rights_events e WHERE e.case_id = c.id AND e.seq > 1)"
_IN_MONTH = " AND ($2::date IS NULL OR date_trunc('month', c.filed_on) = $2::date)"


class RightsAuditFailed(DomainError):
    code = "AUDIT_UNAVAILABLE"

    def __init__(self) -> None:
        super().__init__("查询记录写入失败，为保护信息主体权益，本次申请或决定未保存，请稍后重试")


def desk_of(source: str) -> RightsDesk | None:
    """The desk deciding cases about ``source``'s records (``None``: it decides none)."""
    return next((b.rights for b in bureaus().deciding if b.source == source), None)


def _rules(source: str) -> RightsDesk:
    """The rules of a stored case: its bureau's desk, or the general rules should the bureau
    have stopped declaring one since the case was filed."""
    return desk_of(source) or _GENERAL


def officer_bureaus(principal: Principal) -> frozenset[str]:
    """The bureaus an officer decides for (their ``bureau:<source>`` scopes)."""
    return frozenset(
        s.removeprefix(BUREAU_SCOPE) for s in principal.scopes if s.startswith(BUREAU_SCOPE)
    )


def _fingerprint(new: NewCase) -> str:
    parts = [
        new.kind.value,
        new.target.value if new.target else "",
        new.subject_key,
        new.record.source.value,
        new.record.id,
        new.statement.strip(),
        *(hashlib.sha256(a.content).hexdigest() for a in new.attachments),
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


class GatewayRights:
    def __init__(
        self,
        pool: asyncpg.Pool,
        settings: Settings,
        principal: Principal,
        request_id: str,
        *,
        today: Callable[[], dt.date],
        kick: Callable[[], None] = lambda: None,
        changed: Callable[[], None] = lambda: None,
        clock: Callable[[], dt.datetime] = utc_now,
        index: CaseRecordIndex | None = None,
    ) -> None:
        self._pool = pool
        self._settings = settings
        self._policy = settings.rights
        self._principal = principal
        self._request_id = request_id
        self._today = today
        self._kick = kick
        self._changed = changed  # a case's state changed: kept public answers must go
        self._clock = clock
        self._index = index  # records with a case (None: read every record's)

    @classmethod
    def for_request(
        cls, state: GatewayState, principal: Principal, request_id: str
    ) -> GatewayRights:
        outbox = state.rights_outbox
        return cls(
            state.database.pool,
            state.settings,
            principal,
            request_id,
            today=state.today,
            kick=outbox.kick if outbox is not None else (lambda: None),
            changed=state.responses.invalidate if state.responses is not None else (lambda: None),
            index=state.case_records,
        )

    # --- shaping -----------------------------------------------------------------------------

    def _view(self, case: StoredCase, *, statement: bool) -> CaseView:
        state = case.state
        calendar = self._settings.publicity.working_calendar()
        desk = _rules(case.source)
        deadline = case_deadline(
            case.kind, case.source, desk, case.filed_on, calendar, self._policy
        )
        decided_on = decided_day(case)
        fixes = state.correction is not None and case.kind is CaseKind.OBJECTION
        return CaseView(
            id=case.id,
            kind=case.kind,
            target=case.target,
            round=case.round,
            subject_key=case.subject_key,
            subject_name=case.subject_name,
            source=case.source,
            record_id=case.record_id,
            record_title=case.record_title,
            filed_at=case.filed_at,
            filed_on=case.filed_on,
            due_on=case.due_on,
            deadline_basis=case.deadline_basis,
            channel=case.channel,
            state=state,
            overdue=overdue(state, deadline, self._today()),
            decided_in_time=None if decided_on is None else decided_on <= deadline.due_on,
            statement=case.filed_body.get("statement") if statement else None,
            commitment=case.filed_body.get("commitment") if statement else None,
            attachments=case.attachments if statement else (),
            delivered_at=case.delivered_at,
            correction_due=correction_due(desk, decided_on, calendar, self._policy)
            if fixes and decided_on
            else None,
        )

    async def _audit(
        self, conn: asyncpg.Connection, subjects: Sequence[tuple[str, CaseKind]], now: dt.datetime
    ) -> None:
        entries = [
            audit.AuditEntry.of(
                self._principal,
                at=now,
                subject_key=subject,
                request_id=self._request_id,
                purpose=_PURPOSE[kind],
                fields=("rightsCase",),
            )
            for subject, kind in dict.fromkeys(subjects)
        ]
        try:
            await audit.write(conn, entries)
        except audit.AuditWriteFailed:
            raise RightsAuditFailed from None

    # --- citizens ----------------------------------------------------------------------------

    def _citizen(self) -> str:
        key = self._principal.subject_key
        if self._principal.kind is not PrincipalKind.CITIZEN or key is None:
            raise Forbidden("请先通过机器人完成身份绑定")
        return key

    def _check_new(self, new: NewCase) -> tuple[str, RightsDesk]:
        policy = self._policy
        statement = check_text(
            new.statement,
            "statement",
            policy,
            what="异议理由" if new.kind is CaseKind.OBJECTION else "履行情况说明",
        )
        if len(new.attachments) > policy.max_attachments:
            raise InvalidCaseInput(f"附件最多{policy.max_attachments}个", "attachments")
        for attachment in new.attachments:
            check_attachment(attachment.name, attachment.media_type, attachment.content, policy)
        if new.kind is CaseKind.REPAIR and not new.commitment_accepted:
            raise CommitmentRequired
        if (new.kind is CaseKind.OBJECTION) != (new.target is not None):
            raise InvalidCaseInput("异议须说明针对记录内容、公示期限还是修复决定", "target")
        desk = desk_of(new.record.source.value)
        if desk is None:
            raise InvalidCaseInput(
                "该记录不是由认定部门记录的失信信息，不适用异议或修复", "recordId"
            )
        return statement, desk

    async def file(self, new: NewCase) -> CaseView:
        filer = self._citizen()
        if not may_act_for(self._principal, new.subject_key):
            raise Forbidden("只能为本人或本人担任法定代表人的企业提出申请")
        statement, desk = self._check_new(new)
        fingerprint = _fingerprint(new)
        record = new.record
        now = self._clock()
        today = self._today()
        async with self._pool.acquire() as conn, conn.transaction():
            if new.idempotency_key is not None:
                earlier = await store.load(
                    conn, "c.filed_by = $1 AND c.idempotency_key = $2", filer, new.idempotency_key
                )
                if earlier:
                    if earlier[0].fingerprint != fingerprint:
                        raise IdempotencyConflict
                    await self._audit(conn, [(earlier[0].subject_key, earlier[0].kind)], now)
                    return self._view(earlier[0], statement=True)
            await store.lock_record(conn, record.source.value, record.id)
            if self._index is not None:  # before the case commits: it is marked from then on
                self._index.filing(record.id)
            previous = await store.load(
                conn, "c.record_id = $1 AND c.source = $2", record.id, record.source.value
            )
            states = [c.state for c in previous]
            round_ = 1
            channel = None
            commitment = None
            if new.kind is CaseKind.OBJECTION:
                assert new.target is not None
                round_ = check_objection(new.target, states, self._policy)
            else:
                route = check_repair(record, today, self._settings.publicity, states)
                channel = route.channel
                commitment = commitment_text(new.subject_name, record.title, today)
            deadline = case_deadline(
                new.kind,
                record.source,
                desk,
                today,
                self._settings.publicity.working_calendar(),
                self._policy,
            )
            case_id = await store.insert_case(
                conn,
                kind=new.kind.value,
                target=new.target.value if new.target else None,
                round=round_,
                subject_key=new.subject_key,
                subject_name=new.subject_name,
                filed_by=filer,
                source=record.source.value,
                record_id=record.id,
                record_title=record.title,
                filed_at=now,
                filed_on=today,
                due_on=deadline.due_on,
                deadline_basis=deadline.basis,
                channel=channel,
                idempotency_key=new.idempotency_key,
                fingerprint=fingerprint,
                filed_via=self._principal.client_id if self._principal.via_bot else None,
                notify_ref=new.notify_ref if self._principal.via_bot else None,
            )
            extra: dict[str, object] = {"statement": statement}
            if commitment is not None:
                extra |= {"commitment": commitment, "commitmentVersion": COMMITMENT_VERSION}
            filed = Event(EventType.FILED, now, filer, new.kind)
            await store.append(conn, case_id, 1, filed, "citizen", extra)
            if new.attachments:
                await store.insert_attachments(conn, case_id, new.attachments)
            await self._audit(conn, [(new.subject_key, new.kind)], now)
            (case,) = await store.load(conn, "c.id = $1", case_id)
        self._changed()  # the record is marked 异议处理中 / 修复审核中 from now on
        return self._view(case, statement=True)

    async def withdraw(self, case_id: str, kind: CaseKind) -> CaseView:
        self._citizen()
        now = self._clock()
        async with self._pool.acquire() as conn, conn.transaction():
            case = await self._one(conn, case_id)
            if case.kind is not kind or not may_act_for(self._principal, case.subject_key):
                raise CaseNotFound
            state = apply(
                case.state, Event(EventType.WITHDRAWN, now, self._principal.subject_key or "")
            )
            event = Event(EventType.WITHDRAWN, now, self._principal.subject_key or "")
            await store.append(conn, case.id, state.events, event, "citizen")
            await self._audit(conn, [(case.subject_key, case.kind)], now)
            (case,) = await store.load(conn, "c.id = $1", case.id)
        self._changed()
        return self._view(case, statement=True)

    async def my_cases(self) -> list[CaseView]:
        me = self._citizen()
        subjects = [me, *sorted(self._principal.represents)]
        now = self._clock()
        async with self._pool.acquire() as conn, conn.transaction():
            cases = await store.load(
                conn, "c.subject_key = ANY($1::text[])", subjects, order="c.filed_at DESC, c.id"
            )
            await self._audit(conn, [(c.subject_key, c.kind) for c in cases], now)
        return [self._view(c, statement=True) for c in cases]

    # --- the bot: decisions to tell citizens about ----------------------------------------

    def _bot(self) -> str:
        p = self._principal
        if p.kind is not PrincipalKind.PUBLIC or not p.via_bot or p.client_id is None:
            raise Forbidden("决定通知仅限转交申请的机器人读取")
        return p.client_id

    async def notices(self, first: int) -> list[tuple[str, CaseView]]:
        """Decisions not yet told, oldest first: (the chat to tell, the case, no statement)."""
        client = self._bot()
        now = self._clock()
        async with self._pool.acquire() as conn, conn.transaction():
            chats = await store.pending_notices(conn, client, first)
            cases = await store.load(conn, "c.id = ANY($1::uuid[])", list(chats))
            await self._audit(conn, [(c.subject_key, c.kind) for c in cases], now)
        return [(chats[c.id], self._view(c, statement=False)) for c in cases]

    async def acknowledge(self, case_ids: Sequence[str]) -> int:
        """Mark these notices told; how many were pending."""
        client = self._bot()
        async with self._pool.acquire() as conn:
            try:
                return await store.acknowledge(conn, client, case_ids, self._clock())
            except asyncpg.DataError:  # not UUIDs
                raise CaseNotFound from None

    async def _one(self, conn: asyncpg.Connection, case_id: str) -> StoredCase:
        try:
            found = await store.load(conn, "c.id = $1::uuid", case_id, for_update=True)
        except asyncpg.DataError:  # not a UUID
            raise CaseNotFound from None
        if not found:
            raise CaseNotFound
        return found[0]

    # --- officers ----------------------------------------------------------------------------

    def _officer(self) -> frozenset[str]:
        p = self._principal
        if p.kind is not PrincipalKind.OFFICER or not (
            p.has_scope(ClientScope.OBJECTION_REVIEW) or p.has_scope(ClientScope.REPAIR_REVIEW)
        ):
            raise Forbidden("异议和信用修复的审核仅限具有审核权限的部门工作人员")
        return officer_bureaus(p)

    def _sources(self, source: str | None) -> list[str]:
        mine = self._officer()
        if source is not None and source not in mine:
            raise WrongBureau
        return sorted(mine if source is None else {source})

    async def decide(
        self,
        case_id: str,
        outcome: Outcome,
        reasons: Sequence[str],
        correction: Correction | None,
    ) -> CaseView:
        mine = self._officer()
        actor = self._principal.client_id or self._principal.display_name
        today = self._today()  # the gateway's calendar day: deadlines and effect count on it
        cleaned = tuple(
            check_text(r, "reasons", self._policy, what="决定理由") for r in reasons if r.strip()
        ) or tuple(reasons)
        now = self._clock()
        async with self._pool.acquire() as conn, conn.transaction():
            case = await self._one(conn, case_id)
            if case.source not in mine:
                raise WrongBureau
            if not self._principal.has_scope(_REVIEW_SCOPE[case.kind]):
                raise Forbidden(
                    f"审核{_PURPOSE[case.kind]}申请须具有 {_REVIEW_SCOPE[case.kind].value} 权限"
                )
            event = Event(
                EventType.DECIDED,
                now,
                actor,
                outcome=outcome,
                reasons=cleaned,
                correction=correction,
            )
            state = apply(case.state, event)
            try:
                await store.append(
                    conn,
                    case.id,
                    state.events,
                    event,
                    "officer",
                    {"officer": self._principal.display_name, "decidedOn": today.isoformat()},
                )
            except asyncpg.UniqueViolationError:  # another officer decided a moment ago
                raise CaseAlreadyDecided from None
            if state.correction is not None:
                payload = {
                    "decisionId": case.id,
                    "recordId": case.record_id,
                    **(store.correction_json(state.correction) or {}),
                    "effectiveOn": today.isoformat(),
                }
                await store.enqueue(conn, case.id, case.source, payload, now)
            if case.notify_ref is not None and case.filed_via is not None:
                await store.notify(conn, case.id, case.filed_via, case.notify_ref, now)
            await self._audit(conn, [(case.subject_key, case.kind)], now)
            (case,) = await store.load(conn, "c.id = $1", case.id)
        self._kick()
        self._changed()
        return self._view(case, statement=True)

    async def queue(self, source: str | None, include_decided: bool) -> list[CaseView]:
        sources = self._sources(source)
        now = self._clock()
        async with self._pool.acquire() as conn, conn.transaction():
            cases = await store.load(
                conn,
                _IN_BUREAUS if include_decided else _IN_BUREAUS + _STILL_OPEN,
                sources,
                order="c.due_on, c.filed_at, c.id",
                limit=_QUEUE_LIMIT,
            )
            await self._audit(conn, [(c.subject_key, c.kind) for c in cases], now)
        return [self._view(c, statement=True) for c in cases]

    async def stats(self, source: str | None, month: dt.date | None) -> list[BureauStats]:
        sources = self._sources(source)
        first = month.replace(day=1) if month is not None else None
        async with self._pool.acquire() as conn:
            cases = await store.load(
                conn,
                _IN_BUREAUS + _IN_MONTH,
                sources,
                first,
                limit=1_000_000,
            )
        return stats_rows([self._view(c, statement=False) for c in cases])

    # --- every record answer -----------------------------------------------------------------

    async def marks(self, keys: Sequence[tuple[str, str]]) -> Mapping[tuple[str, str], RecordMark]:
        """The marks of these (source, record id) pairs: open cases, decided corrections."""
        if self._index is not None:
            keys = [key for key in keys if self._index.may_have_cases(key[1])]
        if not keys:
            return {}
        async with self._pool.acquire() as conn:
            cases = await store.load(
                conn,
                "c.record_id = ANY($1::text[])",
                sorted({record_id for _, record_id in keys}),
                limit=100_000,
            )
        return marks_of(cases, set(keys))


async def open_case_counts(state: GatewayState) -> tuple[int, int]:
    """(open, overdue) cases across every bureau, for the metrics' gauges at scrape time.

    Counts only — no case is read out to anyone, so nothing is audited.  Overdue is judged
    by each case's own deadline on the gateway's day, exactly as the officers' queue shows it.
    """
    calendar = state.settings.publicity.working_calendar()
    today = state.today()
    async with state.database.pool.acquire() as conn:
        cases = await store.load(conn, "TRUE" + _STILL_OPEN, limit=1_000_000)
    late = sum(
        1
        for case in cases
        if overdue(
            case.state,
            case_deadline(
                case.kind,
                case.source,
                _rules(case.source),
                case.filed_on,
                calendar,
                state.settings.rights,
            ),
            today,
        )
    )
    return len(cases), late

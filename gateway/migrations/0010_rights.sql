-- Objections (异议) and credit repairs (信用修复): each case, its append-only event log (the
-- case's state is derived from its events, credit.rights.replay), its attachments, and the
-- outbox that delivers decisions to the bureau that recorded the information.

-- What a case is about; nothing here changes after filing.  subject_key is a USCC or a
-- person's subject key (HMAC), filed_by the citizen's subject key: never a clear ID number.
CREATE TABLE rights_cases (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    kind            text NOT NULL CHECK (kind IN ('OBJECTION', 'REPAIR')),
    target          text CHECK (target IN ('CONTENT', 'PUBLICITY_PERIOD', 'REPAIR_DECISION')),
    round           integer NOT NULL DEFAULT 1 CHECK (round >= 1),
    subject_key     text NOT NULL,
    subject_name    text NOT NULL,
    filed_by        text NOT NULL,
    source          text NOT NULL,
    record_id       text NOT NULL CHECK (length(record_id) BETWEEN 1 AND 200),
    record_title    text NOT NULL,
    filed_at        timestamptz NOT NULL,
    filed_on        date NOT NULL,
    due_on          date NOT NULL,
    deadline_basis  text NOT NULL,
    channel         text,
    idempotency_key text CHECK (length(idempotency_key) BETWEEN 1 AND 100),
    fingerprint     text NOT NULL,
    filed_via       text,               -- the client (the bot) that relayed the filing
    notify_ref      text CHECK (length(notify_ref) BETWEEN 1 AND 100),  -- its chat, to tell
    CHECK ((kind = 'OBJECTION') = (target IS NOT NULL)),
    UNIQUE (filed_by, idempotency_key)
);
CREATE INDEX rights_cases_by_record ON rights_cases (record_id, source);
CREATE INDEX rights_cases_by_filer ON rights_cases (filed_by, filed_at DESC);
CREATE INDEX rights_cases_by_bureau ON rights_cases (source, due_on, filed_at);

-- Who did what, when and why.  (case_id, seq) is the optimistic lock: two decisions racing
-- for one case cannot both be event 2.
CREATE TABLE rights_events (
    case_id    uuid NOT NULL REFERENCES rights_cases (id),
    seq        integer NOT NULL CHECK (seq >= 1),
    type       text NOT NULL CHECK (type IN ('FILED', 'WITHDRAWN', 'DECIDED')),
    at         timestamptz NOT NULL,
    actor_kind text NOT NULL,
    actor      text NOT NULL,
    body       jsonb NOT NULL DEFAULT '{}',
    PRIMARY KEY (case_id, seq),
    CHECK ((seq = 1) = (type = 'FILED'))
);

CREATE TABLE rights_attachments (
    case_id    uuid NOT NULL REFERENCES rights_cases (id),
    position   integer NOT NULL CHECK (position >= 0),
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    media_type text NOT NULL,
    size       integer NOT NULL CHECK (size >= 0),
    content    bytea NOT NULL,
    PRIMARY KEY (case_id, position)
);

CREATE FUNCTION rights_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER rights_events_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON rights_events
    FOR EACH STATEMENT EXECUTE FUNCTION rights_refuse_change();
CREATE TRIGGER rights_cases_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON rights_cases
    FOR EACH STATEMENT EXECUTE FUNCTION rights_refuse_change();
CREATE TRIGGER rights_attachments_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON rights_attachments
    FOR EACH STATEMENT EXECUTE FUNCTION rights_refuse_change();

-- Decisions still to reach their bureau, written in the decision's transaction; a row is done
-- when delivered_at is set.  Retried with backoff (gateway.rights.outbox), never dropped.
CREATE TABLE rights_outbox (
    id              bigserial PRIMARY KEY,
    case_id         uuid NOT NULL UNIQUE REFERENCES rights_cases (id),
    source          text NOT NULL,
    payload         jsonb NOT NULL,
    created_at      timestamptz NOT NULL,
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    delivered_at    timestamptz,
    last_error      text
);
CREATE INDEX rights_outbox_pending ON rights_outbox (next_attempt_at) WHERE delivered_at IS NULL;

-- A decision to tell the citizen about through the client that relayed the filing (the bot,
-- which asks for pending notices and acknowledges each once sent).  Written in the decision's
-- transaction, like the outbox row.
CREATE TABLE rights_notices (
    case_id         uuid PRIMARY KEY REFERENCES rights_cases (id),
    client_id       text NOT NULL,
    chat_ref        text NOT NULL,
    created_at      timestamptz NOT NULL,
    acknowledged_at timestamptz
);
CREATE INDEX rights_notices_pending ON rights_notices (client_id, created_at)
    WHERE acknowledged_at IS NULL;

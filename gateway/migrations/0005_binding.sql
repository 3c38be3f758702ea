-- Identity binding (身份绑定) of a citizen through the bot, and the SMS outbox.
--
-- A person is named by their subject key (an HMAC of the ID number, credit.access), never by
-- the clear number, everywhere except two columns that hold it because the bureaus can only
-- be asked by it: an open challenge (until it is confirmed, expires or is replaced) and a
-- live binding (until the person unbinds).  Codes are stored only as an HMAC.

-- One-time-code challenges, one open per person at a time.
CREATE TABLE binding_challenges (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    subject_key  text NOT NULL CHECK (subject_key ~ '^p:[0-9a-f]{64}$'),
    client_id    text NOT NULL,          -- the bot client that started it
    id_number    text,                   -- cleared when confirmed, replaced or expired
    code_hash    bytea NOT NULL CHECK (length(code_hash) = 32),
    phone_masked text NOT NULL,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    closed_at    timestamptz,            -- confirmed, replaced, locked out or unbound
    CHECK (expires_at > created_at)
);
CREATE INDEX binding_challenges_open ON binding_challenges (subject_key)
    WHERE closed_at IS NULL;

-- Wrong codes per person (across challenges: a new code does not reset the count) and the
-- lock that five of them set.
CREATE TABLE binding_locks (
    subject_key  text PRIMARY KEY,
    failures     integer NOT NULL DEFAULT 0 CHECK (failures >= 0),
    locked_until timestamptz
);

-- Live bindings: the person behind a subject key, for the gateway to ask bureaus with.
CREATE TABLE identity_bindings (
    subject_key text PRIMARY KEY,
    id_number   text NOT NULL,
    client_id   text NOT NULL,
    bound_at    timestamptz NOT NULL
);

-- Text messages waiting for the SMS gateway (the demo prints them: `creditgw sms tail`).
-- The clear phone number is what delivery needs; it is cleared once the message is sent.
CREATE TABLE sms_outbox (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    challenge_id uuid REFERENCES binding_challenges (id) ON DELETE SET NULL,
    phone        text,
    phone_masked text NOT NULL,
    message      text NOT NULL,
    created_at   timestamptz NOT NULL,
    sent_at      timestamptz
);
CREATE INDEX sms_outbox_unsent ON sms_outbox (id) WHERE sent_at IS NULL;

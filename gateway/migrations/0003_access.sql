-- Access control: API clients, consents, the audit log, trusted documents.

-- Bank, officer and bot clients.  Only a SHA-256 of each key is kept; the key's visible
-- prefix (cgw_live_<id>_…) names the row.
CREATE TABLE api_clients (
    id                    text PRIMARY KEY CHECK (id ~ '^[a-z0-9]{12}$'),
    kind                  text NOT NULL CHECK (kind IN ('bank', 'officer', 'bot')),
    name                  text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    bank_id               text,
    scopes                text[] NOT NULL DEFAULT '{}',
    rate_limit_per_minute integer CHECK (rate_limit_per_minute > 0),
    key_hash              bytea NOT NULL CHECK (length(key_hash) = 32),
    created_at            timestamptz NOT NULL DEFAULT now(),
    expires_at            timestamptz,
    revoked_at            timestamptz,
    CHECK ((kind = 'bank') = (bank_id IS NOT NULL))
);

-- A subject's authorisation of one bank (征信业管理条例 第十八条).  subject_code is a USCC or a
-- person's subject key (an HMAC), never a clear ID number; granted_by is the subject key of
-- the citizen who granted it (the person, or an enterprise's legal representative).
CREATE TABLE consents (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    subject_code text NOT NULL,
    bank_id      text NOT NULL,
    scopes       text[] NOT NULL CHECK (
                     cardinality(scopes) > 0
                     AND scopes <@ ARRAY['tax', 'hrss', 'utilities', 'full_report']),
    purpose      text NOT NULL CHECK (length(purpose) BETWEEN 1 AND 100),
    granted_by   text NOT NULL,
    granted_on   date NOT NULL,
    ends_on      date NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    revoked_at   timestamptz,
    CHECK (ends_on >= granted_on)
);
CREATE INDEX consents_live_by_bank ON consents (bank_id, subject_code) WHERE revoked_at IS NULL;
CREATE INDEX consents_by_subject ON consents (subject_code, created_at DESC);

-- Who read whose data (征信业管理条例 第二十二条: kept at least 5 years).  Append-only: a
-- statement trigger refuses UPDATE, DELETE and TRUNCATE on the table and on every partition,
-- and the privileges are revoked as well.  Partitioned by month (UTC) so 5+ years stay cheap;
-- retention past the legal minimum is DROP TABLE of a whole old partition by an administrator.
CREATE SEQUENCE audit_log_id_seq AS bigint;
CREATE TABLE audit_log (
    id             bigint NOT NULL DEFAULT nextval('audit_log_id_seq'),
    at             timestamptz NOT NULL,
    principal_kind text NOT NULL,
    client_id      text,
    principal_name text NOT NULL,
    subject_key    text NOT NULL,
    purpose        text,
    consent_id     text,
    scopes         text[] NOT NULL DEFAULT '{}',
    fields         text[] NOT NULL DEFAULT '{}',
    request_id     text NOT NULL,
    PRIMARY KEY (at, id)
) PARTITION BY RANGE (at);
ALTER SEQUENCE audit_log_id_seq OWNED BY audit_log.id;
CREATE INDEX audit_log_by_subject ON audit_log (subject_key, at DESC, id DESC);

CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER audit_log_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC, CURRENT_USER;

-- Create the partition holding `day`'s month (UTC) if missing; returns its name.  Safe to
-- call concurrently: an advisory transaction lock serialises creators.
CREATE FUNCTION audit_log_ensure_partition(day date) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    first_day date := date_trunc('month', day)::date;
    part text := format('audit_log_y%sm%s', to_char(first_day, 'YYYY'), to_char(first_day, 'MM'));
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('audit_log_partitions'));
    IF to_regclass(quote_ident(part)) IS NULL THEN
        EXECUTE format(
            'CREATE TABLE %I PARTITION OF audit_log FOR VALUES FROM (%L) TO (%L)',
            part,
            first_day::text || ' 00:00:00+00',
            (first_day + interval '1 month')::date::text || ' 00:00:00+00');
        EXECUTE format(
            'CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON %I '
            'FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change()', part);
        EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON %I FROM PUBLIC, CURRENT_USER', part);
    END IF;
    RETURN part;
END
$$;

SELECT audit_log_ensure_partition(((now() AT TIME ZONE 'UTC') + make_interval(months => m))::date)
FROM generate_series(0, 2) AS m;

-- Persisted operations allowed to callers restricted to trusted documents (besides the
-- bot's own operations/*.graphql files, loaded at start-up).
CREATE TABLE trusted_documents (
    sha256     text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    body       text NOT NULL,
    name       text,
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (sha256 = encode(sha256(convert_to(body, 'UTF8')), 'hex'))
);

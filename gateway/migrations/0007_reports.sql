-- Credit reports issued (credit.report_seal): the number, when, and the signed digest, so that
-- anyone holding a report can have it verified; never the report's content.  A number is
-- XYBG + the report day + that day's sequence, counted here one row per day.
CREATE TABLE report_sequences (
    day date PRIMARY KEY,
    last_sequence integer NOT NULL CHECK (last_sequence > 0)
);

CREATE TABLE credit_reports (
    number text PRIMARY KEY,
    issued_at timestamptz NOT NULL,
    digest text NOT NULL CHECK (digest ~ '^[0-9a-f]{64}$'),
    subject_key text NOT NULL,  -- USCC, or a person's keyed hash (never an ID number)
    request_id text NOT NULL
);

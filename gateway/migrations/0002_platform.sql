-- Platform data: what the credit platform itself holds (not a bureau) — 守信激励 red lists,
-- 信用承诺 credit commitments and 信用评价 credit evaluations, for organisations (USCC).
-- Filled by gateway.seed.seed_platform from the synthetic world (in production: the
-- platform's intake).  Reads are by subject in batches:
--     SELECT ... FROM red_list_entries WHERE subject_code = ANY($1::text[])
-- which the (subject_code, ...) indexes serve.  Dates are inclusive; a NULL valid_until
-- means "until removed / no end".

CREATE TABLE red_list_entries (
    id            text PRIMARY KEY,
    subject_code  text NOT NULL
                  CHECK (subject_code ~ '^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$'),
    subject_name  text NOT NULL,
    list_name     text NOT NULL CHECK (list_name <> ''),   -- e.g. A级纳税人, 守合同重信用企业
    authority     text NOT NULL,                            -- the listing authority
    legal_basis   text NOT NULL DEFAULT '',
    listed_on     date NOT NULL,
    valid_until   date,                                     -- last day on the list
    CHECK (valid_until IS NULL OR valid_until >= listed_on)
);
CREATE INDEX red_list_entries_by_subject ON red_list_entries (subject_code, listed_on);

CREATE TABLE credit_commitments (
    id                 text PRIMARY KEY,
    subject_code       text NOT NULL
                       CHECK (subject_code ~ '^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$'),
    subject_name       text NOT NULL,
    commitment_type    text NOT NULL CHECK (commitment_type <> ''),  -- 信用修复型, 主动型, ...
    content            text NOT NULL,
    authority          text NOT NULL,                   -- where the commitment was made
    made_on            date NOT NULL,
    valid_until        date,
    status             text NOT NULL CHECK (status IN ('履约中', '已履约', '违诺')),
    related_record_id  text,                            -- the record a 信用修复 commitment is for
    CHECK (valid_until IS NULL OR valid_until >= made_on)
);
CREATE INDEX credit_commitments_by_subject ON credit_commitments (subject_code, made_on);

CREATE TABLE credit_evaluations (
    id            text PRIMARY KEY,
    subject_code  text NOT NULL
                  CHECK (subject_code ~ '^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$'),
    subject_name  text NOT NULL,
    scheme        text NOT NULL CHECK (scheme <> ''),   -- 公共信用综合评价, 建筑市场主体信用评价
    evaluator     text NOT NULL,
    level         text NOT NULL CHECK (level <> ''),    -- A-D, or AAA/AA/A/B by scheme
    score         numeric(4, 1) CHECK (score >= 0 AND score <= 100),  -- NULL: level only
    evaluated_on  date NOT NULL,
    valid_until   date,
    CHECK (valid_until IS NULL OR valid_until >= evaluated_on)
);
CREATE INDEX credit_evaluations_by_subject ON credit_evaluations (subject_code, evaluated_on);

-- 信易贷 financing: loan products (versioned), pre-check decisions with their evidence, and
-- the loan outcomes banks report back (以信获贷、以贷促信).
--
-- Products and decisions are append-only: a product changes by a new version (the decisions
-- made under an old version keep pointing at it), and a decision is never edited.  Parameters
-- and rules are JSON in the form credit.financing.products reads (it validates them).

CREATE FUNCTION financing_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TABLE financing_products (
    code        text NOT NULL CHECK (code ~ '^[A-Z][A-Z0-9_]{1,39}$'),
    version     integer NOT NULL CHECK (version >= 1),
    bank_id     text NOT NULL CHECK (length(bank_id) BETWEEN 1 AND 100),
    bank_name   text NOT NULL CHECK (length(bank_name) BETWEEN 1 AND 200),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    parameters  jsonb NOT NULL CHECK (jsonb_typeof(parameters) = 'object'),
    rules       jsonb NOT NULL CHECK (jsonb_typeof(rules) = 'array'),
    active      boolean NOT NULL,
    created_by  text NOT NULL,            -- 'seed', or the operator who made the version
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (code, version)
);
CREATE TRIGGER financing_products_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON financing_products
    FOR EACH STATEMENT EXECUTE FUNCTION financing_refuse_change();

-- A batch pre-check's idempotency record; its decisions are rows of financing_prechecks.
CREATE TABLE financing_batches (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    bank_id         text NOT NULL,
    idempotency_key text NOT NULL,
    fingerprint     text NOT NULL CHECK (fingerprint ~ '^[0-9a-f]{64}$'),
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (bank_id, idempotency_key)
);

-- One decision on one enterprise.  bank_name is who ran it, as the enterprise is shown it;
-- reasons hold every rule's verdict with its observed value, threshold and the provenance of
-- the facts read; consent_ids the consents the gated facts were read under.
CREATE TABLE financing_prechecks (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    bank_id         text NOT NULL,
    client_id       text NOT NULL,
    bank_name       text NOT NULL,
    idempotency_key text,                 -- a single pre-check's; batch items have none
    batch_id        uuid REFERENCES financing_batches (id),
    batch_position  integer CHECK (batch_position >= 0),
    fingerprint     text NOT NULL CHECK (fingerprint ~ '^[0-9a-f]{64}$'),
    uscc            text NOT NULL
                    CHECK (uscc ~ '^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$'),
    product_code    text NOT NULL,
    product_version integer NOT NULL,
    amount          numeric(16, 2) NOT NULL CHECK (amount > 0),
    purpose         text NOT NULL,
    outcome         text NOT NULL CHECK (outcome IN ('PASS', 'REFER', 'DECLINE')),
    score           integer NOT NULL CHECK (score BETWEEN 0 AND 100),
    suggested_limit numeric(16, 2) CHECK (suggested_limit >= 0),
    reasons         jsonb NOT NULL CHECK (jsonb_typeof(reasons) = 'array'),
    consent_ids     text[] NOT NULL DEFAULT '{}',
    decided_on      date NOT NULL,
    request_id      text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (product_code, product_version) REFERENCES financing_products (code, version),
    UNIQUE (bank_id, idempotency_key),
    UNIQUE (batch_id, batch_position),
    CHECK ((idempotency_key IS NULL) = (batch_id IS NOT NULL)),
    CHECK ((batch_id IS NULL) = (batch_position IS NULL))
);
CREATE INDEX financing_prechecks_by_enterprise ON financing_prechecks (uscc, created_at DESC, id);
CREATE INDEX financing_prechecks_by_product_day ON financing_prechecks (product_code, decided_on);
CREATE TRIGGER financing_prechecks_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON financing_prechecks
    FOR EACH STATEMENT EXECUTE FUNCTION financing_refuse_change();

-- What the bank did after a pre-check: at most one report per pre-check, never changed.
CREATE TABLE financing_loan_outcomes (
    precheck_id         uuid PRIMARY KEY REFERENCES financing_prechecks (id),
    outcome             text NOT NULL CHECK (outcome IN ('APPROVED', 'DECLINED', 'WITHDRAWN')),
    amount              numeric(16, 2) CHECK (amount > 0),
    annual_rate_percent numeric(7, 4) CHECK (annual_rate_percent > 0),
    term_months         integer CHECK (term_months BETWEEN 1 AND 360),
    fingerprint         text NOT NULL CHECK (fingerprint ~ '^[0-9a-f]{64}$'),
    reported_by         text NOT NULL,    -- the bank client
    reported_at         timestamptz NOT NULL DEFAULT now(),
    CHECK (
        (outcome = 'APPROVED')
        = (amount IS NOT NULL AND annual_rate_percent IS NOT NULL AND term_months IS NOT NULL)
    ),
    CHECK (outcome = 'APPROVED' OR (amount IS NULL AND annual_rate_percent IS NULL
                                    AND term_months IS NULL))
);
CREATE TRIGGER financing_loan_outcomes_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON financing_loan_outcomes
    FOR EACH STATEMENT EXECUTE FUNCTION financing_refuse_change();

-- The seeded products, modelled on DOMAIN.md §5 (synthetic banks; demo-bank is the demo's).
INSERT INTO financing_products (code, version, bank_id, bank_name, name, parameters, rules,
                                active, created_by)
VALUES
(
    'BANK_TAX_LOAN', 1, 'demo-bank', '演示银行（合成数据）', '银税贷',
    '{"min_amount_yuan": "10000", "max_amount_yuan": "1000000",
      "min_term_months": 1, "max_term_months": 36,
      "accepted_tax_grades": ["A", "B", "C"],
      "limit_by_grade_yuan": {"A": "1000000", "B": "800000", "C": "300000"},
      "tax_paid_multiple": "10", "min_operating_months": 24, "min_tax_paid_yuan": "30000",
      "lookback_months": 12, "recent_payment_months": 3,
      "zero_return_run_limit": 3, "zero_return_total_limit": 6,
      "min_social_insurance_months": 6, "max_utility_arrears_yuan": "0",
      "legal_rep_min_age": 18, "legal_rep_max_age": 65}',
    '[{"rule": "ACTIVE_STATUS", "hard": true}, {"rule": "NOT_DEFAULTER", "hard": true},
      {"rule": "LEGAL_REP_NOT_DEFAULTER", "hard": true},
      {"rule": "NO_SERIOUS_LISTS", "hard": true}, {"rule": "NOT_ABNORMAL", "hard": true},
      {"rule": "NO_SERIOUS_PENALTY", "hard": true}, {"rule": "TAX_GRADE", "hard": true},
      {"rule": "OPERATING_MONTHS", "hard": true}, {"rule": "TAX_PAID", "hard": true},
      {"rule": "RECENT_TAX_PAYMENT", "hard": false}, {"rule": "ZERO_RETURNS", "hard": true},
      {"rule": "CONSENT", "hard": true}, {"rule": "AMOUNT_WITHIN_LIMIT", "hard": false}]',
    true, 'seed'
),
(
    'RURAL_CREDIT_LOAN', 1, 'demo-rural-bank', '演示农商银行（合成数据）', '惠农信用贷',
    '{"min_amount_yuan": "10000", "max_amount_yuan": "500000",
      "min_term_months": 1, "max_term_months": 24,
      "accepted_tax_grades": ["A", "B"],
      "limit_by_grade_yuan": {"A": "500000", "B": "300000"},
      "tax_paid_multiple": "8", "min_operating_months": 36, "min_tax_paid_yuan": "50000",
      "lookback_months": 12, "recent_payment_months": 2,
      "zero_return_run_limit": 2, "zero_return_total_limit": 3,
      "min_social_insurance_months": 10, "max_utility_arrears_yuan": "0",
      "legal_rep_min_age": 22, "legal_rep_max_age": 60}',
    '[{"rule": "ACTIVE_STATUS", "hard": true}, {"rule": "NOT_DEFAULTER", "hard": true},
      {"rule": "LEGAL_REP_NOT_DEFAULTER", "hard": true},
      {"rule": "NO_SERIOUS_LISTS", "hard": true}, {"rule": "NOT_ABNORMAL", "hard": true},
      {"rule": "NO_SERIOUS_PENALTY", "hard": true}, {"rule": "TAX_GRADE", "hard": true},
      {"rule": "OPERATING_MONTHS", "hard": true}, {"rule": "TAX_PAID", "hard": true},
      {"rule": "RECENT_TAX_PAYMENT", "hard": true}, {"rule": "ZERO_RETURNS", "hard": true},
      {"rule": "SOCIAL_INSURANCE", "hard": true}, {"rule": "UTILITY_ARREARS", "hard": false},
      {"rule": "LEGAL_REP_AGE", "hard": true}, {"rule": "CONSENT", "hard": true},
      {"rule": "AMOUNT_WITHIN_LIMIT", "hard": false}]',
    true, 'seed'
),
(
    'INCLUSIVE_LOAN', 1, 'demo-bank', '演示银行（合成数据）', '普惠小微贷',
    '{"min_amount_yuan": "5000", "max_amount_yuan": "600000",
      "min_term_months": 1, "max_term_months": 36,
      "accepted_tax_grades": ["A", "B", "M", "C"],
      "limit_by_grade_yuan": {"A": "600000", "B": "500000", "M": "300000", "C": "200000"},
      "min_operating_months": 12, "min_tax_paid_yuan": "10000",
      "lookback_months": 12, "recent_payment_months": 3,
      "zero_return_run_limit": 3, "zero_return_total_limit": 6,
      "min_social_insurance_months": 3, "max_utility_arrears_yuan": "2000",
      "legal_rep_min_age": 18, "legal_rep_max_age": 65}',
    '[{"rule": "ACTIVE_STATUS", "hard": true}, {"rule": "NOT_DEFAULTER", "hard": true},
      {"rule": "LEGAL_REP_NOT_DEFAULTER", "hard": true},
      {"rule": "NO_SERIOUS_LISTS", "hard": true}, {"rule": "NOT_ABNORMAL", "hard": true},
      {"rule": "NO_SERIOUS_PENALTY", "hard": true}, {"rule": "TAX_GRADE", "hard": true},
      {"rule": "OPERATING_MONTHS", "hard": true}, {"rule": "TAX_PAID", "hard": false},
      {"rule": "RECENT_TAX_PAYMENT", "hard": false}, {"rule": "ZERO_RETURNS", "hard": false},
      {"rule": "SOCIAL_INSURANCE", "hard": false}, {"rule": "UTILITY_ARREARS", "hard": false},
      {"rule": "CONSENT", "hard": true}, {"rule": "AMOUNT_WITHIN_LIMIT", "hard": false}]',
    true, 'seed'
),
(
    'PURE_CREDIT_LOAN', 1, 'demo-bank', '演示银行（合成数据）', '纯信用贷',
    '{"min_amount_yuan": "10000", "max_amount_yuan": "300000",
      "min_term_months": 1, "max_term_months": 12,
      "accepted_tax_grades": ["A", "B"],
      "limit_by_grade_yuan": {"A": "300000", "B": "200000"},
      "min_operating_months": 24, "min_tax_paid_yuan": "20000",
      "lookback_months": 12, "recent_payment_months": 3,
      "zero_return_run_limit": 3, "zero_return_total_limit": 6,
      "min_social_insurance_months": 6, "max_utility_arrears_yuan": "0",
      "legal_rep_min_age": 18, "legal_rep_max_age": 65}',
    '[{"rule": "ACTIVE_STATUS", "hard": true}, {"rule": "NOT_DEFAULTER", "hard": true},
      {"rule": "LEGAL_REP_NOT_DEFAULTER", "hard": true},
      {"rule": "NO_SERIOUS_LISTS", "hard": true}, {"rule": "NOT_ABNORMAL", "hard": true},
      {"rule": "NO_SERIOUS_PENALTY", "hard": true}, {"rule": "TAX_GRADE", "hard": true},
      {"rule": "OPERATING_MONTHS", "hard": true}, {"rule": "TAX_PAID", "hard": true},
      {"rule": "RECENT_TAX_PAYMENT", "hard": false}, {"rule": "ZERO_RETURNS", "hard": true},
      {"rule": "SOCIAL_INSURANCE", "hard": true}, {"rule": "UTILITY_ARREARS", "hard": true},
      {"rule": "CONSENT", "hard": true}, {"rule": "AMOUNT_WITHIN_LIMIT", "hard": false}]',
    true, 'seed'
);

-- The set of consent scopes is the bureaus' (connectors.registry): each consent-gated bureau
-- declares its own, so a new bureau needs no migration.  The gateway checks a consent's scopes
-- against the registry before it writes one; the table keeps only what holds for every scope:
-- at least one, each a lower-case identifier.
ALTER TABLE consents DROP CONSTRAINT IF EXISTS consents_scopes_check;
ALTER TABLE consents ADD CONSTRAINT consents_scopes_check CHECK (
    cardinality(scopes) > 0
    AND array_to_string(scopes, ',') ~ '^[a-z][a-z0-9_]*(,[a-z][a-z0-9_]*)*$'
);

-- Every gateway knows which records have an objection or repair case (gateway.rights.index), so
-- that a record without one is shown without a query: each new case tells them, when it commits,
-- with NOTIFY creditgw_rights, '<record id>'.  Cases are append-only (0010), so a record once
-- named stays named.
CREATE FUNCTION creditgw_rights_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('creditgw_rights', NEW.record_id);
    RETURN NULL;
END $$;

CREATE TRIGGER rights_cases_notify_insert AFTER INSERT ON rights_cases
    FOR EACH ROW EXECUTE FUNCTION creditgw_rights_notify();

-- The platform tables tell every gateway what changed, so that each can keep their rows in
-- memory (connectors.platform.PlatformCache) and still show the platform's own writes at once:
-- NOTIFY creditgw_platform, '<subject code>' for each subject whose rows a statement touched,
-- '*' when a statement touched more than 100 subjects or emptied a table.  Notifications go
-- out when the writing transaction commits, and not at all when it rolls back.
CREATE FUNCTION creditgw_platform_notify() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    codes text[];
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        PERFORM pg_notify('creditgw_platform', '*');
        RETURN NULL;
    ELSIF TG_OP = 'INSERT' THEN
        SELECT array_agg(DISTINCT subject_code) INTO codes FROM new_rows;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(DISTINCT subject_code) INTO codes FROM old_rows;
    ELSE
        SELECT array_agg(DISTINCT subject_code) INTO codes
        FROM (SELECT subject_code FROM new_rows UNION SELECT subject_code FROM old_rows) AS changed;
    END IF;
    IF codes IS NULL THEN
        RETURN NULL;
    ELSIF cardinality(codes) > 100 THEN
        PERFORM pg_notify('creditgw_platform', '*');
    ELSE
        PERFORM pg_notify('creditgw_platform', code) FROM unnest(codes) AS code;
    END IF;
    RETURN NULL;
END $$;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['red_list_entries', 'credit_commitments', 'credit_evaluations'] LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION creditgw_platform_notify()',
                       t || '_notify_insert', t);
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I '
                       'REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION creditgw_platform_notify()',
                       t || '_notify_update', t);
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION creditgw_platform_notify()',
                       t || '_notify_delete', t);
        EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION creditgw_platform_notify()',
                       t || '_notify_truncate', t);
    END LOOP;
END $$;

-- A subject token names the binding it was issued for (claim "bid"), and is good only while
-- that binding lives: unbinding (the row goes) or binding again (a new id) revokes every token
-- issued before, on every replica at once (NOTIFY creditgw_identity_bindings, gateway.auth).
ALTER TABLE identity_bindings
    ADD COLUMN binding_id uuid NOT NULL DEFAULT gen_random_uuid();

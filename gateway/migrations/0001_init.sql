-- What synthetic world the platform tables were seeded from, so a demo restart does not reseed.
CREATE TABLE world_seed (
    id          boolean PRIMARY KEY DEFAULT true CHECK (id),
    seed        bigint      NOT NULL,
    enterprises integer     NOT NULL,
    seeded_at   timestamptz NOT NULL DEFAULT now()
);

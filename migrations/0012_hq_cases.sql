-- Cases headquarters sends down for this hall (accepted elsewhere, by the
-- hotline or online), so the hall's queue shows them too. Never written by
-- the counter's own acts.
CREATE TABLE hq_case (
    ticket      TEXT PRIMARY KEY,
    holder_name TEXT NOT NULL,
    holder_id   TEXT NOT NULL,
    form        TEXT NOT NULL,
    step        TEXT NOT NULL,
    due_date    TEXT,
    owner       TEXT NOT NULL DEFAULT '',
    open        INTEGER NOT NULL,
    hq_seq      INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX hq_case_open_due ON hq_case(due_date) WHERE open = 1;

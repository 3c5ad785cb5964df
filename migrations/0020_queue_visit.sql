-- A ticket of the hall's queue as this window served it: called here, and
-- how it ended (served, a no-show, transferred), with the receipts and
-- tickets of the transactions done for it. Written once, when it ends at
-- this window, and sent to HQ with the counter's records.
CREATE TABLE queue_visit (
    id          INTEGER PRIMARY KEY,
    ticket      TEXT NOT NULL,
    day         TEXT NOT NULL,
    window      TEXT NOT NULL,
    clerk_id    INTEGER NOT NULL REFERENCES clerk(id),
    group_code  TEXT NOT NULL,
    green       INTEGER NOT NULL,
    outcome     TEXT NOT NULL CHECK (outcome IN ('served', 'no_show', 'transferred')),
    issued_at   TEXT NOT NULL,
    called_at   TEXT NOT NULL,
    ended_at    TEXT NOT NULL,
    refs        TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX queue_visit_day ON queue_visit (day);

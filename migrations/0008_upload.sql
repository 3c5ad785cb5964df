-- The upload log. Every audited write leaves one record that stands alone:
-- the whole aggregate as HQ needs it, serialised once as canonical bytes with
-- their sha256, keyed by (epoch, seq) and chained over (seq, sha256).
-- A database holds one line of history, so its sequence is unique in it and
-- is the row id: a commit writes the record's own page and no index. A new
-- epoch (after a restore) continues the numbers and starts a new chain.
-- Records from before the upload existed carried no snapshot; they stay in
-- outbox_legacy and are not sent.
ALTER TABLE outbox RENAME TO outbox_legacy;

CREATE TABLE outbox (
    seq       INTEGER PRIMARY KEY,
    epoch     INTEGER NOT NULL,
    at        TEXT NOT NULL,
    day       TEXT NOT NULL,
    kind      TEXT NOT NULL,
    schema    INTEGER NOT NULL,
    amount    INTEGER NOT NULL DEFAULT 0,
    sha256    TEXT NOT NULL,
    chain     TEXT NOT NULL,
    state     TEXT NOT NULL DEFAULT 'waiting'
              CHECK (state IN ('waiting', 'acknowledged', 'quarantined', 'forked')),
    verdict   TEXT,
    acked_at  TEXT,
    -- Last, so reading the columns above never walks a long payload.
    payload   BLOB NOT NULL
);
-- New records are 'waiting' and stay out of this index, so a commit does
-- not pay for it; the waiting queue is found from the acknowledged mark.
CREATE INDEX outbox_held ON outbox(state) WHERE state IN ('quarantined', 'forked');

-- What HQ publishes for the counter, applied with HQ's own sequence in the
-- same transaction; local writes never touch these tables.
CREATE TABLE hq_account (
    account_no  TEXT PRIMARY KEY,
    holder_name TEXT NOT NULL,
    holder_id   TEXT NOT NULL,
    address     TEXT NOT NULL DEFAULT '',
    state       TEXT NOT NULL,
    hq_seq      INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX hq_account_holder ON hq_account(holder_id);

CREATE TABLE hq_bill (
    account_no  TEXT NOT NULL,
    period      TEXT NOT NULL,
    holder_name TEXT NOT NULL,
    class       TEXT NOT NULL,
    arrears_fen INTEGER NOT NULL CHECK (arrears_fen >= 0),
    due_date    TEXT NOT NULL,
    hq_seq      INTEGER NOT NULL,
    PRIMARY KEY (account_no, period)
) WITHOUT ROWID;

CREATE TABLE hq_case_step (
    ticket      TEXT NOT NULL,
    step        TEXT NOT NULL,
    state       TEXT NOT NULL,
    at          TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    hq_seq      INTEGER NOT NULL,
    PRIMARY KEY (ticket, step)
) WITHOUT ROWID;

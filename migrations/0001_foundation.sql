-- Foundation: clerks, customers, accounts, applications (filled by acceptance),
-- the hash-chained audit log and the upload outbox.

CREATE TABLE clerk (
    id              INTEGER PRIMARY KEY,
    staff_no        TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('clerk', 'duty_manager', 'trainer', 'admin')),
    password_hash   TEXT NOT NULL,
    disabled        INTEGER NOT NULL DEFAULT 0,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until    TEXT,
    created_at      TEXT NOT NULL
);

CREATE TABLE customer (
    id              INTEGER PRIMARY KEY,
    id_no           TEXT NOT NULL UNIQUE,
    id_kind         TEXT NOT NULL,
    name            TEXT NOT NULL,
    phone           TEXT,
    address         TEXT,
    birth_date      TEXT,
    gender          TEXT,
    created_at      TEXT NOT NULL,
    created_by      INTEGER REFERENCES clerk(id),
    -- A suspicious ID accepted on a duty manager's sign-off keeps who and why.
    id_signoff_by   INTEGER REFERENCES clerk(id),
    id_signoff_reason TEXT
);

CREATE TABLE customer_flag (
    customer_id INTEGER NOT NULL REFERENCES customer(id),
    flag        TEXT NOT NULL,
    set_by      INTEGER REFERENCES clerk(id),
    set_at      TEXT NOT NULL,
    PRIMARY KEY (customer_id, flag)
) WITHOUT ROWID;

-- Electricity accounts (户号): never a fixed length.
CREATE TABLE account (
    id          INTEGER PRIMARY KEY,
    account_no  TEXT NOT NULL UNIQUE,
    customer_id INTEGER NOT NULL REFERENCES customer(id),
    address     TEXT NOT NULL,
    tariff      TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'active'
);
CREATE INDEX account_customer ON account(customer_id);

CREATE TABLE application (
    id           INTEGER PRIMARY KEY,
    ticket_no    TEXT NOT NULL UNIQUE,
    customer_id  INTEGER NOT NULL REFERENCES customer(id),
    form_code    TEXT NOT NULL,
    form_version TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'open',
    accepted_by  INTEGER NOT NULL REFERENCES clerk(id),
    owner        INTEGER NOT NULL REFERENCES clerk(id),
    accepted_at  TEXT NOT NULL
);
CREATE INDEX application_customer ON application(customer_id, status);

-- Every event, chained: hash = sha256(prev_hash | seq | at | clerk | action | subject | detail).
CREATE TABLE audit_log (
    seq       INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    clerk_id  INTEGER,
    action    TEXT NOT NULL,
    subject   TEXT NOT NULL,
    detail    TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);

-- Records waiting to go up to headquarters; drained by the uploader.
CREATE TABLE outbox (
    seq       INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    kind      TEXT NOT NULL,
    payload   TEXT NOT NULL,
    sent_at   TEXT
);

-- Small facts about this database: the audit chain head lives here so that
-- deleting the newest audit rows is also detected.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

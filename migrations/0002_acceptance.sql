-- One-window acceptance: what each application holds, what was disclosed
-- under which form version, what is owed and by when, and who owns it.

-- The exact form a customer was told about; a later edit of the file makes a
-- new snapshot and never changes an accepted application.
CREATE TABLE form_snapshot (
    id      INTEGER PRIMARY KEY,
    code    TEXT NOT NULL,
    version TEXT NOT NULL,
    sha256  TEXT NOT NULL UNIQUE,
    body    TEXT NOT NULL
);

ALTER TABLE application ADD COLUMN form_snapshot_id INTEGER REFERENCES form_snapshot(id);
ALTER TABLE application ADD COLUMN fields TEXT NOT NULL DEFAULT '{}';
ALTER TABLE application ADD COLUMN commitment_signed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE application ADD COLUMN duplicate_reason TEXT;
ALTER TABLE application ADD COLUMN window TEXT NOT NULL DEFAULT '';

-- Per day and window, the last ticket sequence handed out.
CREATE TABLE ticket_counter (
    day    TEXT NOT NULL,
    window TEXT NOT NULL,
    last   INTEGER NOT NULL,
    PRIMARY KEY (day, window)
) WITHOUT ROWID;

CREATE TABLE application_step (
    application_id INTEGER NOT NULL REFERENCES application(id),
    seq            INTEGER NOT NULL,
    step_id        TEXT NOT NULL,
    name_zh        TEXT NOT NULL,
    name_en        TEXT NOT NULL,
    limit_wd       INTEGER NOT NULL,
    starts_from    TEXT NOT NULL,
    due_date       TEXT,
    due_estimated  INTEGER NOT NULL DEFAULT 0,
    status         TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'current', 'done')),
    PRIMARY KEY (application_id, seq)
) WITHOUT ROWID;

CREATE TABLE application_material (
    application_id INTEGER NOT NULL REFERENCES application(id),
    seq            INTEGER NOT NULL,
    material_id    TEXT NOT NULL,
    name_zh        TEXT NOT NULL,
    name_en        TEXT NOT NULL,
    form           TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('received', 'owed')),
    due_date       TEXT,
    due_estimated  INTEGER NOT NULL DEFAULT 0,
    received_at    TEXT,
    received_by    INTEGER REFERENCES clerk(id),
    PRIMARY KEY (application_id, material_id)
) WITHOUT ROWID;
CREATE INDEX application_material_owed ON application_material(status, due_date);

-- Who disclosed which item, when; the text is kept as it was read out.
CREATE TABLE disclosure (
    application_id INTEGER NOT NULL REFERENCES application(id),
    item_kind      TEXT NOT NULL,
    item_id        TEXT NOT NULL,
    seq            INTEGER NOT NULL,
    text_zh        TEXT NOT NULL,
    text_en        TEXT NOT NULL,
    disclosed_by   INTEGER NOT NULL REFERENCES clerk(id),
    disclosed_at   TEXT NOT NULL,
    PRIMARY KEY (application_id, item_kind, item_id)
) WITHOUT ROWID;

-- First-question responsibility: every change of owner, with who and why.
CREATE TABLE application_handover (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES application(id),
    from_owner     INTEGER NOT NULL REFERENCES clerk(id),
    to_owner       INTEGER NOT NULL REFERENCES clerk(id),
    by_clerk       INTEGER NOT NULL REFERENCES clerk(id),
    at             TEXT NOT NULL,
    reason         TEXT NOT NULL
);

-- An acceptance in progress, kept so that Esc, a sign-out or a power cut
-- loses at most the field being typed. Workstation scratch, not a business
-- record: it is neither audited nor uploaded until accepted.
CREATE TABLE draft (
    clerk_id    INTEGER NOT NULL REFERENCES clerk(id),
    customer_id INTEGER NOT NULL REFERENCES customer(id),
    form_code   TEXT NOT NULL,
    data        TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (clerk_id, customer_id, form_code)
) WITHOUT ROWID;

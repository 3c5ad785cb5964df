-- Printed slips: every copy produced, from what was stored, with its file in
-- the spool and what happened when it was sent to the printer.
CREATE TABLE slip (
    id             INTEGER PRIMARY KEY,
    kind           TEXT NOT NULL,
    number         TEXT NOT NULL,
    copy           INTEGER NOT NULL,
    application_id INTEGER REFERENCES application(id),
    file           TEXT NOT NULL,
    paper          TEXT NOT NULL,
    produced_at    TEXT NOT NULL,
    produced_by    INTEGER REFERENCES clerk(id),
    authorised_by  INTEGER REFERENCES clerk(id),
    training       INTEGER NOT NULL DEFAULT 0,
    print_status   TEXT NOT NULL DEFAULT 'spooled' CHECK (print_status IN ('spooled', 'sent', 'failed')),
    print_error    TEXT,
    UNIQUE (kind, number, copy)
);
CREATE INDEX slip_number ON slip(number);

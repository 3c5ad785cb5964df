-- Return visits (回访) after a case's last step, and reconnections after
-- arrears.

-- Complaints and opinions, and a share of completed new installs, wait
-- for a return visit (回访) after their last step: by this date.
ALTER TABLE application ADD COLUMN visit_due TEXT;
CREATE INDEX application_visit_due ON application(visit_due) WHERE visit_due IS NOT NULL;

CREATE TABLE return_visit (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES application(id),
    at             TEXT NOT NULL,
    by_clerk       INTEGER NOT NULL REFERENCES clerk(id),
    way            TEXT NOT NULL CHECK (way IN ('phone', 'in_person')),
    verdict        TEXT NOT NULL CHECK (verdict IN ('satisfied', 'not_satisfied')),
    note           TEXT
);
CREATE INDEX return_visit_application ON return_visit(application_id);

-- A payment that clears the arrears of an account HQ reports cut off for
-- arrears opens a reconnection at once, due within the configured limit;
-- it closes when HQ reports the account supplied again.
CREATE TABLE reconnection (
    id          INTEGER PRIMARY KEY,
    payment_id  INTEGER NOT NULL UNIQUE REFERENCES payment(id),
    account_no  TEXT NOT NULL,
    class       TEXT NOT NULL,
    opened_at   TEXT NOT NULL,
    due_at      TEXT NOT NULL,
    done_at     TEXT
);
CREATE INDEX reconnection_open ON reconnection(account_no) WHERE done_at IS NULL;

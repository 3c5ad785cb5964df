-- Cases after the window: steps recorded done (who, when, a note), pauses
-- for a customer-caused delay (the paused working days extend the limits),
-- and the end of a case: completed, withdrawn by the customer, or refused
-- with a reason.

ALTER TABLE application ADD COLUMN ended_at TEXT;
ALTER TABLE application ADD COLUMN end_reason TEXT;
-- Set while the case is paused; the pause itself is a row of case_pause.
ALTER TABLE application ADD COLUMN paused_at TEXT;

ALTER TABLE application_step ADD COLUMN done_at TEXT;
ALTER TABLE application_step ADD COLUMN done_by INTEGER REFERENCES clerk(id);
ALTER TABLE application_step ADD COLUMN note TEXT;

CREATE TABLE case_pause (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES application(id),
    paused_at      TEXT NOT NULL,
    paused_by      INTEGER NOT NULL REFERENCES clerk(id),
    reason         TEXT NOT NULL,
    resumed_at     TEXT,
    resumed_by     INTEGER REFERENCES clerk(id),
    -- Working days the pause took off the clock, recorded at the resume.
    working_days   INTEGER
);
CREATE INDEX case_pause_application ON case_pause(application_id);

-- The queue reads open cases by their current step's due date.
CREATE INDEX application_step_current_due ON application_step(due_date, application_id) WHERE status = 'current';

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

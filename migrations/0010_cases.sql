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


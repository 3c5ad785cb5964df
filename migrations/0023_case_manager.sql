-- The customer manager (客户经理) who guides a case from acceptance to
-- power-on: from the service grid by the supply address (HQ's table, else
-- the hall's own), or chosen by the clerk with a reason. A hand-over of the
-- case to another clerk leaves it as it is.
CREATE TABLE case_manager (
    application_id INTEGER PRIMARY KEY REFERENCES application(id),
    name           TEXT NOT NULL,
    phone          TEXT NOT NULL,
    grid           TEXT,
    source         TEXT NOT NULL CHECK (source IN ('hq', 'local', 'chosen')),
    reason         TEXT,
    assigned_by    INTEGER NOT NULL REFERENCES clerk(id),
    assigned_at    TEXT NOT NULL
);

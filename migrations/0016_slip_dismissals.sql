-- A receipt or slip that never printed after its record was committed (a
-- crash between the commit and the printer) is shown to the clerk until it
-- prints, or until it is dismissed here with a reason.
CREATE TABLE slip_dismissal (
    kind      TEXT NOT NULL,
    number    TEXT NOT NULL,
    by_clerk  INTEGER NOT NULL REFERENCES clerk(id),
    reason    TEXT NOT NULL,
    at        TEXT NOT NULL,
    PRIMARY KEY (kind, number)
) WITHOUT ROWID;

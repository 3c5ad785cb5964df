-- More of what HQ publishes: its clerk list (who works at which hall) and the
-- service grid table (which grid and customer manager serve which streets).
-- Like the other hq_ tables, applied with HQ's sequence; local writes never
-- touch them.
CREATE TABLE hq_clerk (
    staff_no  TEXT PRIMARY KEY,
    name      TEXT NOT NULL,
    role      TEXT NOT NULL,
    hall      TEXT NOT NULL,
    hq_seq    INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE hq_grid (
    grid      TEXT PRIMARY KEY,
    name      TEXT NOT NULL,
    manager   TEXT NOT NULL,
    phone     TEXT NOT NULL,
    streets   TEXT NOT NULL,
    hq_seq    INTEGER NOT NULL
) WITHOUT ROWID;

-- Headquarters' bill list, imported from a daily file, and the day report.

-- One row per imported file. The digest recognises a file sent twice,
-- whatever it is called; imported_by is empty for the nightly job.
CREATE TABLE bill_import (
    id          INTEGER PRIMARY KEY,
    file_name   TEXT NOT NULL,
    sha256      TEXT NOT NULL UNIQUE,
    rows        INTEGER NOT NULL CHECK (rows >= 0),
    imported_at TEXT NOT NULL,
    imported_by INTEGER REFERENCES clerk(id)
);

-- What an account owes for a period, as headquarters last sent it. Paid
-- or not is decided by the payment table (kind 'bill', status 'paid'), so a
-- reversal reopens a bill without touching this row.
CREATE TABLE bill (
    id          INTEGER PRIMARY KEY,
    account_no  TEXT NOT NULL,
    period      TEXT NOT NULL,
    arrears_fen INTEGER NOT NULL CHECK (arrears_fen >= 0),
    due_date    TEXT NOT NULL,
    class       TEXT NOT NULL CHECK (class IN ('residential', 'other')),
    import_id   INTEGER REFERENCES bill_import(id),
    UNIQUE (account_no, period)
);

-- The day report reads one local day of payments: a range on paid_at
-- instead of a scan of every payment ever taken.
CREATE INDEX payment_paid_at ON payment(paid_at);

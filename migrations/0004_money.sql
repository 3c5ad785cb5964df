-- Money at the window: shifts with a float, payments with their tenders,
-- gap-free receipt numbers per counter, reversals, and the frozen shift.

CREATE TABLE shift (
    id          INTEGER PRIMARY KEY,
    clerk_id    INTEGER NOT NULL REFERENCES clerk(id),
    window      TEXT NOT NULL,
    float_fen   INTEGER NOT NULL CHECK (float_fen >= 0),
    opened_at   TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    closed_at   TEXT,
    counted     TEXT,
    settlement  TEXT,
    note        TEXT,
    note_by     INTEGER REFERENCES clerk(id)
);
-- One open shift per clerk.
CREATE UNIQUE INDEX shift_one_open ON shift(clerk_id) WHERE status = 'open';

-- Per counter, the last receipt number handed out: taken in the payment's
-- own transaction, so numbers are never skipped or reused.
CREATE TABLE receipt_counter (
    counter TEXT PRIMARY KEY,
    last    INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE payment (
    id           INTEGER PRIMARY KEY,
    receipt_no   TEXT NOT NULL UNIQUE,
    shift_id     INTEGER NOT NULL REFERENCES shift(id),
    clerk_id     INTEGER NOT NULL REFERENCES clerk(id),
    kind         TEXT NOT NULL CHECK (kind IN ('bill', 'fee')),
    account_no   TEXT,
    period       TEXT,
    due_fen      INTEGER NOT NULL CHECK (due_fen >= 0),
    late_fee_fen INTEGER NOT NULL DEFAULT 0 CHECK (late_fee_fen >= 0),
    change_fen   INTEGER NOT NULL DEFAULT 0 CHECK (change_fen >= 0),
    prepaid_fen  INTEGER NOT NULL DEFAULT 0 CHECK (prepaid_fen >= 0),
    status       TEXT NOT NULL DEFAULT 'paid' CHECK (status IN ('paid', 'reversed')),
    paid_at      TEXT NOT NULL,
    reversed_at  TEXT,
    reversed_by  INTEGER REFERENCES clerk(id),
    reversal_reason TEXT
);
CREATE INDEX payment_shift ON payment(shift_id);
CREATE UNIQUE INDEX payment_bill_once ON payment(account_no, period) WHERE kind = 'bill' AND status = 'paid';

CREATE TABLE payment_tender (
    payment_id   INTEGER NOT NULL REFERENCES payment(id),
    seq          INTEGER NOT NULL,
    method       TEXT NOT NULL CHECK (method IN ('cash', 'card', 'qr', 'cheque')),
    applied_fen  INTEGER NOT NULL CHECK (applied_fen >= 0),
    tendered_fen INTEGER NOT NULL CHECK (tendered_fen >= 0),
    reference    TEXT,
    PRIMARY KEY (payment_id, seq)
) WITHOUT ROWID;

CREATE TABLE prepaid_balance (
    account_no  TEXT PRIMARY KEY,
    balance_fen INTEGER NOT NULL
) WITHOUT ROWID;

-- A closed shift is frozen: nothing in it may change afterwards.
CREATE TRIGGER payment_frozen_update BEFORE UPDATE ON payment
WHEN (SELECT status FROM shift WHERE id = OLD.shift_id) = 'closed'
BEGIN SELECT RAISE(ABORT, 'shift closed'); END;
CREATE TRIGGER payment_frozen_insert BEFORE INSERT ON payment
WHEN (SELECT status FROM shift WHERE id = NEW.shift_id) = 'closed'
BEGIN SELECT RAISE(ABORT, 'shift closed'); END;
CREATE TRIGGER payment_frozen_delete BEFORE DELETE ON payment
WHEN (SELECT status FROM shift WHERE id = OLD.shift_id) = 'closed'
BEGIN SELECT RAISE(ABORT, 'shift closed'); END;
CREATE TRIGGER shift_frozen BEFORE UPDATE ON shift
WHEN OLD.status = 'closed'
BEGIN SELECT RAISE(ABORT, 'shift closed'); END;

-- Business fees paid against an application, cheques held until the bank
-- confirms the funds, and refunds after a shift is closed.

-- A business fee is paid against the application it was disclosed for and
-- the fee's id in that application's form; each fee once while it stands.
ALTER TABLE payment ADD COLUMN application_id INTEGER REFERENCES application(id);
ALTER TABLE payment ADD COLUMN fee_id TEXT;
CREATE UNIQUE INDEX payment_fee_once ON payment(application_id, fee_id)
    WHERE kind = 'fee' AND status = 'paid';

-- A payment with a cheque tender: its receipt is held until the funds are
-- confirmed. Kept apart from `payment` because confirmation usually comes
-- after the shift is closed and the payment row frozen.
CREATE TABLE cheque_hold (
    payment_id    INTEGER PRIMARY KEY REFERENCES payment(id),
    confirmed_at  TEXT,
    confirmed_by  INTEGER REFERENCES clerk(id),
    bank_ref      TEXT
);
CREATE INDEX cheque_hold_open ON cheque_hold(confirmed_at);

-- A refund after the shift is closed: only a duty manager, only to a bank
-- account in the customer's own name, numbered gap-free per counter in
-- receipt_counter under 'refund:<counter>'.
CREATE TABLE refund (
    id           INTEGER PRIMARY KEY,
    refund_no    TEXT NOT NULL UNIQUE,
    payment_id   INTEGER NOT NULL REFERENCES payment(id),
    amount_fen   INTEGER NOT NULL CHECK (amount_fen > 0),
    bank_account TEXT NOT NULL,
    holder       TEXT NOT NULL,
    reason       TEXT NOT NULL,
    by_clerk     INTEGER NOT NULL REFERENCES clerk(id),
    refunded_at  TEXT NOT NULL
);
CREATE INDEX refund_payment ON refund(payment_id);
CREATE INDEX refund_at ON refund(refunded_at);

-- A refund is a record of money that left: never edited or deleted.
CREATE TRIGGER refund_no_update BEFORE UPDATE ON refund
BEGIN SELECT RAISE(ABORT, 'refunds are final'); END;
CREATE TRIGGER refund_no_delete BEFORE DELETE ON refund
BEGIN SELECT RAISE(ABORT, 'refunds are final'); END;

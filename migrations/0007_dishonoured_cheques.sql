-- A cheque returned unpaid by the bank (退票) after its shift was closed:
-- the payment stays in the frozen shift as taken that day, but no longer
-- settles the bill or fee, which can be paid again.

ALTER TABLE payment ADD COLUMN dishonoured_at TEXT;
ALTER TABLE cheque_hold ADD COLUMN dishonoured_by INTEGER REFERENCES clerk(id);
ALTER TABLE cheque_hold ADD COLUMN dishonour_reason TEXT;

-- A closed shift stays frozen for every column it was closed with; only the
-- dishonour of its cheque may be recorded later, once.
DROP TRIGGER payment_frozen_update;
CREATE TRIGGER payment_frozen_update
BEFORE UPDATE OF id, receipt_no, shift_id, clerk_id, kind, account_no, period, due_fen,
                 late_fee_fen, change_fen, prepaid_fen, status, paid_at, reversed_at,
                 reversed_by, reversal_reason, application_id, fee_id ON payment
WHEN (SELECT status FROM shift WHERE id = OLD.shift_id) = 'closed'
BEGIN SELECT RAISE(ABORT, 'shift closed'); END;
CREATE TRIGGER payment_dishonour_once BEFORE UPDATE OF dishonoured_at ON payment
WHEN OLD.dishonoured_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'already dishonoured'); END;

DROP INDEX payment_bill_once;
CREATE UNIQUE INDEX payment_bill_once ON payment(account_no, period)
    WHERE kind = 'bill' AND status = 'paid' AND dishonoured_at IS NULL;
DROP INDEX payment_fee_once;
CREATE UNIQUE INDEX payment_fee_once ON payment(application_id, fee_id)
    WHERE kind = 'fee' AND status = 'paid' AND dishonoured_at IS NULL;

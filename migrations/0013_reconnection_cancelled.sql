-- A reconnection is called off when the payment that opened it is reversed
-- or its cheque comes back unpaid: the arrears are owed again.
ALTER TABLE reconnection ADD COLUMN cancelled_at TEXT;
ALTER TABLE reconnection ADD COLUMN cancel_reason TEXT CHECK (cancel_reason IN ('reversed', 'dishonoured'));
DROP INDEX reconnection_open;
CREATE INDEX reconnection_open ON reconnection(account_no) WHERE done_at IS NULL AND cancelled_at IS NULL;

-- Each audit entry binds the business rows its write left: a JSON list of
-- [kind, id, sha256] covered by the entry's own hash, so `verify` can name
-- a row changed afterwards by anything but the desk.
ALTER TABLE audit_log ADD COLUMN rows TEXT;

-- Rows written before binding began carry no hash; `verify` asks a binding
-- only of rows above these marks.
INSERT INTO meta (key, value) SELECT 'rows_bound_after.customer', coalesce(max(id), 0) FROM customer;
INSERT INTO meta (key, value) SELECT 'rows_bound_after.application', coalesce(max(id), 0) FROM application;
INSERT INTO meta (key, value) SELECT 'rows_bound_after.payment', coalesce(max(id), 0) FROM payment;
INSERT INTO meta (key, value) SELECT 'rows_bound_after.shift', coalesce(max(id), 0) FROM shift;
INSERT INTO meta (key, value) SELECT 'rows_bound_after.refund', coalesce(max(id), 0) FROM refund;

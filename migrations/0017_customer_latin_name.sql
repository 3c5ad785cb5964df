-- A name the slip font cannot draw (an Arabic name) is registered with the
-- name as printed in the passport's Latin line, which the slips print.
ALTER TABLE customer ADD COLUMN name_latin TEXT;

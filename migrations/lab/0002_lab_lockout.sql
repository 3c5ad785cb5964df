-- Lab sign-in locks after too many wrong passwords in a row, as the
-- workstation's does (`person.failed` counts them), until this time.
ALTER TABLE person ADD COLUMN locked_until TEXT;

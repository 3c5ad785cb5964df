-- A customer who only asked (咨询): the one-time notice of a business was
-- printed without an application. What was told is kept as told (the
-- items' texts and the form version), so a later application can say when
-- they were told and what has changed since.
CREATE TABLE consultation (
    id            INTEGER PRIMARY KEY,
    number        TEXT NOT NULL UNIQUE,
    day           TEXT NOT NULL,
    window        TEXT NOT NULL,
    seq           INTEGER NOT NULL,
    form_code     TEXT NOT NULL,
    form_version  TEXT NOT NULL,
    clerk_id      INTEGER NOT NULL REFERENCES clerk(id),
    customer_id   INTEGER REFERENCES customer(id),
    told_at       TEXT NOT NULL,
    items         TEXT NOT NULL,
    UNIQUE (day, window, seq)
);
CREATE INDEX consultation_customer ON consultation (customer_id, form_code);

-- One rating per transaction (一次一评): the row is written waiting in the
-- transaction's own commit (an acceptance, a payment, a refund, a
-- consultation, a complaint) and later rated by the customer or marked not
-- rated when its time ran out. The service's handling time runs from the
-- customer identified (service_started_at) to the rating or its time out.
-- The clerk's screens never read the level.
CREATE TABLE rating (
    id                  INTEGER PRIMARY KEY,
    service             TEXT NOT NULL CHECK (service IN
                          ('acceptance', 'payment', 'refund', 'consultation', 'complaint')),
    reference           TEXT NOT NULL UNIQUE,
    clerk_id            INTEGER NOT NULL REFERENCES clerk(id),
    customer_id         INTEGER REFERENCES customer(id),
    service_started_at  TEXT NOT NULL,
    asked_at            TEXT NOT NULL,
    valid_until         TEXT NOT NULL,
    state               TEXT NOT NULL DEFAULT 'waiting'
                          CHECK (state IN ('waiting', 'rated', 'not_rated')),
    level               TEXT CHECK (level IN ('very_satisfied', 'satisfied',
                          'fairly_satisfied', 'dissatisfied', 'very_dissatisfied')),
    reasons             TEXT NOT NULL DEFAULT '',
    channel             TEXT,
    ended_at            TEXT,
    appeal_reason       TEXT,
    appealed_at         TEXT,
    appeal_verdict      TEXT CHECK (appeal_verdict IN ('upheld', 'rejected')),
    appeal_note         TEXT,
    appeal_decided_by   INTEGER REFERENCES clerk(id),
    appeal_decided_at   TEXT,
    CHECK ((state = 'rated') = (level IS NOT NULL))
);
-- No index beyond the reference's: each would be one more page in every
-- payment's commit, and a counter's ratings are few enough to scan.

-- A poor rating (不满意 or worse) opens a case for the duty manager: a
-- return visit by visit_due, put right by rectify_due; it closes only with
-- the visit's verdict and what was done.
CREATE TABLE poor_rating (
    rating_id     INTEGER PRIMARY KEY REFERENCES rating(id),
    opened_at     TEXT NOT NULL,
    visit_due     TEXT NOT NULL,
    rectify_due   TEXT NOT NULL,
    visited_at    TEXT,
    visit_verdict TEXT,
    action_taken  TEXT,
    closed_at     TEXT,
    closed_by     INTEGER REFERENCES clerk(id)
);
CREATE INDEX poor_rating_open ON poor_rating(visit_due) WHERE closed_at IS NULL;

-- The customer display's secret, per counter, rotated on a duty manager's
-- request.
CREATE TABLE display_secret (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    secret      TEXT NOT NULL,
    rotated_at  TEXT NOT NULL,
    rotated_by  INTEGER REFERENCES clerk(id)
);

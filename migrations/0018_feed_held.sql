-- What HQ sent down that this counter cannot apply (a state it does not
-- know, a malformed date, a step its case does not have) is held here for a
-- person to see, never dropped: the feed goes on past it.
CREATE TABLE hq_feed_held (
    hq_seq   INTEGER PRIMARY KEY,
    kind     TEXT NOT NULL,
    item     TEXT NOT NULL,
    reason   TEXT NOT NULL,
    detail   TEXT NOT NULL,
    held_at  TEXT NOT NULL
);

-- A clerk's acceptances since their shift began, found without reading
-- every application (what never printed is asked for at each sign-in).
CREATE INDEX application_accepted_by ON application(accepted_by, accepted_at);

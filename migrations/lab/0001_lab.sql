-- The practice lab's own database (lab.db): trainers, trainees, runs with
-- everything they recorded, exams and answers. Never the production one.

CREATE TABLE person (
    id            INTEGER PRIMARY KEY,
    staff_no      TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('trainer', 'trainee')),
    class         TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    failed        INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL
);

CREATE TABLE exam (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    class      TEXT NOT NULL,
    minutes    INTEGER NOT NULL CHECK (minutes > 0),
    relay      INTEGER NOT NULL DEFAULT 0,
    created_by INTEGER NOT NULL REFERENCES person(id),
    created_at TEXT NOT NULL
);

-- An exam's items in order: scenarios (relay stations, in a relay exam)
-- and theory questions.
CREATE TABLE exam_item (
    exam_id INTEGER NOT NULL REFERENCES exam(id),
    seq     INTEGER NOT NULL,
    kind    TEXT NOT NULL CHECK (kind IN ('scenario', 'question')),
    ref     TEXT NOT NULL,
    PRIMARY KEY (exam_id, seq)
) WITHOUT ROWID;

CREATE TABLE run (
    id          INTEGER PRIMARY KEY,
    person_id   INTEGER NOT NULL REFERENCES person(id),
    scenario    TEXT NOT NULL,
    exam_id     INTEGER REFERENCES exam(id),
    -- A relay station goes on in the sandbox this run left.
    relay_of    INTEGER REFERENCES run(id),
    folder      TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    ended_at    TEXT,
    state       TEXT NOT NULL CHECK (state IN ('running', 'finished', 'interrupted')),
    total       INTEGER,
    max         INTEGER,
    elapsed_ms  INTEGER,
    keys        INTEGER NOT NULL DEFAULT 0,
    hints       INTEGER NOT NULL DEFAULT 0,
    refusals    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX run_person ON run(person_id, id);

-- Everything a run recorded, in order: keys and pastes with the
-- milliseconds since the start, hints, refusals shown, screens reached.
CREATE TABLE run_event (
    run_id INTEGER NOT NULL REFERENCES run(id),
    n      INTEGER NOT NULL,
    at_ms  INTEGER NOT NULL,
    kind   TEXT NOT NULL CHECK (kind IN ('key', 'paste', 'hint', 'refusal', 'screen')),
    value  TEXT NOT NULL,
    PRIMARY KEY (run_id, n)
) WITHOUT ROWID;

-- Points per skill of a finished run, for the trainer's views.
CREATE TABLE run_skill (
    run_id INTEGER NOT NULL REFERENCES run(id),
    skill  TEXT NOT NULL,
    got    INTEGER NOT NULL,
    max    INTEGER NOT NULL,
    PRIMARY KEY (run_id, skill)
) WITHOUT ROWID;

-- Theory answers, marked at once.
CREATE TABLE answer (
    id        INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES person(id),
    exam_id   INTEGER REFERENCES exam(id),
    question  TEXT NOT NULL,
    skill     TEXT NOT NULL,
    typed     TEXT NOT NULL,
    right     INTEGER NOT NULL,
    points    INTEGER NOT NULL,
    max       INTEGER NOT NULL,
    at        TEXT NOT NULL
);
CREATE INDEX answer_person ON answer(person_id, exam_id);

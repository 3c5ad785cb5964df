-- The customer's file (一次报送、不复报): each material handed in, with what
-- the document says of itself (number, issuer, dates) and the form's rule
-- for reuse, so a later application does not ask for it again while it is
-- valid. Rows are added, never changed, except that a scan may be attached.
CREATE TABLE material_file (
    id             INTEGER PRIMARY KEY,
    customer_id    INTEGER NOT NULL REFERENCES customer(id),
    material_id    TEXT NOT NULL,
    name_zh        TEXT NOT NULL,
    name_en        TEXT NOT NULL,
    keep           TEXT NOT NULL,
    doc_no         TEXT,
    authority      TEXT,
    issued_on      TEXT,
    -- A day, 'long_term', or NULL when not recorded.
    valid_until    TEXT,
    address        TEXT,
    application_id INTEGER REFERENCES application(id),
    source         TEXT NOT NULL,
    received_by    INTEGER NOT NULL REFERENCES clerk(id),
    received_at    TEXT NOT NULL,
    scan_sha256    TEXT
);
CREATE INDEX material_file_customer ON material_file (customer_id, material_id);

-- A material taken from the file for an application is recorded as such
-- ('on_file'). SQLite cannot widen a CHECK in place, so the table is
-- rebuilt with the same columns in the same order (its rows, and so the
-- hashes the audit log binds, are unchanged).
CREATE TABLE application_material_new (
    application_id INTEGER NOT NULL REFERENCES application(id),
    seq            INTEGER NOT NULL,
    material_id    TEXT NOT NULL,
    name_zh        TEXT NOT NULL,
    name_en        TEXT NOT NULL,
    form           TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('received', 'owed', 'on_file')),
    due_date       TEXT,
    due_estimated  INTEGER NOT NULL DEFAULT 0,
    received_at    TEXT,
    received_by    INTEGER REFERENCES clerk(id),
    PRIMARY KEY (application_id, material_id)
) WITHOUT ROWID;
INSERT INTO application_material_new SELECT * FROM application_material;
DROP TABLE application_material;
ALTER TABLE application_material_new RENAME TO application_material;
CREATE INDEX application_material_owed ON application_material(status, due_date);

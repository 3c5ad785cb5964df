-- Scanned copies of materials (高拍仪): each file is kept once, under its
-- sha256, in the database's folder (scans/); this table says what it is.
-- A material on file names its scan by that hash, so two materials copied
-- in one scan share one object, here and at HQ. `sent_at` is when HQ said
-- it holds the object.
CREATE TABLE scan (
    sha256     TEXT PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('pdf', 'jpeg', 'png')),
    bytes      INTEGER NOT NULL,
    file_name  TEXT NOT NULL,
    taken_by   INTEGER NOT NULL REFERENCES clerk(id),
    taken_at   TEXT NOT NULL,
    sent_at    TEXT
) WITHOUT ROWID;
CREATE INDEX material_file_scan ON material_file (scan_sha256) WHERE scan_sha256 IS NOT NULL;
-- What was filed with an application, for its slips and its scans.
CREATE INDEX material_file_application ON material_file (application_id, material_id);

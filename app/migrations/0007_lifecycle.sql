-- 0007: photos live in the database, and a report's id is never given twice.
--
-- A photo is a row of report_photo, not a file: deleting its report deletes it
-- (with secure_delete, overwritten), one backup or replica holds it, and no
-- file's time tells when it arrived. The files of older versions are moved in
-- once, at the next start (app/reports/photos.py, adopt_files), through
-- report_photo_file below, and then deleted.
--
-- report is rebuilt (SQLite's 12-step way; the migration runner turns foreign
-- keys off meanwhile and checks them before committing) only to add
-- AUTOINCREMENT: without it a purged report's id went to the next report, and
-- audit lines about the one seemed to be about the other. Every row, index and
-- reference is kept; the photo file name goes.

CREATE TABLE report_photo (
    report_id INTEGER PRIMARY KEY REFERENCES report (id) ON DELETE CASCADE,
    -- The re-encoded WebP: pixels only (app/reports/photos.py, clean).
    webp BLOB NOT NULL
);

-- Which old file belongs to which report, until the start moves it (then dropped).
CREATE TABLE report_photo_file (
    report_id INTEGER PRIMARY KEY REFERENCES report (id) ON DELETE CASCADE,
    name TEXT NOT NULL
);

INSERT INTO report_photo_file (report_id, name)
SELECT id, photo FROM report WHERE photo IS NOT NULL;

CREATE TABLE report_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- SHA-256 of the form's client-made idempotency key: a retried POST finds
    -- its report here instead of making a second one.
    idempotency_hash TEXT NOT NULL UNIQUE,
    -- The receipt code sealed with a key only the reporter's retry can give
    -- (it is derived from the idempotency key, which we never store), so a
    -- retry can show the same receipt again.
    receipt_sealed BLOB NOT NULL,
    -- scrypt of the receipt code: how the status page finds the report.
    receipt_hash TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL DEFAULT 'received'
        CHECK (status IN ('received', 'published', 'rejected')),
    space TEXT NOT NULL,
    what TEXT NOT NULL CHECK (what IN ('found', 'suspected', 'filming')),
    device TEXT,
    venue TEXT,
    city TEXT,
    latitude REAL CHECK (latitude BETWEEN -90 AND 90),
    longitude REAL CHECK (longitude BETWEEN -180 AND 180),
    observed_on TEXT CHECK (observed_on IS NULL OR observed_on = date(observed_on)),
    told_venue INTEGER NOT NULL DEFAULT 0 CHECK (told_venue IN (0, 1)),
    told_police INTEGER NOT NULL DEFAULT 0 CHECK (told_police IN (0, 1)),
    response TEXT,
    description TEXT,
    submitted_on TEXT NOT NULL CHECK (submitted_on = date(submitted_on)),
    -- Filled in by organizers (the review issue): which fields may be public,
    -- and a note written for the public. The free text never is.
    public_fields TEXT,
    public_note TEXT,
    reviewed_on TEXT CHECK (reviewed_on IS NULL OR reviewed_on = date(reviewed_on)),
    duplicate_of INTEGER REFERENCES report (id) ON DELETE SET NULL,
    -- Bumped by every organizer action; an action made on an older version is a conflict.
    version INTEGER NOT NULL DEFAULT 1,
    CHECK ((latitude IS NULL) = (longitude IS NULL))
);

INSERT INTO report_new (id, idempotency_hash, receipt_sealed, receipt_hash, status, space,
    what, device, venue, city, latitude, longitude, observed_on, told_venue, told_police,
    response, description, submitted_on, public_fields, public_note, reviewed_on,
    duplicate_of, version)
SELECT id, idempotency_hash, receipt_sealed, receipt_hash, status, space,
    what, device, venue, city, latitude, longitude, observed_on, told_venue, told_police,
    response, description, submitted_on, public_fields, public_note, reviewed_on,
    duplicate_of, version
FROM report;

DROP TABLE report;

ALTER TABLE report_new RENAME TO report;

CREATE INDEX report_status_submitted ON report (status, submitted_on);
CREATE INDEX report_queue ON report (status, id);
CREATE INDEX report_space ON report (space, id);
CREATE INDEX report_city ON report (city COLLATE NOCASE, id);

-- Ids already purged are not given again either: the audit log may name them.
DELETE FROM sqlite_sequence WHERE name = 'report';
INSERT INTO sqlite_sequence (name, seq) VALUES ('report', max(
    coalesce((SELECT max(id) FROM report), 0),
    coalesce((SELECT max(report_id) FROM audit_log), 0)));

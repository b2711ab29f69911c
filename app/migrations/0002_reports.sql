-- 0002: anonymous reports, their photos and the conversation with organizers.
--
-- Nothing here can identify the reporter: no address, no browser, no time of
-- day (dates only). The receipt code itself is never stored, only a slow hash.

CREATE TABLE report (
    id INTEGER PRIMARY KEY,
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
    -- A server-made file name in instance/photos/, never public.
    photo TEXT UNIQUE,
    submitted_on TEXT NOT NULL CHECK (submitted_on = date(submitted_on)),
    -- Filled in by organizers (the review issue): which fields may be public,
    -- and a note written for the public. The free text never is.
    public_fields TEXT,
    public_note TEXT,
    reviewed_on TEXT CHECK (reviewed_on IS NULL OR reviewed_on = date(reviewed_on)),
    CHECK ((latitude IS NULL) = (longitude IS NULL))
);

CREATE INDEX report_status_submitted ON report (status, submitted_on);

-- Questions from organizers and the reporter's answers, shown on the status page.
CREATE TABLE report_message (
    id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES report (id) ON DELETE CASCADE,
    author TEXT NOT NULL CHECK (author IN ('organizer', 'reporter')),
    body TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
    sent_on TEXT NOT NULL CHECK (sent_on = date(sent_on))
);

CREATE INDEX report_message_report ON report_message (report_id, id);

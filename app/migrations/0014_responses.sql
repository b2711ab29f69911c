-- 0014: the right of reply (issue 31, item 3).
--
-- Each report gets a public id: 16 random hex digits, made when the report is
-- stored, so the public page of a published report (/<lang>/published/<id>)
-- says nothing about how many reports came before it, as the internal number
-- would. The public copy (map_report) carries it too, so the page and the list
-- read only the public copy.
ALTER TABLE report ADD COLUMN public_id TEXT;
UPDATE report SET public_id = lower(hex(randomblob(8)));
CREATE UNIQUE INDEX report_public_id ON report (public_id);
CREATE TRIGGER report_public_id AFTER INSERT ON report WHEN new.public_id IS NULL BEGIN
    UPDATE report SET public_id = lower(hex(randomblob(8))) WHERE id = new.id;
END;

ALTER TABLE map_report ADD COLUMN public_id TEXT;
UPDATE map_report SET public_id = (SELECT public_id FROM report WHERE id = report_id);
CREATE UNIQUE INDEX map_report_public_id ON map_report (public_id);

-- What someone responsible for a reported place says about it: their own kind of
-- item for organizers (app/replies/). Like a report: no address, no browser, no
-- time of day; the receipt code only as a slow hash. `contact` is private and
-- goes PRIVATE_RETENTION_DAYS after the decision; a response not shown in public
-- goes REPORT_RETENTION_DAYS after it arrived or was decided (app/replies/store.py).
CREATE TABLE response (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- The report it answers; NULL once that report is deleted (the venue's receipt
    -- still shows what organizers decided).
    report_id INTEGER REFERENCES report (id) ON DELETE SET NULL,
    idempotency_hash TEXT NOT NULL UNIQUE,
    receipt_sealed BLOB NOT NULL,
    receipt_hash TEXT NOT NULL UNIQUE,
    -- received: waiting for organizers; published: shown beside the report;
    -- declined: not shown.
    status TEXT NOT NULL DEFAULT 'received'
        CHECK (status IN ('received', 'published', 'declined')),
    -- Sent without a proof of work during a flood: kept apart until an organizer looks.
    held INTEGER NOT NULL DEFAULT 0 CHECK (held IN (0, 1)),
    role TEXT NOT NULL CHECK (length(role) BETWEEN 1 AND 120),
    body TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
    asks TEXT NOT NULL CHECK (asks IN ('publish', 'correct', 'remove')),
    contact TEXT CHECK (contact IS NULL OR length(contact) <= 200),
    received_on TEXT NOT NULL CHECK (received_on = date(received_on)),
    decided_on TEXT CHECK (decided_on IS NULL OR decided_on = date(decided_on)),
    -- The organizers' answer, shown on the venue's status page (never public).
    answer TEXT CHECK (answer IS NULL OR length(answer) <= 2000),
    private_cleared_on TEXT
        CHECK (private_cleared_on IS NULL OR private_cleared_on = date(private_cleared_on)),
    version INTEGER NOT NULL DEFAULT 1
);

-- A report's responses (and deleting a report finds them without a scan: 0011).
CREATE INDEX response_report ON response (report_id, status);
-- The organizers' list: waiting ones, newest first.
CREATE INDEX response_waiting ON response (status, held, id);

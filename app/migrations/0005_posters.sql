-- 0005: QR posters and their daily scan counts.
--
-- A scan adds one to its poster's count for the day. Nothing about who
-- scanned is kept: no address, no browser, no time of day.

CREATE TABLE poster (
    id INTEGER PRIMARY KEY,
    -- The short code in the QR's URL (/p/CODE): public, printed on the poster.
    code TEXT NOT NULL UNIQUE CHECK (length(code) = 6 AND code = upper(code)),
    -- SHA-256 of the private management link's token, shown once to its maker.
    manage_hash TEXT NOT NULL UNIQUE,
    destination TEXT NOT NULL,
    languages TEXT NOT NULL,
    format TEXT NOT NULL,
    headline TEXT NOT NULL,
    -- The volunteer's own note of where it goes; never printed.
    label TEXT CHECK (label IS NULL OR length(label) <= 120),
    created_on TEXT NOT NULL CHECK (created_on = date(created_on))
);

CREATE TABLE poster_scan (
    poster_id INTEGER NOT NULL REFERENCES poster (id) ON DELETE CASCADE,
    day TEXT NOT NULL CHECK (day = date(day)),
    scans INTEGER NOT NULL CHECK (scans > 0),
    PRIMARY KEY (poster_id, day)
) WITHOUT ROWID;

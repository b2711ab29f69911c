-- 0004: the public map.
--
-- map_report is what each published report shows in public: only the fields
-- an organizer approved, the location already snapped to the public grid. The
-- review actions keep it in step with report.status (app/map/publish.py).
--
-- map_cell counts published reports per map cell, so a zoomed-out answer reads
-- a few hundred rows instead of a million reports. A cell of band b is half a
-- Web Mercator tile at zoom b (128 px on screen); band 15 is the finest.
-- month 0 holds all time; other months (year * 12 + month - 1) let a `since`
-- filter add up whole months. One count column per (space, what happened), so
-- any filter is a sum of columns in one row; zero columns cost a byte.

CREATE TABLE map_report (
    report_id INTEGER PRIMARY KEY REFERENCES report (id),
    published_on TEXT NOT NULL CHECK (published_on = date(published_on)),
    month INTEGER NOT NULL,
    space TEXT NOT NULL,
    what TEXT NOT NULL,
    device TEXT,
    venue TEXT,
    city TEXT,
    observed_on TEXT,
    note TEXT,
    -- On the public grid; NULL when the organizer kept the location private.
    latitude REAL,
    longitude REAL,
    -- The band-15 cell (0 to 65535 each way); coarser bands shift these right.
    cx INTEGER,
    cy INTEGER,
    CHECK ((latitude IS NULL) = (longitude IS NULL) AND (latitude IS NULL) = (cx IS NULL))
);

CREATE INDEX map_report_place ON map_report (latitude, longitude, space, what, published_on)
    WHERE latitude IS NOT NULL;
-- For the part of a month that a `since` date cuts in two.
-- Covering, so those reports are counted per cell from the index alone.
CREATE INDEX map_report_recent
    ON map_report (month, latitude, longitude, published_on, space, what, cx, cy)
    WHERE latitude IS NOT NULL;
-- The list view: by city, then venue; places not given come last.
CREATE INDEX map_report_list ON map_report (
    city IS NULL, city COLLATE NOCASE, venue IS NULL, venue COLLATE NOCASE, report_id);
CREATE INDEX map_report_published ON map_report (published_on);

CREATE TABLE map_cell (
    band INTEGER NOT NULL,
    cy INTEGER NOT NULL,
    cx INTEGER NOT NULL,
    month INTEGER NOT NULL,
    n INTEGER NOT NULL,
    -- Where the cell's marker goes: the mean of its reports' public points.
    latitude_sum REAL NOT NULL,
    longitude_sum REAL NOT NULL,
    restroom_found INTEGER NOT NULL DEFAULT 0,
    restroom_suspected INTEGER NOT NULL DEFAULT 0,
    restroom_filming INTEGER NOT NULL DEFAULT 0,
    fitting_room_found INTEGER NOT NULL DEFAULT 0,
    fitting_room_suspected INTEGER NOT NULL DEFAULT 0,
    fitting_room_filming INTEGER NOT NULL DEFAULT 0,
    hotel_room_found INTEGER NOT NULL DEFAULT 0,
    hotel_room_suspected INTEGER NOT NULL DEFAULT 0,
    hotel_room_filming INTEGER NOT NULL DEFAULT 0,
    changing_room_found INTEGER NOT NULL DEFAULT 0,
    changing_room_suspected INTEGER NOT NULL DEFAULT 0,
    changing_room_filming INTEGER NOT NULL DEFAULT 0,
    medical_room_found INTEGER NOT NULL DEFAULT 0,
    medical_room_suspected INTEGER NOT NULL DEFAULT 0,
    medical_room_filming INTEGER NOT NULL DEFAULT 0,
    transport_found INTEGER NOT NULL DEFAULT 0,
    transport_suspected INTEGER NOT NULL DEFAULT 0,
    transport_filming INTEGER NOT NULL DEFAULT 0,
    other_found INTEGER NOT NULL DEFAULT 0,
    other_suspected INTEGER NOT NULL DEFAULT 0,
    other_filming INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (band, month, cy, cx)
) WITHOUT ROWID;

-- Bumped with every change to the two tables above: the API's ETag.
CREATE TABLE map_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO map_state (id, version) VALUES (1, 0);

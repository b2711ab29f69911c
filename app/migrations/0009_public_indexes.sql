-- 0009: every public question answered from an index (issue 19).
--
-- The list view pages by keyset (?after=<report id>), so each page is a seek
-- into an index in the list's order, never an OFFSET past earlier pages.
-- SQLite seeks on a row value such as (city_key, venue_key, list_id) > (?, ?, ?)
-- only when every part is an indexed column: not on expressions, and not on
-- the rowid (report_id). Hence three virtual columns, computed on read, never
-- stored. city_key and venue_key sort as before: NOCASE (lower() folds only
-- ASCII, as NOCASE does), and places not given ('1') after every name ('0...').
ALTER TABLE map_report ADD COLUMN city_key TEXT
    GENERATED ALWAYS AS (CASE WHEN city IS NULL THEN '1' ELSE '0' || lower(city) END) VIRTUAL;
ALTER TABLE map_report ADD COLUMN venue_key TEXT
    GENERATED ALWAYS AS (CASE WHEN venue IS NULL THEN '1' ELSE '0' || lower(venue) END) VIRTUAL;
ALTER TABLE map_report ADD COLUMN list_id INTEGER GENERATED ALWAYS AS (report_id + 0) VIRTUAL;

-- One list index per choice of equality filters, each ending in published_on
-- so a time window is checked from the index alone (app/map/query.py list_page).
DROP INDEX map_report_list;
CREATE INDEX map_report_list ON map_report (city_key, venue_key, list_id, published_on);
CREATE INDEX map_report_list_space
    ON map_report (space, city_key, venue_key, list_id, published_on);
CREATE INDEX map_report_list_what ON map_report (what, city_key, venue_key, list_id, published_on);
CREATE INDEX map_report_list_space_what
    ON map_report (space, what, city_key, venue_key, list_id, published_on);
-- A time window few reports fall in is read by date instead, then sorted.
CREATE INDEX map_report_kind_published ON map_report (space, what, published_on);

-- Day counts for the coarse bands (0 to 10; app/map/grid.py DAY_BANDS), like
-- map_cell's month rows: a `since` that cuts a month in two adds or takes at
-- most half a month of day rows per cell, whatever the day. At finer bands a
-- box is small, so that part of the month is counted from map_report_recent.
CREATE TABLE map_cell_day (
    band INTEGER NOT NULL,
    day TEXT NOT NULL CHECK (day = date(day)),
    cy INTEGER NOT NULL,
    cx INTEGER NOT NULL,
    n INTEGER NOT NULL,
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
    PRIMARY KEY (band, day, cy, cx)
) WITHOUT ROWID;

INSERT INTO map_cell_day
WITH RECURSIVE bands (band) AS (SELECT 0 UNION ALL SELECT band + 1 FROM bands WHERE band < 10)
SELECT band, published_on, cy >> (15 - band), cx >> (15 - band), count(*), sum(latitude),
    sum(longitude),
    sum(space = 'restroom' AND what = 'found'), sum(space = 'restroom' AND what = 'suspected'),
    sum(space = 'restroom' AND what = 'filming'),
    sum(space = 'fitting-room' AND what = 'found'),
    sum(space = 'fitting-room' AND what = 'suspected'),
    sum(space = 'fitting-room' AND what = 'filming'),
    sum(space = 'hotel-room' AND what = 'found'), sum(space = 'hotel-room' AND what = 'suspected'),
    sum(space = 'hotel-room' AND what = 'filming'),
    sum(space = 'changing-room' AND what = 'found'),
    sum(space = 'changing-room' AND what = 'suspected'),
    sum(space = 'changing-room' AND what = 'filming'),
    sum(space = 'medical-room' AND what = 'found'),
    sum(space = 'medical-room' AND what = 'suspected'),
    sum(space = 'medical-room' AND what = 'filming'),
    sum(space = 'transport' AND what = 'found'), sum(space = 'transport' AND what = 'suspected'),
    sum(space = 'transport' AND what = 'filming'),
    sum(space = 'other' AND what = 'found'), sum(space = 'other' AND what = 'suspected'),
    sum(space = 'other' AND what = 'filming')
FROM map_report, bands WHERE cx IS NOT NULL GROUP BY 1, 2, 3, 4;

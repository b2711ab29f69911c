-- 0013: verification levels (issue 31, item 1).
--
-- A published report carries how far it is verified, set by an organizer when
-- publishing and changeable later: reported (one report, reviewed),
-- corroborated (independent reports or evidence agree), confirmed (police, the
-- venue or an organizer's own visit), resolved (the venue acted), disputed (the
-- venue contests it; under review). verification_note says what supports the
-- level, for organizers only: it never reaches the public copy.
-- app/reports/lifecycle.py writes both; app/review/actions.py (publish,
-- set_level) is the one way organizers change them, each change audited.
--
-- The public copy (map_report) carries the level too. Below corroborated, and
-- while disputed, it never names the venue (app/map/publish.py, VENUE_LEVELS):
-- only the kind of place and the area. Every report already published becomes
-- "reported", so its venue leaves the public copy until an organizer raises it.

ALTER TABLE report ADD COLUMN verification TEXT CHECK (verification IS NULL OR verification
    IN ('reported', 'corroborated', 'confirmed', 'resolved', 'disputed'));
ALTER TABLE report ADD COLUMN verification_note TEXT;

UPDATE report SET verification = 'reported' WHERE status = 'published';

ALTER TABLE map_report ADD COLUMN verification TEXT NOT NULL DEFAULT 'reported' CHECK (
    verification IN ('reported', 'corroborated', 'confirmed', 'resolved', 'disputed'));

UPDATE map_report SET venue = NULL;

-- The list filtered by level, in the list's order (app/map/listing.py).
CREATE INDEX map_report_list_verification
    ON map_report (verification, city_key, venue_key, list_id, published_on);

-- The map's counts per cell, kept per level too: each cell row now counts the
-- reports of one level (the primary key gains `level`), so the map filtered by
-- level is read from the cells as every other filter is, and without a filter a
-- cell adds up its few level rows (app/map/query.py). Every report published so
-- far is "reported": its rows are copied under that level, nothing recounted.
CREATE TABLE map_cell_new (
    band INTEGER NOT NULL,
    month INTEGER NOT NULL,
    cy INTEGER NOT NULL,
    cx INTEGER NOT NULL,
    level TEXT NOT NULL,
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
    PRIMARY KEY (band, month, cy, cx, level)
) WITHOUT ROWID;
INSERT INTO map_cell_new (level, band, month, cy, cx, n, latitude_sum, longitude_sum, restroom_found, restroom_suspected, restroom_filming, fitting_room_found, fitting_room_suspected, fitting_room_filming, hotel_room_found, hotel_room_suspected, hotel_room_filming, changing_room_found, changing_room_suspected, changing_room_filming, medical_room_found, medical_room_suspected, medical_room_filming, transport_found, transport_suspected, transport_filming, other_found, other_suspected, other_filming)
SELECT 'reported', band, month, cy, cx, n, latitude_sum, longitude_sum, restroom_found, restroom_suspected, restroom_filming, fitting_room_found, fitting_room_suspected, fitting_room_filming, hotel_room_found, hotel_room_suspected, hotel_room_filming, changing_room_found, changing_room_suspected, changing_room_filming, medical_room_found, medical_room_suspected, medical_room_filming, transport_found, transport_suspected, transport_filming, other_found, other_suspected, other_filming FROM map_cell;
DROP TABLE map_cell;
ALTER TABLE map_cell_new RENAME TO map_cell;

CREATE TABLE map_cell_day_new (
    band INTEGER NOT NULL,
    day TEXT NOT NULL CHECK (day = date(day)),
    cy INTEGER NOT NULL,
    cx INTEGER NOT NULL,
    level TEXT NOT NULL,
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
    PRIMARY KEY (band, day, cy, cx, level)
) WITHOUT ROWID;
INSERT INTO map_cell_day_new (level, band, day, cy, cx, n, latitude_sum, longitude_sum, restroom_found, restroom_suspected, restroom_filming, fitting_room_found, fitting_room_suspected, fitting_room_filming, hotel_room_found, hotel_room_suspected, hotel_room_filming, changing_room_found, changing_room_suspected, changing_room_filming, medical_room_found, medical_room_suspected, medical_room_filming, transport_found, transport_suspected, transport_filming, other_found, other_suspected, other_filming)
SELECT 'reported', band, day, cy, cx, n, latitude_sum, longitude_sum, restroom_found, restroom_suspected, restroom_filming, fitting_room_found, fitting_room_suspected, fitting_room_filming, hotel_room_found, hotel_room_suspected, hotel_room_filming, changing_room_found, changing_room_suspected, changing_room_filming, medical_room_found, medical_room_suspected, medical_room_filming, transport_found, transport_suspected, transport_filming, other_found, other_suspected, other_filming FROM map_cell_day;
DROP TABLE map_cell_day;
ALTER TABLE map_cell_day_new RENAME TO map_cell_day;

-- The API's ETags come from this version: answers kept from before (with venues,
-- without levels) must not be revalidated as still good.
UPDATE map_state SET version = version + 1;

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
-- Cells counted for one level (app/map/query.py, level_cells): covering, so a
-- box's reports at that level are counted from the index alone.
CREATE INDEX map_report_level
    ON map_report (verification, latitude, longitude, published_on, space, what, cx, cy)
    WHERE latitude IS NOT NULL;

-- The API's ETags come from this version: answers kept from before (with venues,
-- without levels) must not be revalidated as still good.
UPDATE map_state SET version = version + 1;

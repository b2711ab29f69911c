-- 0015: an index to find reports of the same kind of place at the same spot
-- (issue 31, item 4: each report's card suggests likely duplicates).
--
-- A card looks for reports of its kind of place in a narrow band of latitude
-- around its own point, then keeps those in its square of the public grid
-- sent within 30 days (app/review/reading.py likely_duplicates). Without this
-- index that search read every report of the kind of place: a few thousand
-- rows per card at 100,000 reports; with it, the handful in the band.

CREATE INDEX report_place ON report (space, latitude) WHERE latitude IS NOT NULL;

-- 0015: indexes for review that keeps up (issue 31, item 4).
--
-- Each report's card suggests likely duplicates: reports of the same kind of
-- place in the same square of the grid (app/review/reading.py
-- likely_duplicates). Through report_space that read every report of the kind
-- (~29 ms median at 100,000 reports); through this one only those in a band of
-- latitude one grid square wide (0.02 ms). Reports with no location have no
-- square and are left out.
CREATE INDEX report_place ON report (space, latitude) WHERE latitude IS NOT NULL;

-- The queue filtered by verification level (only published reports have one),
-- newest first, an index walk however rare the level.
CREATE INDEX report_level ON report (verification, status, held, id)
    WHERE verification IS NOT NULL;

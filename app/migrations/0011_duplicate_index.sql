-- 0011: an index on report.duplicate_of, for deleting reports.
--
-- duplicate_of REFERENCES report ON DELETE SET NULL, and SQLite finds the rows
-- to set to NULL by searching duplicate_of: without an index, every deleted
-- report (the daily purge of unpublished ones) scanned the whole table while
-- holding the write lock. Deleting 1,000 of 100,000 reports took 40-67 s.

CREATE INDEX report_duplicate_of ON report (duplicate_of) WHERE duplicate_of IS NOT NULL;

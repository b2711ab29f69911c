-- 0012: reports held apart during a flood (issue 28, item 3).
--
-- While more reports arrive than REPORTS_PER_HOUR, a report sent without a
-- proof of work (a browser without JavaScript, or a script) is still stored and
-- answered with its receipt, but held: it is not in the review queue until an
-- organizer accepts it there, or discards it (then it is not published, like a
-- rejection). Only a report still waiting for review can be held, and a held
-- report is never published (app/reports/lifecycle.py). The purge and
-- retention treat it like any other unpublished report.

ALTER TABLE report ADD COLUMN held INTEGER NOT NULL DEFAULT 0 CHECK (held IN (0, 1));

-- The queue (held = 0) and the held list (held = 1), each an index walk newest first.
CREATE INDEX report_queue_held ON report (status, held, id);

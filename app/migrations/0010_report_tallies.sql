-- 0010: running totals for the organizers' stats page (app/review/stats.py).
--
-- The page counted every report on each view: 1.7 s at a million reports.
-- These tables hold the same counts, a few hundred rows whatever the number of
-- reports. Triggers on report keep them in step inside the very transaction
-- that inserts, reviews, purges or deletes a report, so every way a report
-- changes (the form, review actions, retention, bulk loads) is counted and no
-- code has to remember to. A count that falls to 0 keeps its row; readers skip it.
--
-- A later migration that rebuilds report (SQLite's 12-step way, as 0007 did)
-- drops these triggers with the old table and must create them again.

-- Reports per day sent and kind of place: the weekly bars.
CREATE TABLE report_day_tally (
    submitted_on TEXT NOT NULL,
    space TEXT NOT NULL,
    reports INTEGER NOT NULL,
    PRIMARY KEY (submitted_on, space)
) WITHOUT ROWID;

-- Reports per kind (found, suspected, filming): that chart and the total.
CREATE TABLE report_what_tally (
    what TEXT PRIMARY KEY,
    reports INTEGER NOT NULL
) WITHOUT ROWID;

-- Reviewed reports per whole days from sent to reviewed (both are dates):
-- the median time to review, read off in order.
CREATE TABLE review_wait_tally (
    days INTEGER PRIMARY KEY,
    reports INTEGER NOT NULL
);

INSERT INTO report_day_tally (submitted_on, space, reports)
SELECT submitted_on, space, count(*) FROM report GROUP BY submitted_on, space;

INSERT INTO report_what_tally (what, reports)
SELECT what, count(*) FROM report GROUP BY what;

INSERT INTO review_wait_tally (days, reports)
SELECT CAST(julianday(reviewed_on) - julianday(submitted_on) AS INTEGER), count(*)
FROM report WHERE reviewed_on IS NOT NULL GROUP BY 1;

CREATE TRIGGER report_tally_insert AFTER INSERT ON report BEGIN
    INSERT INTO report_day_tally (submitted_on, space, reports)
    VALUES (new.submitted_on, new.space, 1)
    ON CONFLICT DO UPDATE SET reports = reports + 1;
    INSERT INTO report_what_tally (what, reports) VALUES (new.what, 1)
    ON CONFLICT DO UPDATE SET reports = reports + 1;
    INSERT INTO review_wait_tally (days, reports)
    SELECT CAST(julianday(new.reviewed_on) - julianday(new.submitted_on) AS INTEGER), 1
    WHERE new.reviewed_on IS NOT NULL
    ON CONFLICT DO UPDATE SET reports = reports + 1;
END;

CREATE TRIGGER report_tally_delete AFTER DELETE ON report BEGIN
    UPDATE report_day_tally SET reports = reports - 1
    WHERE submitted_on = old.submitted_on AND space = old.space;
    UPDATE report_what_tally SET reports = reports - 1 WHERE what = old.what;
    UPDATE review_wait_tally SET reports = reports - 1
    WHERE old.reviewed_on IS NOT NULL
      AND days = CAST(julianday(old.reviewed_on) - julianday(old.submitted_on) AS INTEGER);
END;

-- The old row's counts out, the new row's in: a review (reviewed_on set, or
-- moved by a second review), or any other change to what is counted.
CREATE TRIGGER report_tally_update
AFTER UPDATE OF submitted_on, space, what, reviewed_on ON report BEGIN
    UPDATE report_day_tally SET reports = reports - 1
    WHERE submitted_on = old.submitted_on AND space = old.space;
    UPDATE report_what_tally SET reports = reports - 1 WHERE what = old.what;
    UPDATE review_wait_tally SET reports = reports - 1
    WHERE old.reviewed_on IS NOT NULL
      AND days = CAST(julianday(old.reviewed_on) - julianday(old.submitted_on) AS INTEGER);
    INSERT INTO report_day_tally (submitted_on, space, reports)
    VALUES (new.submitted_on, new.space, 1)
    ON CONFLICT DO UPDATE SET reports = reports + 1;
    INSERT INTO report_what_tally (what, reports) VALUES (new.what, 1)
    ON CONFLICT DO UPDATE SET reports = reports + 1;
    INSERT INTO review_wait_tally (days, reports)
    SELECT CAST(julianday(new.reviewed_on) - julianday(new.submitted_on) AS INTEGER), 1
    WHERE new.reviewed_on IS NOT NULL
    ON CONFLICT DO UPDATE SET reports = reports + 1;
END;

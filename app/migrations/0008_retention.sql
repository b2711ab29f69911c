-- 0008: a reviewed report's private parts are deleted after PRIVATE_RETENTION_DAYS
-- (app/reports/retention.py). This is the day they were, so a report is cleared
-- once and the organizer's card can say when.
ALTER TABLE report ADD COLUMN private_cleared_on TEXT
    CHECK (private_cleared_on IS NULL OR private_cleared_on = date(private_cleared_on));

-- The daily run reads only reports still waiting to be cleared, by review day.
CREATE INDEX report_private_due ON report (reviewed_on) WHERE private_cleared_on IS NULL;

-- 0006: two-step codes work once, and the audit log records every sign-in try.

-- The last TOTP time step (Unix time // 30) an organizer's code was accepted for.
-- A code for that step or an earlier one is refused: a code read over a shoulder,
-- or typed a second time within its 30 seconds (or the next 30), opens nothing.
ALTER TABLE organizer ADD COLUMN totp_last_step INTEGER;

-- A failed sign-in under a name that is no account is logged too, with no
-- organizer (and never the name typed: people type passwords there by mistake).
-- Both kinds of failure then write one line, so a wrong name and a wrong password
-- still take the same time. SQLite can't drop NOT NULL in place, so the table is
-- rebuilt with its lines, ids, index and append-only triggers.
CREATE TABLE audit_log_new (
    id INTEGER PRIMARY KEY,
    -- NULL only for "sign-in failed" under an unknown name.
    organizer_id INTEGER REFERENCES organizer (id),
    action TEXT NOT NULL,
    -- No foreign key: the log outlives reports deleted by retention.
    report_id INTEGER,
    detail TEXT,
    at TEXT NOT NULL
);

INSERT INTO audit_log_new (id, organizer_id, action, report_id, detail, at)
SELECT id, organizer_id, action, report_id, detail, at FROM audit_log;

DROP TABLE audit_log;

ALTER TABLE audit_log_new RENAME TO audit_log;

CREATE INDEX audit_log_report ON audit_log (report_id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

-- 0003: organizers, their sessions, one-time links, the audit log, and what
-- review needs on reports (duplicates, and a version for spotting conflicts).
--
-- Organizer actions carry times (sessions expire; the audit log says when).
-- Visitors' do not: nothing here is about a reporter.

CREATE TABLE organizer (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(username) BETWEEN 2 AND 40),
    -- scrypt$N$r$p$salt$hash; NULL until an invited organizer sets a password.
    password_hash TEXT,
    role TEXT NOT NULL CHECK (role IN ('admin', 'moderator')),
    disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    -- Base32 TOTP secret once the organizer has turned on a second factor.
    totp_secret TEXT,
    created_on TEXT NOT NULL CHECK (created_on = date(created_on))
);

CREATE TABLE organizer_session (
    -- SHA-256 of the cookie's 256-bit token: a stolen database opens no session.
    token_hash TEXT PRIMARY KEY,
    organizer_id INTEGER NOT NULL REFERENCES organizer (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL
);

CREATE INDEX organizer_session_organizer ON organizer_session (organizer_id);

-- Setup, invitation and password-reset links: each works once, until it expires.
CREATE TABLE one_time_link (
    token_hash TEXT PRIMARY KEY,
    purpose TEXT NOT NULL CHECK (purpose IN ('setup', 'invite', 'reset')),
    organizer_id INTEGER REFERENCES organizer (id) ON DELETE CASCADE,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    organizer_id INTEGER NOT NULL REFERENCES organizer (id),
    action TEXT NOT NULL,
    -- No foreign key: the log outlives reports deleted by retention.
    report_id INTEGER,
    detail TEXT,
    at TEXT NOT NULL
);

CREATE INDEX audit_log_report ON audit_log (report_id);

-- Append-only, whatever the app's code does.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

ALTER TABLE report ADD COLUMN duplicate_of INTEGER REFERENCES report (id) ON DELETE SET NULL;
-- Bumped by every organizer action; an action made on an older version is a conflict.
ALTER TABLE report ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

CREATE INDEX report_queue ON report (status, id);
CREATE INDEX report_space ON report (space, id);
CREATE INDEX report_city ON report (city COLLATE NOCASE, id);

-- Migration 009 (issue 12): password changes: a password set by an administrator (a reset, the generated first
-- password) must be changed by its user at the next sign-in; when the password last changed.
--
-- Runs inside one transaction (opened by the migration runner: do not write BEGIN/COMMIT here).

ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1));
ALTER TABLE users ADD COLUMN password_changed_ms INTEGER;

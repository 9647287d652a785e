-- Migration 008 (issue 11): what a merge must not lose: who raised an alarm, what exactly was lost (cause), and every
-- merged occurrence's severity, message, place and reporter.
--
-- Runs inside one transaction (opened by the migration runner: do not write BEGIN/COMMIT here).

ALTER TABLE alarms ADD COLUMN reporter TEXT;
ALTER TABLE alarms ADD COLUMN cause TEXT;

CREATE TABLE alarm_occurrences (
  id              INTEGER PRIMARY KEY,
  alarm_id        INTEGER NOT NULL REFERENCES alarms (id) ON DELETE CASCADE,
  at_ms           INTEGER NOT NULL,
  severity        TEXT    NOT NULL CHECK (severity IN ('critical', 'major', 'minor', 'info')),
  message         TEXT,
  lat             REAL,
  lon             REAL,
  user_id         INTEGER,
  username        TEXT,
  device_event_id INTEGER
) STRICT;

CREATE INDEX alarm_occurrences_alarm ON alarm_occurrences (alarm_id, id);

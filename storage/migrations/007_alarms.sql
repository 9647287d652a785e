-- Migration 007: alarm center: linkage rules, alarms (merged occurrences with a count), workflow steps, action outcomes, delivery feed.
--
-- Runs inside one transaction (opened by the migration runner: do not write BEGIN/COMMIT here).

CREATE TABLE alarm_rules (
  id           INTEGER PRIMARY KEY,
  name         TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  enabled      INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  match_json   TEXT    NOT NULL CHECK (json_valid(match_json)),
  schedule     TEXT    CHECK (schedule IS NULL OR json_valid(schedule)),
  actions      TEXT    NOT NULL CHECK (json_valid(actions)),
  created_ms   INTEGER NOT NULL,
  updated_ms   INTEGER NOT NULL
) STRICT;

CREATE TABLE alarms (
  id              INTEGER PRIMARY KEY,
  source_id       INTEGER,
  source_name     TEXT    NOT NULL,
  type            TEXT    NOT NULL CHECK (length(type) > 0),
  severity        TEXT    NOT NULL CHECK (severity IN ('critical', 'major', 'minor', 'info')),
  state           TEXT    NOT NULL CHECK (state IN ('new', 'acknowledged', 'in_progress', 'closed')),
  first_ms        INTEGER NOT NULL,
  last_ms         INTEGER NOT NULL,
  count           INTEGER NOT NULL CHECK (count >= 1),
  lat             REAL,
  lon             REAL,
  message         TEXT,
  device_event_id INTEGER,
  test            INTEGER NOT NULL CHECK (test IN (0, 1)),
  rule_ids        TEXT    NOT NULL CHECK (json_valid(rule_ids)),
  escalate_role   TEXT,
  escalate_due_ms INTEGER,
  escalated_ms    INTEGER,
  handler         TEXT,
  updated_ms      INTEGER NOT NULL
) STRICT;

CREATE INDEX alarms_merge ON alarms (source_id, type, last_ms);
CREATE INDEX alarms_first ON alarms (first_ms);
CREATE INDEX alarms_open ON alarms (state) WHERE state <> 'closed';
CREATE INDEX alarms_escalation ON alarms (escalate_due_ms) WHERE escalate_due_ms IS NOT NULL AND escalated_ms IS NULL;

CREATE TABLE alarm_steps (
  id       INTEGER PRIMARY KEY,
  alarm_id INTEGER NOT NULL REFERENCES alarms (id) ON DELETE CASCADE,
  state    TEXT    NOT NULL CHECK (state IN ('new', 'acknowledged', 'in_progress', 'closed')),
  user_id  INTEGER,
  username TEXT,
  at_ms    INTEGER NOT NULL,
  note     TEXT
) STRICT;

CREATE INDEX alarm_steps_alarm ON alarm_steps (alarm_id);
CREATE INDEX alarm_steps_username ON alarm_steps (username, alarm_id);

CREATE TABLE alarm_actions (
  id        INTEGER PRIMARY KEY,
  alarm_id  INTEGER NOT NULL REFERENCES alarms (id) ON DELETE CASCADE,
  rule_id   INTEGER,
  kind      TEXT    NOT NULL CHECK (length(kind) > 0),
  status    TEXT    NOT NULL CHECK (status IN ('ok', 'failed', 'sent')),
  message   TEXT    NOT NULL,
  result_id INTEGER,
  at_ms     INTEGER NOT NULL
) STRICT;

CREATE INDEX alarm_actions_alarm ON alarm_actions (alarm_id);

CREATE TABLE alarm_feed (
  seq      INTEGER PRIMARY KEY AUTOINCREMENT,
  alarm_id INTEGER NOT NULL,
  kind     TEXT    NOT NULL CHECK (kind IN ('raised', 'merged', 'state', 'action', 'escalated')),
  at_ms    INTEGER NOT NULL,
  payload  TEXT    NOT NULL CHECK (json_valid(payload))
) STRICT;

CREATE INDEX alarm_feed_at ON alarm_feed (at_ms);

CREATE TABLE alarm_done_events (
  event_id INTEGER PRIMARY KEY
) STRICT;

INSERT INTO alarm_done_events (event_id) SELECT coalesce(max(id), 0) FROM events;

-- Migration 001: the initial Argus schema (cameras, segments, events, users, sessions, audit_log).
--
-- NEVER EDIT A MIGRATION THAT HAS BEEN APPLIED ANYWHERE. Databases in the field record the version in
-- schema_migrations and will not run this file again, so an edit would make their schema silently differ from a
-- fresh install. Change the schema by adding the next numbered file (002_*.sql), and update storage/schema.sql
-- (the documented current schema; a test checks that both agree). storage/sqlite/migrate.test.ts pins the SHA-256
-- of every released migration.
--
-- Runs inside one transaction (opened by the migration runner: do not write BEGIN/COMMIT here).
-- Units: *_ms = milliseconds since the Unix epoch, UTC (or a duration in ms); *_bytes = bytes; booleans are 0/1.

CREATE TABLE cameras (
  id              INTEGER PRIMARY KEY,
  name            TEXT    NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 64),
  url             TEXT    NOT NULL CHECK (length(url) > 0),
  sub_url         TEXT,
  username        TEXT,
  password        TEXT,
  transport       TEXT    NOT NULL DEFAULT 'tcp' CHECK (transport IN ('tcp', 'udp')),
  enabled         INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  segment_seconds INTEGER NOT NULL CHECK (segment_seconds BETWEEN 1 AND 3600),
  retention_days  INTEGER NOT NULL CHECK (retention_days >= 1),
  group_name      TEXT,
  description     TEXT,
  created_ms      INTEGER NOT NULL,
  updated_ms      INTEGER NOT NULL
) STRICT;

CREATE TABLE segments (
  id          INTEGER PRIMARY KEY,
  camera_id   INTEGER NOT NULL,
  rel_path    TEXT    NOT NULL UNIQUE CHECK (length(rel_path) > 0),
  start_ms    INTEGER NOT NULL,
  end_ms      INTEGER NOT NULL,
  duration_ms INTEGER NOT NULL CHECK (duration_ms >= 0),
  size_bytes  INTEGER NOT NULL CHECK (size_bytes >= 0),
  video_codec TEXT,
  audio_codec TEXT,
  width       INTEGER CHECK (width > 0),
  height      INTEGER CHECK (height > 0),
  fps         REAL    CHECK (fps > 0),
  state       TEXT    NOT NULL CHECK (state IN ('writing', 'closed')),
  protected   INTEGER NOT NULL DEFAULT 0 CHECK (protected IN (0, 1)),
  recovered   INTEGER NOT NULL DEFAULT 0 CHECK (recovered IN (0, 1)),
  CHECK (end_ms >= start_ms AND end_ms - start_ms <= 3600000)
) STRICT;

CREATE INDEX segments_camera_start ON segments (camera_id, start_ms);
CREATE INDEX segments_deletable_end ON segments (end_ms) WHERE state = 'closed' AND protected = 0;
CREATE INDEX segments_deletable_camera_end ON segments (camera_id, end_ms) WHERE state = 'closed' AND protected = 0;
CREATE INDEX segments_writing ON segments (camera_id) WHERE state = 'writing';

CREATE TABLE segment_totals (
  camera_id      INTEGER PRIMARY KEY,
  segment_count  INTEGER NOT NULL CHECK (segment_count >= 0),
  size_bytes     INTEGER NOT NULL CHECK (size_bytes >= 0)
) STRICT;

CREATE TRIGGER segments_totals_insert AFTER INSERT ON segments
BEGIN
  INSERT INTO segment_totals (camera_id, segment_count, size_bytes) VALUES (NEW.camera_id, 1, NEW.size_bytes)
  ON CONFLICT (camera_id) DO UPDATE SET segment_count = segment_count + 1, size_bytes = size_bytes + excluded.size_bytes;
END;

CREATE TRIGGER segments_totals_delete AFTER DELETE ON segments
BEGIN
  UPDATE segment_totals SET segment_count = segment_count - 1, size_bytes = size_bytes - OLD.size_bytes
  WHERE camera_id = OLD.camera_id;
END;

CREATE TRIGGER segments_totals_update AFTER UPDATE OF camera_id, size_bytes ON segments
BEGIN
  UPDATE segment_totals SET segment_count = segment_count - 1, size_bytes = size_bytes - OLD.size_bytes
  WHERE camera_id = OLD.camera_id;
  INSERT INTO segment_totals (camera_id, segment_count, size_bytes) VALUES (NEW.camera_id, 1, NEW.size_bytes)
  ON CONFLICT (camera_id) DO UPDATE SET segment_count = segment_count + 1, size_bytes = size_bytes + excluded.size_bytes;
END;

CREATE TABLE events (
  id        INTEGER PRIMARY KEY,
  camera_id INTEGER,
  type      TEXT    NOT NULL CHECK (length(type) > 0),
  state     TEXT,
  start_ms  INTEGER NOT NULL,
  end_ms    INTEGER CHECK (end_ms IS NULL OR end_ms >= start_ms),
  detail    TEXT    CHECK (detail IS NULL OR json_valid(detail))
) STRICT;

CREATE INDEX events_camera_start ON events (camera_id, start_ms);
CREATE INDEX events_start ON events (start_ms);

CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  username      TEXT    NOT NULL UNIQUE CHECK (length(username) BETWEEN 1 AND 64),
  password_hash TEXT    NOT NULL CHECK (length(password_hash) > 0),
  role          TEXT    NOT NULL CHECK (role IN ('admin', 'dispatcher', 'investigator', 'officer')),
  display_name  TEXT    NOT NULL DEFAULT '',
  disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  created_ms    INTEGER NOT NULL
) STRICT;

CREATE TABLE sessions (
  token_hash   TEXT    PRIMARY KEY CHECK (length(token_hash) = 64 AND token_hash NOT GLOB '*[^0-9a-f]*'),
  user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_ms   INTEGER NOT NULL,
  expires_ms   INTEGER NOT NULL,
  last_seen_ms INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_ms);

CREATE TABLE audit_log (
  id          INTEGER PRIMARY KEY,
  ts_ms       INTEGER NOT NULL,
  user_id     INTEGER,
  username    TEXT,
  action      TEXT    NOT NULL CHECK (length(action) > 0),
  target_type TEXT,
  target_id   TEXT,
  detail      TEXT    CHECK (detail IS NULL OR json_valid(detail)),
  ip          TEXT
) STRICT;

CREATE INDEX audit_log_ts ON audit_log (ts_ms);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;

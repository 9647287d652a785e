-- Migration 006: investigation (issue 6): cases, bookmarks, legal holds, evidence exports and snapshots.
--
-- NEVER EDIT A MIGRATION THAT HAS BEEN APPLIED ANYWHERE (see 001_initial.sql). storage/schema.sql mirrors this file.
-- Runs inside one transaction. Units: *_ms = ms since the Unix epoch, UTC; *_bytes = bytes; booleans are 0/1.

CREATE TABLE cases (
  id          INTEGER PRIMARY KEY,
  reference   TEXT    NOT NULL UNIQUE CHECK (length(reference) BETWEEN 1 AND 64),
  title       TEXT    NOT NULL DEFAULT '' CHECK (length(title) <= 200),
  created_by  TEXT    NOT NULL,
  created_ms  INTEGER NOT NULL,
  updated_ms  INTEGER NOT NULL
) STRICT;

CREATE TABLE bookmarks (
  id          INTEGER PRIMARY KEY,
  camera_id   INTEGER NOT NULL,
  start_ms    INTEGER NOT NULL,
  end_ms      INTEGER NOT NULL,
  note        TEXT    NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
  case_id     INTEGER REFERENCES cases (id) ON DELETE SET NULL,
  created_by  TEXT    NOT NULL,
  created_ms  INTEGER NOT NULL,
  CHECK (end_ms >= start_ms)
) STRICT;

CREATE INDEX bookmarks_camera_start ON bookmarks (camera_id, start_ms);
CREATE INDEX bookmarks_case ON bookmarks (case_id) WHERE case_id IS NOT NULL;

CREATE TABLE legal_holds (
  id           INTEGER PRIMARY KEY,
  case_id      INTEGER NOT NULL REFERENCES cases (id),
  reason       TEXT    NOT NULL DEFAULT '',
  created_by   TEXT    NOT NULL,
  created_ms   INTEGER NOT NULL,
  released_by  TEXT,
  released_ms  INTEGER,
  CHECK ((released_ms IS NULL) = (released_by IS NULL))
) STRICT;

CREATE UNIQUE INDEX legal_holds_active_case ON legal_holds (case_id) WHERE released_ms IS NULL;

CREATE TABLE legal_hold_segments (
  hold_id     INTEGER NOT NULL REFERENCES legal_holds (id),
  segment_id  INTEGER NOT NULL,
  PRIMARY KEY (hold_id, segment_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX legal_hold_segments_segment ON legal_hold_segments (segment_id);

CREATE TABLE exports (
  id            INTEGER PRIMARY KEY,
  case_id       INTEGER NOT NULL REFERENCES cases (id),
  state         TEXT    NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed', 'cancelled')),
  dir_name      TEXT    NOT NULL UNIQUE CHECK (length(dir_name) BETWEEN 1 AND 200),
  request       TEXT    NOT NULL CHECK (json_valid(request)),
  progress      REAL    NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 1),
  error         TEXT,
  created_by    TEXT    NOT NULL,
  created_ms    INTEGER NOT NULL,
  finished_ms   INTEGER,
  manifest_sha256 TEXT
) STRICT;

CREATE INDEX exports_case ON exports (case_id);
CREATE INDEX exports_unfinished ON exports (state) WHERE state IN ('queued', 'running');

CREATE TABLE snapshots (
  id          INTEGER PRIMARY KEY,
  camera_id   INTEGER NOT NULL,
  t_ms        INTEGER NOT NULL,
  source      TEXT    NOT NULL CHECK (source IN ('live', 'playback')),
  note        TEXT    NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
  case_id     INTEGER REFERENCES cases (id) ON DELETE SET NULL,
  rel_path    TEXT    NOT NULL UNIQUE,
  sha256      TEXT    NOT NULL CHECK (length(sha256) = 64),
  size_bytes  INTEGER NOT NULL CHECK (size_bytes >= 0),
  created_by  TEXT    NOT NULL,
  created_ms  INTEGER NOT NULL
) STRICT;

CREATE INDEX snapshots_camera_t ON snapshots (camera_id, t_ms);

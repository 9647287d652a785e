-- Migration 004: ONVIF devices, the ONVIF link of their cameras, PTZ presets and tours, per-user PTZ priority.
--
-- Runs inside one transaction (opened by the migration runner: do not write BEGIN/COMMIT here).

CREATE TABLE onvif_devices (
  id              INTEGER PRIMARY KEY,
  host            TEXT    NOT NULL CHECK (length(host) BETWEEN 1 AND 253),
  port            INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
  urn             TEXT,
  username        TEXT    NOT NULL,
  password_enc    TEXT    NOT NULL,
  manufacturer    TEXT    NOT NULL DEFAULT '',
  model           TEXT    NOT NULL DEFAULT '',
  firmware        TEXT    NOT NULL DEFAULT '',
  serial          TEXT    NOT NULL DEFAULT '',
  events          TEXT    NOT NULL DEFAULT 'unknown' CHECK (events IN ('unknown', 'supported', 'unsupported')),
  created_ms      INTEGER NOT NULL,
  UNIQUE (host, port)
) STRICT;

CREATE TABLE onvif_cameras (
  camera_id         INTEGER PRIMARY KEY REFERENCES cameras (id) ON DELETE CASCADE,
  device_id         INTEGER NOT NULL REFERENCES onvif_devices (id) ON DELETE CASCADE,
  source_token      TEXT    NOT NULL,
  profile_token     TEXT    NOT NULL,
  sub_profile_token TEXT,
  snapshot_uri      TEXT,
  ptz               INTEGER NOT NULL CHECK (ptz IN (0, 1)),
  codec             TEXT,
  width             INTEGER,
  height            INTEGER,
  fps               REAL
) STRICT;

CREATE INDEX onvif_cameras_device ON onvif_cameras (device_id);

CREATE TABLE ptz_presets (
  id        INTEGER PRIMARY KEY AUTOINCREMENT,
  camera_id INTEGER NOT NULL REFERENCES cameras (id) ON DELETE CASCADE,
  token     TEXT    NOT NULL CHECK (length(token) > 0),
  name      TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
  UNIQUE (camera_id, token)
) STRICT;

CREATE TABLE ptz_tours (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  camera_id  INTEGER NOT NULL REFERENCES cameras (id) ON DELETE CASCADE,
  name       TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
  steps      TEXT    NOT NULL CHECK (json_valid(steps)),
  running    INTEGER NOT NULL DEFAULT 0 CHECK (running IN (0, 1)),
  updated_ms INTEGER NOT NULL
) STRICT;

CREATE INDEX ptz_tours_camera ON ptz_tours (camera_id);

CREATE TABLE ptz_user_priority (
  user_id  INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  priority INTEGER NOT NULL CHECK (priority BETWEEN 0 AND 100)
) STRICT;

-- Migration 002: mobile units (4G uplinks from patrol cars, body-worn and handheld cameras).
--
-- A unit is a video source in the cameras id space: it has a cameras row of kind 'uplink' (name = callsign,
-- url = the placeholder 'uplink:', no credentials), so its segments, retention and crash recovery work exactly like a
-- camera's. What only units have lives in the units table, keyed by the cameras row.
--
-- Runs inside one transaction (opened by the migration runner: do not write BEGIN/COMMIT here).

ALTER TABLE cameras ADD COLUMN kind TEXT NOT NULL DEFAULT 'rtsp' CHECK (kind IN ('rtsp', 'uplink'));

CREATE TABLE units (
  camera_id       INTEGER PRIMARY KEY REFERENCES cameras (id) ON DELETE CASCADE,
  type            TEXT    NOT NULL CHECK (type IN ('vehicle', 'body', 'handheld', 'portable')),
  officer         TEXT,
  stream_key_hash TEXT    NOT NULL CHECK (length(stream_key_hash) = 64 AND stream_key_hash NOT GLOB '*[^0-9a-f]*'),
  key_rotated_ms  INTEGER NOT NULL
) STRICT;

CREATE TRIGGER units_camera_is_uplink BEFORE INSERT ON units
WHEN (SELECT kind FROM cameras WHERE id = NEW.camera_id) IS NOT 'uplink'
BEGIN
  SELECT RAISE(ABORT, 'units.camera_id must be a cameras row of kind uplink');
END;

CREATE TRIGGER cameras_kind_fixed BEFORE UPDATE OF kind ON cameras
WHEN NEW.kind IS NOT OLD.kind
BEGIN
  SELECT RAISE(ABORT, 'cameras.kind cannot change');
END;

-- Migration 005: GPS telemetry of mobile units, geofences, fixed cameras' places on the map (issue 5).
--
-- Runs inside one transaction (opened by the migration runner: do not write BEGIN/COMMIT here).

-- Every stored GPS point of a unit, in the unit's own time, clustered by (unit, time) so a track is one contiguous read.
-- No foreign key to cameras: like recordings, a deleted unit's track stays (evidence) until GPS retention removes it.
CREATE TABLE gps_points (
  unit_id     INTEGER NOT NULL CHECK (unit_id BETWEEN 1 AND 4194303),    -- the unit (its cameras.id); < 2^22 (see the R*Tree id)
  t_ms        INTEGER NOT NULL CHECK (t_ms >= 946684800000 AND t_ms < 3145708055552), -- the unit's timestamp of the fix (ms since epoch, UTC; 2000-01-01 .. 2069)
  lat         REAL    NOT NULL CHECK (lat BETWEEN -90 AND 90),      -- WGS-84 latitude, degrees
  lon         REAL    NOT NULL CHECK (lon BETWEEN -180 AND 180),    -- WGS-84 longitude, degrees
  alt_m       REAL,                                                 -- altitude above mean sea level, metres; NULL when unknown
  speed_mps   REAL,                                                 -- ground speed, metres per second; NULL when unknown
  heading_deg REAL,                                                 -- course over ground, degrees clockwise from true north; NULL when unknown
  accuracy_m  REAL,                                                 -- estimated horizontal error, metres; NULL when unknown
  battery_pct REAL,                                                 -- the unit's battery, percent; NULL when unknown
  signal_dbm  REAL,                                                 -- mobile signal strength, dBm; NULL when unknown
  sos         INTEGER NOT NULL DEFAULT 0 CHECK (sos IN (0, 1)),     -- boolean: the unit's SOS was active at this point
  received_ms INTEGER NOT NULL,                                     -- server time the point arrived (ms since epoch, UTC); > t_ms + a few s means it was buffered
  PRIMARY KEY (unit_id, t_ms)                                       -- one point per unit and time (duplicates are dropped by INSERT OR IGNORE)
) STRICT, WITHOUT ROWID;

-- Spatial and time index of gps_points (R*Tree: 32-bit float boxes rounded outwards, so exact values ride along as
-- auxiliary columns and are re-checked). id = unit_id * 2^41 + (t_ms - 946684800000): one entry per point.
CREATE VIRTUAL TABLE gps_points_rtree USING rtree (id, min_lat, max_lat, min_lon, max_lon, min_t, max_t, +unit_id, +t_ms, +lat, +lon);

-- Keeps the R*Tree in step with gps_points (box time in seconds).
CREATE TRIGGER gps_points_rtree_insert AFTER INSERT ON gps_points
BEGIN
  INSERT INTO gps_points_rtree VALUES (NEW.unit_id * 2199023255552 + (NEW.t_ms - 946684800000), NEW.lat, NEW.lat, NEW.lon, NEW.lon,
    NEW.t_ms / 1000.0, NEW.t_ms / 1000.0, NEW.unit_id, NEW.t_ms, NEW.lat, NEW.lon);
END;

CREATE TRIGGER gps_points_rtree_delete AFTER DELETE ON gps_points
BEGIN
  DELETE FROM gps_points_rtree WHERE id = OLD.unit_id * 2199023255552 + (OLD.t_ms - 946684800000);
END;

-- Geofences: areas whose crossing by a watched unit produces geofence_enter / geofence_exit device events.
CREATE TABLE gps_geofences (
  id         INTEGER PRIMARY KEY,                                               -- geofence id
  name       TEXT    NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),    -- operator-facing name
  shape      TEXT    NOT NULL CHECK (shape IN ('polygon', 'circle')),           -- kind of area
  geometry   TEXT    NOT NULL CHECK (json_valid(geometry)),                     -- JSON: polygon [[lat, lon], ...] or circle {lat, lon, radiusM} (WGS-84, metres)
  unit_ids   TEXT    CHECK (unit_ids IS NULL OR json_valid(unit_ids)),          -- JSON array of watched unit ids; NULL = not chosen by id
  unit_types TEXT    CHECK (unit_types IS NULL OR json_valid(unit_types)),      -- JSON array of watched unit types; NULL = not chosen by type (both NULL: every unit)
  enabled    INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),              -- boolean: crossings produce events
  created_ms INTEGER NOT NULL,                                                  -- creation time (ms since epoch, UTC)
  updated_ms INTEGER NOT NULL                                                   -- last change (ms since epoch, UTC)
) STRICT;

-- Refused telemetry counted per unit and reason (the claimed unit id for unknown units).
CREATE TABLE gps_rejects (
  unit_id INTEGER NOT NULL,                                                     -- the unit the telemetry claimed to come from
  reason  TEXT    NOT NULL CHECK (length(reason) > 0),                          -- e.g. 'lat_out_of_range', 'future_timestamp', 'malformed_json', 'bad_key'
  count   INTEGER NOT NULL CHECK (count >= 0),                                  -- how many points or messages were refused for this reason
  last_ms INTEGER NOT NULL,                                                     -- server time of the last refusal (ms since epoch, UTC)
  PRIMARY KEY (unit_id, reason)                                                 -- one counter per unit and reason
) STRICT;

-- Where a fixed camera stands on the map and where it looks (set by dragging it in the console).
ALTER TABLE cameras ADD COLUMN map_lat REAL;
ALTER TABLE cameras ADD COLUMN map_lon REAL;
ALTER TABLE cameras ADD COLUMN map_view_deg REAL;

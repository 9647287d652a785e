-- Migration 014 (issue 17): one model for every device and channel; the organisation tree.
--
-- Every cameras row becomes a channel with THE SAME id; every camera that is not linked to an ONVIF device and every
-- unit becomes a device with that same id too; the cameras linked to one ONVIF device become the channels of one
-- device (id = the lowest of their ids). Rows that refer to a camera or unit id (segments, segment_totals, events,
-- bookmarks, snapshots, exports.request, alarms, alarm_rules, wall layouts and states, gps_points, geofences,
-- audit_log) are NOT rewritten: the numbers they hold keep naming the same source.
--
-- Runs inside one transaction (opened by the migration runner: do not write BEGIN/COMMIT here). foreign_keys is ON
-- and cannot be switched off inside a transaction, and DROP TABLE of a parent deletes (cascades) its children's rows:
-- so every child table is copied and dropped BEFORE its parent. Nothing here touches files on disk.

-- 1. The organisation tree: a root (id 1, name '' = "all devices", worded by the console) and one node under it per
--    distinct non-blank group name of cameras and units.
CREATE TABLE org_nodes (
  id          INTEGER PRIMARY KEY,
  parent_id   INTEGER REFERENCES org_nodes (id),
  name        TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 128 OR (id = 1 AND name = '')),
  code        TEXT    CHECK (code IS NULL OR (length(code) BETWEEN 2 AND 20 AND code NOT GLOB '*[^0-9]*')),
  path        TEXT    NOT NULL UNIQUE CHECK (path GLOB '/*/'),
  depth       INTEGER NOT NULL CHECK (depth BETWEEN 0 AND 15),
  sort_order  INTEGER NOT NULL DEFAULT 0,
  created_ms  INTEGER NOT NULL,
  updated_ms  INTEGER NOT NULL,
  CHECK ((parent_id IS NULL) = (id = 1)),
  CHECK ((depth = 0) = (id = 1))
) STRICT;
CREATE UNIQUE INDEX org_nodes_sibling_name ON org_nodes (parent_id, name);
CREATE UNIQUE INDEX org_nodes_code ON org_nodes (code) WHERE code IS NOT NULL;

INSERT INTO org_nodes (id, parent_id, name, code, path, depth, created_ms, updated_ms)
VALUES (1, NULL, '', NULL, '/1/', 0, (SELECT coalesce(min(created_ms), 0) FROM cameras), (SELECT coalesce(min(created_ms), 0) FROM cameras));

INSERT INTO org_nodes (id, parent_id, name, path, depth, created_ms, updated_ms)
SELECT 1 + n, 1, g, '/1/' || (1 + n) || '/', 1, c, c FROM (
  SELECT trim(group_name) AS g, min(created_ms) AS c, row_number() OVER (ORDER BY min(id)) AS n FROM cameras
  WHERE group_name IS NOT NULL AND trim(group_name) <> '' GROUP BY trim(group_name)
);

-- 2. Devices. Device id: camera/unit id; for an ONVIF device, its lowest linked camera id, or (no camera left) a new
--    id above every id in use. vendor/model/firmware/serial move here from onvif_devices.
CREATE TABLE devices (
  id           INTEGER PRIMARY KEY,
  node_id      INTEGER NOT NULL REFERENCES org_nodes (id),
  kind         TEXT    NOT NULL CHECK (kind IN ('rtsp', 'onvif', 'agent', 'gb28181', 'jt808')),
  name         TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 128),
  code         TEXT    CHECK (code IS NULL OR length(code) BETWEEN 1 AND 64),
  vendor       TEXT    NOT NULL DEFAULT '',
  model        TEXT    NOT NULL DEFAULT '',
  firmware     TEXT    NOT NULL DEFAULT '',
  serial       TEXT    NOT NULL DEFAULT '',
  enabled      INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  approved     INTEGER NOT NULL DEFAULT 1 CHECK (approved IN (0, 1)),
  callsign     TEXT    CHECK (callsign IS NULL OR length(callsign) BETWEEN 1 AND 64),
  mobile_type  TEXT    CHECK (mobile_type IS NULL OR mobile_type IN ('vehicle', 'body', 'handheld', 'portable')),
  officer      TEXT,
  plate        TEXT,
  created_ms   INTEGER NOT NULL,
  updated_ms   INTEGER NOT NULL,
  CHECK ((callsign IS NULL) = (mobile_type IS NULL)),
  CHECK (kind <> 'agent' OR callsign IS NOT NULL),
  CHECK (kind <> 'gb28181' OR (code IS NOT NULL AND length(code) = 20 AND code NOT GLOB '*[^0-9]*')),
  CHECK (kind <> 'jt808' OR (code IS NOT NULL AND length(code) BETWEEN 11 AND 20 AND code NOT GLOB '*[^0-9]*'))
) STRICT;
CREATE INDEX devices_node ON devices (node_id);
CREATE UNIQUE INDEX devices_kind_code ON devices (kind, code) WHERE code IS NOT NULL;
CREATE UNIQUE INDEX devices_callsign ON devices (callsign) WHERE callsign IS NOT NULL;

CREATE TRIGGER devices_kind_fixed BEFORE UPDATE OF kind ON devices
WHEN NEW.kind IS NOT OLD.kind AND NOT (OLD.kind = 'onvif' AND NEW.kind = 'rtsp')
BEGIN
  SELECT RAISE(ABORT, 'devices.kind cannot change (except onvif -> rtsp when the ONVIF link is removed)');
END;

-- The node of a camera/unit row: its group's node, else the root.
CREATE TEMP TABLE m_node AS
SELECT c.id AS camera_id,
       coalesce((SELECT n.id FROM org_nodes n WHERE n.parent_id = 1 AND n.name = trim(c.group_name)), 1) AS node_id
FROM cameras c;

-- The device each cameras row goes to.
CREATE TEMP TABLE m_device (camera_id INTEGER PRIMARY KEY, device_id INTEGER NOT NULL, onvif_id INTEGER);
INSERT INTO m_device (camera_id, device_id, onvif_id)
SELECT c.id,
       CASE WHEN oc.device_id IS NULL THEN c.id
            ELSE (SELECT min(camera_id) FROM onvif_cameras WHERE device_id = oc.device_id) END,
       oc.device_id
FROM cameras c LEFT JOIN onvif_cameras oc ON oc.camera_id = c.id;

-- Plain RTSP cameras and units: one device each.
INSERT INTO devices (id, node_id, kind, name, enabled, callsign, mobile_type, officer, created_ms, updated_ms)
SELECT c.id, n.node_id, CASE c.kind WHEN 'uplink' THEN 'agent' ELSE 'rtsp' END, c.name,
       CASE c.kind WHEN 'uplink' THEN c.enabled ELSE 1 END,
       CASE c.kind WHEN 'uplink' THEN c.name END, u.type, u.officer, c.created_ms, c.updated_ms
FROM cameras c JOIN m_node n ON n.camera_id = c.id LEFT JOIN units u ON u.camera_id = c.id
WHERE c.id IN (SELECT camera_id FROM m_device WHERE onvif_id IS NULL);

-- ONVIF devices: one device per onvif_devices row, under the node of its lowest camera.
INSERT INTO devices (id, node_id, kind, name, vendor, model, firmware, serial, created_ms, updated_ms)
SELECT coalesce((SELECT min(camera_id) FROM onvif_cameras WHERE device_id = d.id),
                (SELECT coalesce(max(id), 0) FROM cameras) + d.id),
       coalesce((SELECT n.node_id FROM m_node n WHERE n.camera_id = (SELECT min(camera_id) FROM onvif_cameras WHERE device_id = d.id)), 1),
       'onvif',
       CASE WHEN trim(d.manufacturer || ' ' || d.model) = '' THEN d.host ELSE trim(d.manufacturer || ' ' || d.model) END,
       d.manufacturer, d.model, d.firmware, d.serial, d.created_ms, d.created_ms
FROM onvif_devices d;

-- 3. Channels: one per cameras row, same id.
CREATE TABLE channels (
  id              INTEGER PRIMARY KEY,
  device_id       INTEGER NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
  ordinal         INTEGER NOT NULL CHECK (ordinal BETWEEN 1 AND 4096),
  name            TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
  code            TEXT    CHECK (code IS NULL OR length(code) BETWEEN 1 AND 64),
  enabled         INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  record_mode     TEXT    NOT NULL DEFAULT 'continuous' CHECK (record_mode IN ('continuous', 'alarm', 'off')),
  pre_alarm_s     INTEGER NOT NULL DEFAULT 10 CHECK (pre_alarm_s BETWEEN 0 AND 300),
  post_alarm_s    INTEGER NOT NULL DEFAULT 30 CHECK (post_alarm_s BETWEEN 0 AND 3600),
  segment_seconds INTEGER NOT NULL CHECK (segment_seconds BETWEEN 1 AND 3600),
  retention_days  INTEGER NOT NULL CHECK (retention_days >= 1),
  ptz             INTEGER NOT NULL DEFAULT 0 CHECK (ptz IN (0, 1)),
  video_codec     TEXT,
  width           INTEGER CHECK (width IS NULL OR width > 0),
  height          INTEGER CHECK (height IS NULL OR height > 0),
  fps             REAL    CHECK (fps IS NULL OR fps > 0),
  map_lat         REAL    CHECK (map_lat IS NULL OR map_lat BETWEEN -90 AND 90),
  map_lon         REAL    CHECK (map_lon IS NULL OR map_lon BETWEEN -180 AND 180),
  map_view_deg    REAL,
  description     TEXT,
  created_ms      INTEGER NOT NULL,
  updated_ms      INTEGER NOT NULL,
  CHECK ((map_lat IS NULL) = (map_lon IS NULL)),
  UNIQUE (device_id, ordinal)
) STRICT;
CREATE UNIQUE INDEX channels_name ON channels (name);
CREATE INDEX channels_device ON channels (device_id);

CREATE TRIGGER channels_device_fixed BEFORE UPDATE OF device_id ON channels
WHEN NEW.device_id IS NOT OLD.device_id
BEGIN
  SELECT RAISE(ABORT, 'channels.device_id cannot change');
END;

INSERT INTO channels (id, device_id, ordinal, name, enabled, segment_seconds, retention_days, ptz, video_codec, width, height,
                      fps, map_lat, map_lon, map_view_deg, description, created_ms, updated_ms)
SELECT c.id, m.device_id,
       (SELECT count(*) FROM m_device m2 WHERE m2.device_id = m.device_id AND m2.camera_id <= c.id),
       c.name, CASE c.kind WHEN 'uplink' THEN 1 ELSE c.enabled END, c.segment_seconds, c.retention_days,
       coalesce(oc.ptz, 0), oc.codec, oc.width, oc.height, oc.fps, c.map_lat, c.map_lon, c.map_view_deg, c.description,
       c.created_ms, c.updated_ms
FROM cameras c JOIN m_device m ON m.camera_id = c.id LEFT JOIN onvif_cameras oc ON oc.camera_id = c.id;

-- 4. Protocol tables (adapters' own facts; the recorder never reads them).
CREATE TABLE rtsp_channels (
  channel_id INTEGER PRIMARY KEY REFERENCES channels (id) ON DELETE CASCADE,
  url        TEXT    NOT NULL CHECK (length(url) > 0),
  sub_url    TEXT,
  username   TEXT,
  password   TEXT,
  transport  TEXT    NOT NULL DEFAULT 'tcp' CHECK (transport IN ('tcp', 'udp'))
) STRICT;
INSERT INTO rtsp_channels (channel_id, url, sub_url, username, password, transport)
SELECT id, url, sub_url, username, password, transport FROM cameras WHERE kind = 'rtsp';

CREATE TABLE agent_devices (
  device_id       INTEGER PRIMARY KEY REFERENCES devices (id) ON DELETE CASCADE,
  stream_key_hash TEXT    NOT NULL CHECK (length(stream_key_hash) = 64 AND stream_key_hash NOT GLOB '*[^0-9a-f]*'),
  key_rotated_ms  INTEGER NOT NULL
) STRICT;
CREATE TRIGGER agent_devices_kind BEFORE INSERT ON agent_devices
WHEN (SELECT kind FROM devices WHERE id = NEW.device_id) IS NOT 'agent'
BEGIN
  SELECT RAISE(ABORT, 'agent_devices.device_id must be a device of kind agent');
END;
INSERT INTO agent_devices (device_id, stream_key_hash, key_rotated_ms) SELECT camera_id, stream_key_hash, key_rotated_ms FROM units;

CREATE TABLE onvif_channels (
  channel_id        INTEGER PRIMARY KEY REFERENCES channels (id) ON DELETE CASCADE,
  source_token      TEXT    NOT NULL,
  profile_token     TEXT    NOT NULL,
  sub_profile_token TEXT,
  snapshot_uri      TEXT
) STRICT;
INSERT INTO onvif_channels (channel_id, source_token, profile_token, sub_profile_token, snapshot_uri)
SELECT camera_id, source_token, profile_token, sub_profile_token, snapshot_uri FROM onvif_cameras;

-- onvif_devices is rebuilt keyed to its device (its own id is kept: the ONVIF API paths name it).
CREATE TABLE onvif_devices_new (
  id           INTEGER PRIMARY KEY,
  device_id    INTEGER NOT NULL UNIQUE REFERENCES devices (id) ON DELETE CASCADE,
  host         TEXT    NOT NULL CHECK (length(host) BETWEEN 1 AND 253),
  port         INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
  urn          TEXT,
  username     TEXT    NOT NULL,
  password_enc TEXT    NOT NULL,
  events       TEXT    NOT NULL DEFAULT 'unknown' CHECK (events IN ('unknown', 'supported', 'unsupported')),
  created_ms   INTEGER NOT NULL,
  UNIQUE (host, port)
) STRICT;
INSERT INTO onvif_devices_new (id, device_id, host, port, urn, username, password_enc, events, created_ms)
SELECT d.id, coalesce((SELECT min(camera_id) FROM onvif_cameras WHERE device_id = d.id), (SELECT coalesce(max(id), 0) FROM cameras) + d.id),
       d.host, d.port, d.urn, d.username, d.password_enc, d.events, d.created_ms
FROM onvif_devices d;

-- 5. PTZ tables rebuilt to refer to channels (same names, columns and ids; AUTOINCREMENT counters carried over so a
--    preset or tour id is never reused).
CREATE TEMP TABLE m_seq AS SELECT name, seq FROM sqlite_sequence WHERE name IN ('ptz_presets', 'ptz_tours');

CREATE TABLE ptz_presets_new (
  id        INTEGER PRIMARY KEY AUTOINCREMENT,
  camera_id INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  token     TEXT    NOT NULL CHECK (length(token) > 0),
  name      TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
  UNIQUE (camera_id, token)
) STRICT;
INSERT INTO ptz_presets_new (id, camera_id, token, name) SELECT id, camera_id, token, name FROM ptz_presets;

CREATE TABLE ptz_tours_new (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  camera_id  INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  name       TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
  steps      TEXT    NOT NULL CHECK (json_valid(steps)),
  running    INTEGER NOT NULL DEFAULT 0 CHECK (running IN (0, 1)),
  updated_ms INTEGER NOT NULL
) STRICT;
INSERT INTO ptz_tours_new (id, camera_id, name, steps, running, updated_ms) SELECT id, camera_id, name, steps, running, updated_ms FROM ptz_tours;

-- 6. Drop the old tables, children first (a DROP of a parent would cascade-delete the children's rows).
DROP TABLE ptz_presets;
DROP TABLE ptz_tours;
DROP TABLE onvif_cameras;
DROP TABLE units;
DROP TABLE onvif_devices;
DROP TRIGGER cameras_kind_fixed;
DROP TABLE cameras;

ALTER TABLE ptz_presets_new RENAME TO ptz_presets;
ALTER TABLE ptz_tours_new RENAME TO ptz_tours;
ALTER TABLE onvif_devices_new RENAME TO onvif_devices;
CREATE INDEX ptz_tours_camera ON ptz_tours (camera_id);
UPDATE sqlite_sequence SET seq = max(seq, coalesce((SELECT seq FROM m_seq WHERE m_seq.name = sqlite_sequence.name), 0))
WHERE name IN ('ptz_presets', 'ptz_tours');
INSERT INTO sqlite_sequence (name, seq) SELECT name, seq FROM m_seq WHERE name NOT IN (SELECT name FROM sqlite_sequence);
DROP TABLE m_seq;

-- 7. Id counters that never go back: 'source' for devices and channels, starting above every id any stored row
--    mentions; 'org' for organisation nodes (a grant on a deleted node must never come to cover a new one).
CREATE TABLE id_counter (
  name TEXT    PRIMARY KEY CHECK (name IN ('source', 'org')),
  next INTEGER NOT NULL CHECK (next >= 1)
) STRICT;
INSERT INTO id_counter (name, next) SELECT 'source', 1 + max(
  (SELECT coalesce(max(id), 0) FROM devices),
  (SELECT coalesce(max(id), 0) FROM channels),
  (SELECT coalesce(max(camera_id), 0) FROM segment_totals),
  (SELECT coalesce(max(camera_id), 0) FROM events),
  (SELECT coalesce(max(camera_id), 0) FROM bookmarks),
  (SELECT coalesce(max(camera_id), 0) FROM snapshots),
  (SELECT coalesce(max(source_id), 0) FROM alarms),
  (SELECT coalesce(max(unit_id), 0) FROM gps_points));
INSERT INTO id_counter (name, next) SELECT 'org', 1 + (SELECT max(id) FROM org_nodes);

-- 8. Who an alarm and an event are about, from now on written by every producer; old alarms backfilled.
ALTER TABLE alarms ADD COLUMN device_id INTEGER;
ALTER TABLE alarms ADD COLUMN channel_id INTEGER;
ALTER TABLE events ADD COLUMN device_id INTEGER;
UPDATE alarms SET
  device_id  = (SELECT device_id FROM channels WHERE id = alarms.source_id),
  channel_id = CASE WHEN type IN ('sos', 'geofence_enter', 'geofence_exit') OR cause = 'telemetry_link_lost' THEN NULL
                    ELSE (SELECT id FROM channels WHERE id = alarms.source_id) END
WHERE source_id IS NOT NULL;

-- Until every producer names them itself (the device services), an alarm or event inserted without device_id gets
-- them from source_id / camera_id by the rule of the backfill above; a producer that sets device_id is left alone.
CREATE TRIGGER alarms_device_channel AFTER INSERT ON alarms
WHEN NEW.source_id IS NOT NULL AND NEW.device_id IS NULL
BEGIN
  UPDATE alarms SET
    device_id  = (SELECT device_id FROM channels WHERE id = NEW.source_id),
    channel_id = CASE WHEN NEW.type IN ('sos', 'geofence_enter', 'geofence_exit') OR NEW.cause = 'telemetry_link_lost' THEN NULL
                      ELSE (SELECT id FROM channels WHERE id = NEW.source_id) END
  WHERE id = NEW.id;
END;

CREATE TRIGGER events_device AFTER INSERT ON events
WHEN NEW.camera_id IS NOT NULL AND NEW.device_id IS NULL
BEGIN
  UPDATE events SET device_id = (SELECT device_id FROM channels WHERE id = NEW.camera_id) WHERE id = NEW.id;
END;

-- Alarm windows of channels recording on alarm (record_mode 'alarm'): retention keeps the segments they overlap.
-- No foreign key: like segments, they outlive the channel's configuration.
CREATE TABLE alarm_recordings (
  id         INTEGER PRIMARY KEY,
  channel_id INTEGER NOT NULL,
  alarm_id   INTEGER,
  start_ms   INTEGER NOT NULL,
  end_ms     INTEGER NOT NULL,
  CHECK (end_ms >= start_ms)
) STRICT;
CREATE INDEX alarm_recordings_channel ON alarm_recordings (channel_id, start_ms);

-- 9. The conversion, in the audit log (append-only): what became what, and any group an ONVIF camera left (only when
--    there was anything to convert).
INSERT INTO audit_log (ts_ms, user_id, username, action, target_type, target_id, detail, ip)
SELECT CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER), NULL, NULL, 'devices.migrated', NULL, NULL,
  json_object(
    'nodes', (SELECT count(*) FROM org_nodes),
    'devices', (SELECT count(*) FROM devices),
    'channels', (SELECT count(*) FROM channels),
    'onvifMerged', (SELECT json_group_array(json_object('deviceId', device_id, 'channelIds', json(ids))) FROM
                     (SELECT device_id, json_group_array(camera_id) AS ids FROM m_device WHERE onvif_id IS NOT NULL GROUP BY device_id HAVING count(*) > 1)),
    'groupsLeft', (SELECT json_group_array(json_object('channelId', m.camera_id, 'node', n.node_id, 'deviceNode', d.node_id))
                    FROM m_device m JOIN m_node n ON n.camera_id = m.camera_id JOIN devices d ON d.id = m.device_id WHERE n.node_id <> d.node_id)),
  NULL
WHERE EXISTS (SELECT 1 FROM devices); -- a new, empty database converts nothing: no entry

DROP TABLE temp.m_node;
DROP TABLE temp.m_device;

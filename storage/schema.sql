-- The current Argus database schema, as documentation (SQLite). NOT executed by the application: the schema is
-- created and changed only by the numbered files in storage/migrations/. storage/sqlite/schema.test.ts applies this
-- file to one database and the migrations to another and fails if tables, columns, CHECK constraints, indexes,
-- foreign keys or triggers differ, so update this file in the same change as every new migration.
--
-- Conventions:
--   *_ms     INTEGER milliseconds since the Unix epoch, UTC (or, for duration_ms, a duration in milliseconds)
--   *_bytes  INTEGER bytes
--   booleans INTEGER 0 (false) / 1 (true), enforced by CHECK
--   detail   TEXT holding JSON (NULL when absent), enforced by json_valid()
--   All tables are STRICT (values must match the declared column type). Column names are snake_case; the
--   repositories map them to the camelCase fields of storage/repositories.ts.

-- Applied migrations; written by the migration runner (storage/sqlite/migrate.ts), not by a migration.
CREATE TABLE schema_migrations (
  version    INTEGER PRIMARY KEY,          -- migration number: 1 for 001_initial.sql, ...
  applied_ms INTEGER NOT NULL              -- when it was applied (ms since epoch, UTC)
) STRICT;

-- ---------- Devices, channels and the organisation tree (issue 17, migration 014; docs/design/devices.md) ----------
-- Ids: a channel id is the old camera id (segments.camera_id, events.camera_id, bookmarks, snapshots, PTZ rows,
-- alarms.source_id, wall tiles ... hold channel ids); a device id is the old camera or unit id (gps_points.unit_id,
-- geofences hold device ids). Device, channel and organisation node ids come from id_counter and are never reused.

-- The organisation tree (市局 → 分局 → 派出所 → 中队), as a materialised path. The root has id 1.
CREATE TABLE org_nodes (
  id          INTEGER PRIMARY KEY,                                                    -- node id; 1 = the root
  parent_id   INTEGER REFERENCES org_nodes (id),                                      -- parent node; NULL only for the root
  name        TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 128 OR (id = 1 AND name = '')), -- unique among siblings; '' = unnamed root (the console words it)
  code        TEXT    CHECK (code IS NULL OR (length(code) BETWEEN 2 AND 20 AND code NOT GLOB '*[^0-9]*')), -- GB/T 2260 civil code or GB/T 28181 organisation code, unique; NULL when none
  path        TEXT    NOT NULL UNIQUE CHECK (path GLOB '/*/'),                        -- ids from the root: '/1/4/9/' (subtree = path GLOB '/1/4/*')
  depth       INTEGER NOT NULL CHECK (depth BETWEEN 0 AND 15),                        -- 0 for the root
  sort_order  INTEGER NOT NULL DEFAULT 0,                                             -- order among siblings (then name)
  created_ms  INTEGER NOT NULL,                                                       -- creation time (ms since epoch, UTC)
  updated_ms  INTEGER NOT NULL,                                                       -- last change (ms since epoch, UTC)
  CHECK ((parent_id IS NULL) = (id = 1)),
  CHECK ((depth = 0) = (id = 1))
) STRICT;
-- Sibling names are unique.
CREATE UNIQUE INDEX org_nodes_sibling_name ON org_nodes (parent_id, name);
-- Organisation codes are unique.
CREATE UNIQUE INDEX org_nodes_code ON org_nodes (code) WHERE code IS NOT NULL;

-- Devices: what has an address, a credential and a connection (camera, NVR/encoder, agent phone, body camera,
-- vehicle terminal). Deleting a device deletes its channels and adapter rows; recordings and other evidence stay.
CREATE TABLE devices (
  id           INTEGER PRIMARY KEY,                                                    -- device id (from id_counter; migrated: the camera or unit id)
  node_id      INTEGER NOT NULL REFERENCES org_nodes (id),                             -- the organisation node it belongs to
  kind         TEXT    NOT NULL CHECK (kind IN ('rtsp', 'onvif', 'agent', 'gb28181', 'jt808')), -- protocol; never changes except onvif -> rtsp
  name         TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 128),                -- operator-facing name
  code         TEXT    CHECK (code IS NULL OR length(code) BETWEEN 1 AND 64),          -- external identity (GB device ID, JT/T phone number), unique per kind; NULL for rtsp, onvif, agent
  vendor       TEXT    NOT NULL DEFAULT '',                                            -- manufacturer
  model        TEXT    NOT NULL DEFAULT '',                                            -- model
  firmware     TEXT    NOT NULL DEFAULT '',                                            -- firmware version
  serial       TEXT    NOT NULL DEFAULT '',                                            -- serial number
  enabled      INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),                   -- boolean: may connect at all (publish, be dialled, register)
  approved     INTEGER NOT NULL DEFAULT 1 CHECK (approved IN (0, 1)),                  -- boolean: 0 = awaiting approval (GB/JT devices that announced themselves)
  callsign     TEXT    CHECK (callsign IS NULL OR length(callsign) BETWEEN 1 AND 64),  -- mobile identity: callsign, unique; NULL = a fixed device
  mobile_type  TEXT    CHECK (mobile_type IS NULL OR mobile_type IN ('vehicle', 'body', 'handheld', 'portable')), -- mobile identity: = UNIT_TYPES / MOBILE_TYPES
  officer      TEXT,                                                                   -- mobile identity: assigned officer, NULL when none
  plate        TEXT,                                                                   -- mobile identity: vehicle plate, NULL when none
  created_ms   INTEGER NOT NULL,                                                       -- creation time (ms since epoch, UTC)
  updated_ms   INTEGER NOT NULL,                                                       -- last change (ms since epoch, UTC)
  CHECK ((callsign IS NULL) = (mobile_type IS NULL)),
  CHECK (kind <> 'agent' OR callsign IS NOT NULL),
  CHECK (kind <> 'gb28181' OR (code IS NOT NULL AND length(code) = 20 AND code NOT GLOB '*[^0-9]*')),
  CHECK (kind <> 'jt808' OR (code IS NOT NULL AND length(code) BETWEEN 11 AND 20 AND code NOT GLOB '*[^0-9]*'))
) STRICT;
-- Devices of a node.
CREATE INDEX devices_node ON devices (node_id);
-- External identities are unique per kind.
CREATE UNIQUE INDEX devices_kind_code ON devices (kind, code) WHERE code IS NOT NULL;
-- Callsigns are unique among all devices.
CREATE UNIQUE INDEX devices_callsign ON devices (callsign) WHERE callsign IS NOT NULL;

-- A device's kind never changes, except onvif -> rtsp when its ONVIF link is removed (invariant 5).
CREATE TRIGGER devices_kind_fixed BEFORE UPDATE OF kind ON devices
WHEN NEW.kind IS NOT OLD.kind AND NOT (OLD.kind = 'onvif' AND NEW.kind = 'rtsp')
BEGIN
  SELECT RAISE(ABORT, 'devices.kind cannot change (except onvif -> rtsp when the ONVIF link is removed)');
END;

-- Channels: one video source of a device; what is recorded, watched, played back, exported and steered.
CREATE TABLE channels (
  id              INTEGER PRIMARY KEY,                                                -- channel id (from id_counter; migrated: the camera id) = segments.camera_id
  device_id       INTEGER NOT NULL REFERENCES devices (id) ON DELETE CASCADE,         -- its device; never changes
  ordinal         INTEGER NOT NULL CHECK (ordinal BETWEEN 1 AND 4096),                -- 1.. within the device (ONVIF source order, GB catalog order, JT/T channel)
  name            TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 64),             -- operator-facing name, unique across Argus in this release
  code            TEXT    CHECK (code IS NULL OR length(code) BETWEEN 1 AND 64),      -- GB 20-digit channel ID, NULL otherwise
  enabled         INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),               -- boolean: record and relay this channel
  record_mode     TEXT    NOT NULL DEFAULT 'continuous' CHECK (record_mode IN ('continuous', 'alarm', 'off')), -- recording policy
  pre_alarm_s     INTEGER NOT NULL DEFAULT 10 CHECK (pre_alarm_s BETWEEN 0 AND 300),  -- record_mode 'alarm': seconds kept before an alarm
  post_alarm_s    INTEGER NOT NULL DEFAULT 30 CHECK (post_alarm_s BETWEEN 0 AND 3600), -- record_mode 'alarm': seconds recorded after an alarm
  segment_seconds INTEGER NOT NULL CHECK (segment_seconds BETWEEN 1 AND 3600),        -- target segment length in seconds (API allows 2..600)
  retention_days  INTEGER NOT NULL CHECK (retention_days >= 1),                       -- keep recordings at most this many days
  ptz             INTEGER NOT NULL DEFAULT 0 CHECK (ptz IN (0, 1)),                   -- boolean: PTZ capable (driver chosen by the device kind)
  video_codec     TEXT,                                                               -- last known main stream codec as reported (e.g. ONVIF 'H264'), NULL when unknown
  width           INTEGER CHECK (width IS NULL OR width > 0),                         -- last known main stream width, pixels
  height          INTEGER CHECK (height IS NULL OR height > 0),                       -- last known main stream height, pixels
  fps             REAL    CHECK (fps IS NULL OR fps > 0),                             -- last known main stream frame rate, frames per second
  map_lat         REAL    CHECK (map_lat IS NULL OR map_lat BETWEEN -90 AND 90),      -- WGS-84 latitude of a fixed channel on the map, degrees; NULL = not placed
  map_lon         REAL    CHECK (map_lon IS NULL OR map_lon BETWEEN -180 AND 180),    -- WGS-84 longitude, degrees; NULL = not placed
  map_view_deg    REAL,                                                               -- view direction, degrees clockwise from north; NULL = unknown
  description     TEXT,                                                               -- free text
  created_ms      INTEGER NOT NULL,                                                   -- creation time (ms since epoch, UTC)
  updated_ms      INTEGER NOT NULL,                                                   -- last change (ms since epoch, UTC)
  CHECK ((map_lat IS NULL) = (map_lon IS NULL)),
  UNIQUE (device_id, ordinal)                                                         -- one channel per ordinal of a device
) STRICT;
-- Channel names are unique across Argus in this release (invariant 12).
CREATE UNIQUE INDEX channels_name ON channels (name);
-- Channels of a device.
CREATE INDEX channels_device ON channels (device_id);

-- A channel never moves to another device (invariant 1).
CREATE TRIGGER channels_device_fixed BEFORE UPDATE OF device_id ON channels
WHEN NEW.device_id IS NOT OLD.device_id
BEGIN
  SELECT RAISE(ABORT, 'channels.device_id cannot change');
END;

-- Stream URLs of channels of rtsp and onvif devices (read by the RTSP source adapter only).
CREATE TABLE rtsp_channels (
  channel_id INTEGER PRIMARY KEY REFERENCES channels (id) ON DELETE CASCADE,          -- the channel; the row goes with it
  url        TEXT    NOT NULL CHECK (length(url) > 0),                                -- main stream URL (rtsp:// or rtsps://) without credentials
  sub_url    TEXT,                                                                    -- optional low-resolution sub stream URL, without credentials
  username   TEXT,                                                                    -- stream login name, NULL when none
  password   TEXT,                                                                    -- legacy: a clear password from before migration 019, sealed into password_enc and set to NULL at the first start with the secrets key; always NULL after
  transport  TEXT    NOT NULL DEFAULT 'tcp' CHECK (transport IN ('tcp', 'udp')),      -- RTSP transport
  password_enc TEXT CHECK (password_enc IS NULL OR password_enc GLOB 's1:*')           -- stream password sealed with the secrets key (AES-256-GCM "s1:<key id>:iv:tag:ct", main/platform/secret-box.ts), NULL when none; never returned by the API
) STRICT;

-- Stream keys of agent devices (mobile units publishing to the media hub at /live/<deviceId>).
CREATE TABLE agent_devices (
  device_id       INTEGER PRIMARY KEY REFERENCES devices (id) ON DELETE CASCADE,      -- the agent device; the row goes with it
  stream_key_hash TEXT    NOT NULL CHECK (length(stream_key_hash) = 64 AND stream_key_hash NOT GLOB '*[^0-9a-f]*'), -- SHA-256 hex of the stream key; the key itself is never stored
  key_rotated_ms  INTEGER NOT NULL                                                    -- when the stream key was last set (ms since epoch, UTC)
) STRICT;

CREATE TRIGGER agent_devices_kind BEFORE INSERT ON agent_devices
WHEN (SELECT kind FROM devices WHERE id = NEW.device_id) IS NOT 'agent'
BEGIN
  SELECT RAISE(ABORT, 'agent_devices.device_id must be a device of kind agent');
END;

-- The one counter of device and channel ids: only goes up (invariant 2); started, at migration 014, above every id
-- any stored row mentioned.
CREATE TABLE id_counter (
  name TEXT    PRIMARY KEY CHECK (name IN ('source', 'org')),                          -- 'source': devices and channels; 'org': organisation nodes
  next INTEGER NOT NULL CHECK (next >= 1)                                             -- the next id to give out
) STRICT;

-- Alarm windows of channels recording on alarm (record_mode 'alarm'): retention keeps the segments they overlap.
-- No foreign key: like segments, they outlive the channel's configuration.
CREATE TABLE alarm_recordings (
  id         INTEGER PRIMARY KEY,                                                     -- window id
  channel_id INTEGER NOT NULL,                                                        -- channels.id
  alarm_id   INTEGER,                                                                 -- alarms.id that opened it, NULL for a linkage action
  start_ms   INTEGER NOT NULL,                                                        -- window start (ms since epoch, UTC), pre-alarm included
  end_ms     INTEGER NOT NULL,                                                        -- window end (ms since epoch, UTC), post-alarm included
  CHECK (end_ms >= start_ms)
) STRICT;
-- Windows of one channel by start.
CREATE INDEX alarm_recordings_channel ON alarm_recordings (channel_id, start_ms);

-- Recording index: one row per media file on disk. camera_id is a plain integer, deliberately WITHOUT a foreign key:
-- recordings outlive the camera configuration (evidence must stay findable after a camera is removed).
CREATE TABLE segments (
  id          INTEGER PRIMARY KEY,                                   -- segment id
  camera_id   INTEGER NOT NULL,                                      -- channel id (= the old cameras.id) at recording time (no FK, see above)
  rel_path    TEXT    NOT NULL UNIQUE CHECK (length(rel_path) > 0),  -- file path relative to the recordings root, forward slashes, unique
  start_ms    INTEGER NOT NULL,                                      -- wall-clock time of the first frame (ms since epoch, UTC)
  end_ms      INTEGER NOT NULL,                                      -- wall-clock time of the end of the last frame (ms since epoch, UTC); = start_ms while writing
  duration_ms INTEGER NOT NULL CHECK (duration_ms >= 0),             -- media duration reported by the probe (ms)
  size_bytes  INTEGER NOT NULL CHECK (size_bytes >= 0),              -- file size (bytes)
  video_codec TEXT,                                                  -- e.g. 'h264', 'hevc'; NULL when unknown
  audio_codec TEXT,                                                  -- e.g. 'aac'; NULL when no audio or unknown
  width       INTEGER CHECK (width > 0),                             -- video width (pixels), NULL when unknown
  height      INTEGER CHECK (height > 0),                            -- video height (pixels), NULL when unknown
  fps         REAL    CHECK (fps > 0),                               -- frames per second, NULL when unknown
  state       TEXT    NOT NULL CHECK (state IN ('writing', 'closed')), -- 'writing' while the recorder appends to the file, then 'closed'
  protected   INTEGER NOT NULL DEFAULT 0 CHECK (protected IN (0, 1)),  -- boolean: exempt from retention (evidence hold)
  recovered   INTEGER NOT NULL DEFAULT 0 CHECK (recovered IN (0, 1)),  -- boolean: indexed by crash recovery rather than on close
  -- A segment is at most 3_600_000 ms (1 h) long: MAX_SEGMENT_MS in storage/sqlite/segments.ts. The time-range query
  -- relies on it to bound its index scan (start_ms >= t1 - MAX_SEGMENT_MS).
  CHECK (end_ms >= start_ms AND end_ms - start_ms <= 3600000)
) STRICT;

-- "Segments of camera X overlapping [t1, t2)": camera_id = ? AND start_ms >= t1 - 3600000 AND start_ms < t2 AND end_ms > t1.
CREATE INDEX segments_camera_start ON segments (camera_id, start_ms);
-- Retention, all cameras: oldest deletable first (closed, not protected) ordered by end_ms. Partial: protected and
-- writing rows are not in it. Queries must spell the condition literally: state = 'closed' AND protected = 0.
CREATE INDEX segments_deletable_end ON segments (end_ms) WHERE state = 'closed' AND protected = 0;
-- Retention of one camera (per-camera retention_days).
CREATE INDEX segments_deletable_camera_end ON segments (camera_id, end_ms) WHERE state = 'closed' AND protected = 0;
-- Crash recovery: the few rows still 'writing'.
CREATE INDEX segments_writing ON segments (camera_id) WHERE state = 'writing';

-- Running totals of segments per camera, maintained by the triggers below (so total disk use is one tiny read
-- instead of a scan of millions of segment rows). Rows of cameras without segments may remain with zeros.
CREATE TABLE segment_totals (
  camera_id      INTEGER PRIMARY KEY,                          -- segments.camera_id
  segment_count  INTEGER NOT NULL CHECK (segment_count >= 0),  -- number of segments rows of this camera
  size_bytes     INTEGER NOT NULL CHECK (size_bytes >= 0)      -- sum of their size_bytes (bytes)
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

-- Camera and system events (motion, connection lost/restored, recording errors, ...). Like segments, camera_id has
-- no foreign key: events outlive the camera configuration.
CREATE TABLE events (
  id        INTEGER PRIMARY KEY,                                             -- event id
  camera_id INTEGER,                                                         -- channel id (= the old camera id), NULL for system-wide events
  type      TEXT    NOT NULL CHECK (length(type) > 0),                       -- event type, e.g. 'motion', 'camera_offline'
  state     TEXT,                                                            -- optional type-specific state, e.g. 'open' / 'closed'
  start_ms  INTEGER NOT NULL,                                                -- when it started (ms since epoch, UTC)
  end_ms    INTEGER CHECK (end_ms IS NULL OR end_ms >= start_ms),            -- when it ended (ms since epoch, UTC), NULL while ongoing / instantaneous
  detail    TEXT    CHECK (detail IS NULL OR json_valid(detail)),            -- JSON with type-specific details, NULL when none
  device_id INTEGER                                                          -- devices.id (migration 014; NULL for older events: resolve camera_id through channels)
) STRICT;

-- Events of one camera by start time.
CREATE INDEX events_camera_start ON events (camera_id, start_ms);
-- Events of all cameras by start time.
CREATE INDEX events_start ON events (start_ms);
-- An event inserted without device_id gets its channel's device (migration 014).
CREATE TRIGGER events_device AFTER INSERT ON events
WHEN NEW.camera_id IS NOT NULL AND NEW.device_id IS NULL
BEGIN
  UPDATE events SET device_id = (SELECT device_id FROM channels WHERE id = NEW.camera_id) WHERE id = NEW.id;
END;

-- Operator accounts.
CREATE TABLE users (
  id            INTEGER PRIMARY KEY,                                                      -- user id
  username      TEXT    NOT NULL UNIQUE CHECK (length(username) BETWEEN 1 AND 64),        -- login name, unique (case-sensitive)
  password_hash TEXT    NOT NULL CHECK (length(password_hash) > 0),                       -- "scrypt$N$r$p$saltB64$hashB64"; never the password
  role          TEXT    NOT NULL CHECK (role IN ('admin', 'dispatcher', 'investigator', 'officer')), -- = ROLES in common/api.ts
  display_name  TEXT    NOT NULL DEFAULT '',                                              -- name shown in the console
  disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),                    -- boolean: login refused
  created_ms    INTEGER NOT NULL,                                                         -- creation time (ms since epoch, UTC)
  must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1)), -- boolean: set by an admin reset or the generated first password; only a password change is allowed until then (migration 009)
  password_changed_ms  INTEGER,                                                           -- when the password last changed (ms since epoch, UTC); NULL = never since creation
  node_id       INTEGER REFERENCES org_nodes (id) ON DELETE SET NULL                     -- home organisation node (migration 015): node grants apply to users at or below it; NULL = the root
) STRICT;

-- Login sessions. The bearer token is never stored, only its SHA-256 (64 lowercase hex characters, enforced).
CREATE TABLE sessions (
  token_hash   TEXT    PRIMARY KEY CHECK (length(token_hash) = 64 AND token_hash NOT GLOB '*[^0-9a-f]*'), -- SHA-256 hex of the token
  user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,  -- owner; sessions go with the user row
  created_ms   INTEGER NOT NULL,                                          -- login time (ms since epoch, UTC)
  expires_ms   INTEGER NOT NULL,                                          -- invalid from this time on (ms since epoch, UTC); sliding, see touch()
  last_seen_ms INTEGER NOT NULL,                                          -- last authenticated request (ms since epoch, UTC)
  address      TEXT    NOT NULL DEFAULT '' CHECK (length(address) <= 64),  -- client address of the sign-in ('' before migration 017)
  user_agent   TEXT    NOT NULL DEFAULT '' CHECK (length(user_agent) <= 256) -- User-Agent of the sign-in, cut to 256 characters (migration 017)
) STRICT, WITHOUT ROWID;

-- Sessions of one user (logout everywhere, disabling a user).
CREATE INDEX sessions_user ON sessions (user_id);
-- Purging expired sessions.
CREATE INDEX sessions_expires ON sessions (expires_ms);

-- Addresses each account signed in from successfully (migration 017): failed logins from one of them are counted on
-- their own, so guesses from elsewhere cannot slow the real user down (main/server/auth/throttle.ts). At most 8 per user.
CREATE TABLE login_addresses (
  user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE, -- the account; rows go with the user row
  address   TEXT    NOT NULL CHECK (length(address) BETWEEN 1 AND 64), -- client address (as the server saw it)
  first_ms  INTEGER NOT NULL,                                          -- first successful sign-in from it (ms since epoch, UTC)
  last_ms   INTEGER NOT NULL,                                          -- latest successful sign-in from it (ms since epoch, UTC)
  PRIMARY KEY (user_id, address)                                        -- one row per account and address
) STRICT, WITHOUT ROWID;

-- Audit trail: who did what, when, from where. Append-only (triggers below). user_id has no foreign key and the
-- username is copied, so entries outlive the user row.
CREATE TABLE audit_log (
  id          INTEGER PRIMARY KEY,                                 -- entry id (increasing with insertion order)
  ts_ms       INTEGER NOT NULL,                                    -- when it happened (ms since epoch, UTC)
  user_id     INTEGER,                                             -- users.id of the actor, NULL for the system / anonymous
  username    TEXT,                                                -- the actor's username at that time
  action      TEXT    NOT NULL CHECK (length(action) > 0),         -- e.g. 'login', 'camera.create', 'segment.export'
  target_type TEXT,                                                -- kind of object acted on, e.g. 'camera', 'user', 'segment'
  target_id   TEXT,                                                -- its id, as text
  detail      TEXT    CHECK (detail IS NULL OR json_valid(detail)), -- JSON with action-specific details, NULL when none
  ip          TEXT,                                                -- client IP address, NULL for internal actions
  prev_hash   TEXT    CHECK (prev_hash IS NULL OR length(prev_hash) = 64), -- (016) hash of the previous entry (64 zeros for the first); NULL only before the first start after 016
  hash        TEXT    CHECK (hash IS NULL OR length(hash) = 64)            -- (016) SHA-256 hex of this entry's canonical JSON with prev_hash (docs/design/audit.md)
) STRICT;

-- Audit queries by time (newest first).
CREATE INDEX audit_log_ts ON audit_log (ts_ms);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;

-- Signed checkpoints of the audit chain (migration 016, docs/design/audit.md): every N entries or M minutes, at start
-- and at clean shutdown. Ed25519 over the canonical JSON {format, lastId, hash, tsMs, reason}. Append-only.
CREATE TABLE audit_checkpoints (
  id              INTEGER PRIMARY KEY,                                                   -- checkpoint id (increasing)
  last_id         INTEGER NOT NULL CHECK (last_id >= 0),                                 -- audit_log.id of the last entry covered (0: empty log)
  hash            TEXT    NOT NULL CHECK (length(hash) = 64),                            -- that entry's hash (64 zeros for an empty log)
  ts_ms           INTEGER NOT NULL,                                                      -- when it was signed (ms since epoch, UTC)
  reason          TEXT    NOT NULL CHECK (reason IN ('rows', 'time', 'start', 'shutdown')), -- what made it
  key_fingerprint TEXT    NOT NULL CHECK (length(key_fingerprint) = 64),                 -- SHA-256 hex of the signing public key (SPKI DER)
  signature       TEXT    NOT NULL CHECK (length(signature) > 0)                         -- Ed25519 signature, base64
) STRICT;

CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
BEGIN
  SELECT RAISE(ABORT, 'audit_checkpoints is append-only');
END;

CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
BEGIN
  SELECT RAISE(ABORT, 'audit_checkpoints is append-only');
END;

-- How far the audit rows written before migration 016 go: the first start chains them (one transaction) and sets
-- chained_ms; a row without a hash above until_id is an insertion.
CREATE TABLE audit_chain_legacy (
  id         INTEGER PRIMARY KEY CHECK (id = 1), -- the one row
  until_id   INTEGER NOT NULL,                   -- audit_log.id of the last entry written before 016 (0: none)
  chained_ms INTEGER                             -- when the server chained them (ms since epoch, UTC), NULL before
) STRICT;

-- Video wall layouts, saved per user (each user sees and changes only their own).
CREATE TABLE wall_layouts (
  id         INTEGER PRIMARY KEY,                                      -- layout id
  user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE, -- owner; layouts go with the user row
  name       TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 64),   -- name chosen by the user, unique per user
  json       TEXT    NOT NULL CHECK (json_valid(json)),                -- JSON {layout, tiles, tourGroup, tourSeconds} (WallLayoutBody without name)
  updated_ms INTEGER NOT NULL,                                         -- last save (ms since epoch, UTC)
  UNIQUE (user_id, name)                                               -- one layout per name and user; also serves "layouts of user X"
) STRICT;

-- The last video wall of a user per window (migration 011): restored on reload and at the next sign-in from any desk.
CREATE TABLE wall_states (
  user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,      -- owner; goes with the user row
  window_id     INTEGER NOT NULL CHECK (window_id >= 0),                       -- 0 = the Live tab, else the display id of a wall window
  state_json    TEXT    CHECK (state_json IS NULL OR json_valid(state_json)),  -- JSON WallStateBody (common/wall.ts): grid, tiles, selection, tour; NULL before the first save
  carousel_json TEXT    CHECK (carousel_json IS NULL OR json_valid(carousel_json)), -- JSON WallCarouselBody: steps (layout id, seconds), step, running; NULL when none
  updated_ms    INTEGER NOT NULL,                                              -- last save (ms since epoch, UTC)
  PRIMARY KEY (user_id, window_id)                                             -- one wall per user and window
) STRICT;

-- ---------- ONVIF (issue 4, migration 004; re-keyed to devices and channels by migration 014) ----------

-- The ONVIF link of a device (a camera, an encoder or an NVR); vendor, model, firmware and serial are in devices.
-- Credentials: password_enc is AES-256-GCM under the secrets key ("s1:<key id>:iv:tag:ct", main/platform/secret-box.ts,
-- since issue 13); rows from before ("v1:<ivB64>:<tagB64>:<cipherB64>" under <dataDir>/onvif.key) are re-sealed at the
-- first start with the secrets key. The API never returns it.
CREATE TABLE onvif_devices (
  id           INTEGER PRIMARY KEY,                                             -- ONVIF link id (named by /api/v1/onvif/devices/:id)
  device_id    INTEGER NOT NULL UNIQUE REFERENCES devices (id) ON DELETE CASCADE, -- the device (kind 'onvif')
  host         TEXT    NOT NULL CHECK (length(host) BETWEEN 1 AND 253),         -- host name or IP of the device service
  port         INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),               -- HTTP port of the device service
  urn          TEXT,                                                            -- WS-Discovery endpoint reference (urn:uuid:...), when known
  username     TEXT    NOT NULL,                                                -- ONVIF user name
  password_enc TEXT    NOT NULL,                                                -- encrypted ONVIF password (see above); never the clear text
  events       TEXT    NOT NULL DEFAULT 'unknown' CHECK (events IN ('unknown', 'supported', 'unsupported')), -- PullPoint event support
  created_ms   INTEGER NOT NULL,                                                -- when it was added (ms since epoch, UTC)
  UNIQUE (host, port)                                                           -- one row per device address
) STRICT;

-- The ONVIF facts of a channel made from one video source of the device (PTZ and codec facts are in channels).
CREATE TABLE onvif_channels (
  channel_id        INTEGER PRIMARY KEY REFERENCES channels (id) ON DELETE CASCADE, -- the channel; the row goes with it
  source_token      TEXT    NOT NULL,                                           -- the device's video source token
  profile_token     TEXT    NOT NULL,                                           -- media profile of the main stream (PTZ commands use it)
  sub_profile_token TEXT,                                                       -- media profile of the sub stream, NULL when none
  snapshot_uri      TEXT                                                        -- JPEG snapshot URL (GetSnapshotUri), NULL when none
) STRICT;

-- PTZ presets as stored on the device, mirrored so that the API has stable ids.
CREATE TABLE ptz_presets (
  id        INTEGER PRIMARY KEY AUTOINCREMENT,                              -- preset id as the API shows it (never reused: tours refer to it)
  camera_id INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE, -- the channel (column name kept from cameras)
  token     TEXT    NOT NULL CHECK (length(token) > 0),                  -- the device's preset token
  name      TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 64),      -- name shown to operators
  UNIQUE (camera_id, token)                                              -- one row per device preset
) STRICT;

-- PTZ tours: an ordered list of presets with dwell times, run by the server.
CREATE TABLE ptz_tours (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,                          -- tour id
  camera_id  INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE, -- the channel (column name kept from cameras)
  name       TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 64),     -- name shown to operators
  steps      TEXT    NOT NULL CHECK (json_valid(steps)),                 -- JSON [{presetId, dwellSeconds}] in order
  running    INTEGER NOT NULL DEFAULT 0 CHECK (running IN (0, 1)),       -- boolean: started and not stopped (resumed after a server restart)
  updated_ms INTEGER NOT NULL                                            -- last change (ms since epoch, UTC)
) STRICT;

-- Tours of one channel.
CREATE INDEX ptz_tours_camera ON ptz_tours (camera_id);

-- Per-user PTZ priority overriding the default of the role (admin 40, dispatcher 30, investigator 20, officer 10).
CREATE TABLE ptz_user_priority (
  user_id  INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE, -- the user
  priority INTEGER NOT NULL CHECK (priority BETWEEN 0 AND 100)          -- higher takes control from lower
) STRICT;

-- ---------- Alarms (issue 7, migration 007) ----------

-- Alarm linkage rules (issue 7): when (sources/groups, types, minimum severity, schedule) → actions.
CREATE TABLE alarm_rules (
  id           INTEGER PRIMARY KEY,                                 -- rule id
  name         TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 100), -- name shown in the rule editor
  enabled      INTEGER NOT NULL CHECK (enabled IN (0, 1)),          -- 1: applied to new alarms; 0: only "fire a test alarm"
  match_json   TEXT    NOT NULL CHECK (json_valid(match_json)),     -- JSON {sourceIds, groups, types, minSeverity}; empty lists match everything
  schedule     TEXT    CHECK (schedule IS NULL OR json_valid(schedule)), -- JSON {days (0=Sunday), startMinute, endMinute} in server local time; NULL: always
  actions      TEXT    NOT NULL CHECK (json_valid(actions)),        -- JSON AlarmRuleActions (wall, ptz, bookmark, snapshot, sound, desktop, notify, escalate)
  created_ms   INTEGER NOT NULL,                                    -- when created (ms since epoch, UTC)
  updated_ms   INTEGER NOT NULL                                     -- last change (ms since epoch, UTC)
) STRICT;

-- Alarms: one row per alarm; repeated occurrences from one source and type within the merge window add to count.
CREATE TABLE alarms (
  id              INTEGER PRIMARY KEY,                              -- alarm id
  source_id       INTEGER,                                          -- channel id (= the old camera or unit id; no foreign key: alarms outlive the source); NULL: server-wide
  source_name     TEXT    NOT NULL,                                 -- camera name / unit callsign at raise time ('server' for server-wide)
  type            TEXT    NOT NULL CHECK (length(type) > 0),        -- alarm type = device event type ('motion', 'sos', 'camera_offline', 'manual', ...)
  severity        TEXT    NOT NULL CHECK (severity IN ('critical', 'major', 'minor', 'info')), -- urgency; the live list sorts by it
  state           TEXT    NOT NULL CHECK (state IN ('new', 'acknowledged', 'in_progress', 'closed')), -- workflow state
  first_ms        INTEGER NOT NULL,                                 -- first occurrence (ms since epoch, UTC)
  last_ms         INTEGER NOT NULL,                                 -- latest merged occurrence (ms since epoch, UTC)
  count           INTEGER NOT NULL CHECK (count >= 1),              -- occurrences merged into this alarm
  lat             REAL,                                             -- where, WGS-84 degrees, when known
  lon             REAL,                                             -- where, WGS-84 degrees, when known
  message         TEXT,                                             -- operator's note (manual alarm) or the device's description
  device_event_id INTEGER,                                          -- events.id that raised it; NULL for manual and test alarms
  test            INTEGER NOT NULL CHECK (test IN (0, 1)),          -- 1: raised by "fire a test alarm" (never merged)
  rule_ids        TEXT    NOT NULL CHECK (json_valid(rule_ids)),    -- JSON array of alarm_rules.id that matched at raise time
  escalate_role   TEXT,                                             -- role to escalate to if nobody acknowledges in time, NULL: no escalation
  escalate_due_ms INTEGER,                                          -- when to escalate (ms since epoch, UTC); cleared by acknowledging
  escalated_ms    INTEGER,                                          -- when it was escalated (ms since epoch, UTC), NULL: not escalated
  handler         TEXT,                                             -- username of the last operator who changed the state
  updated_ms      INTEGER NOT NULL,                                 -- last change of the row (ms since epoch, UTC)
  reporter        TEXT,                                             -- username of the operator who raised it (manual alarms; migration 008), NULL: a device or the server
  cause           TEXT,                                             -- what exactly happened, a code the console translates ('video_link_lost', 'telemetry_link_lost', 'retention_cannot_keep'; migration 008), NULL: none
  reason          TEXT    CHECK (reason IS NULL OR json_valid(reason)), -- message as a registered code: JSON {code, params} of common/messages.ts the console words (migration 013), NULL: none or raised before 013
  device_id       INTEGER,                                          -- devices.id the alarm is about (migration 014; backfilled from source_id), NULL: server-wide
  channel_id      INTEGER                                           -- channels.id the alarm is about (migration 014), NULL: a device-level alarm (SOS, geofence, telemetry lost) or server-wide
) STRICT;

-- Merging: the open alarm of one source and type with the latest occurrence.
CREATE INDEX alarms_merge ON alarms (source_id, type, last_ms);
-- History search by time.
CREATE INDEX alarms_first ON alarms (first_ms);
-- The live list (every alarm not closed).
CREATE INDEX alarms_open ON alarms (state) WHERE state <> 'closed';
-- The escalation check: alarms due for escalation.
CREATE INDEX alarms_escalation ON alarms (escalate_due_ms) WHERE escalate_due_ms IS NOT NULL AND escalated_ms IS NULL;
-- An alarm inserted without device_id gets device and channel from source_id (migration 014; SOS, geofence and
-- telemetry-lost alarms are about the device only); a producer that sets device_id is left alone.
CREATE TRIGGER alarms_device_channel AFTER INSERT ON alarms
WHEN NEW.source_id IS NOT NULL AND NEW.device_id IS NULL
BEGIN
  UPDATE alarms SET
    device_id  = (SELECT device_id FROM channels WHERE id = NEW.source_id),
    channel_id = CASE WHEN NEW.type IN ('sos', 'geofence_enter', 'geofence_exit') OR NEW.cause = 'telemetry_link_lost' THEN NULL
                      ELSE (SELECT id FROM channels WHERE id = NEW.source_id) END
  WHERE id = NEW.id;
END;

-- Workflow steps of an alarm (raised, acknowledged, in progress with notes, closed), each with user and time.
CREATE TABLE alarm_steps (
  id       INTEGER PRIMARY KEY,                                     -- step id (increasing in order)
  alarm_id INTEGER NOT NULL REFERENCES alarms (id) ON DELETE CASCADE, -- the alarm
  state    TEXT    NOT NULL CHECK (state IN ('new', 'acknowledged', 'in_progress', 'closed')), -- state after the step
  user_id  INTEGER,                                                 -- users.id of the operator, NULL for the system
  username TEXT,                                                    -- the operator's username at that time, NULL for the system
  at_ms    INTEGER NOT NULL,                                        -- when (ms since epoch, UTC)
  note     TEXT                                                     -- operator's note, NULL when none
) STRICT;

-- Steps of one alarm.
CREATE INDEX alarm_steps_alarm ON alarm_steps (alarm_id);
-- History search by handler.
CREATE INDEX alarm_steps_username ON alarm_steps (username, alarm_id);

-- Outcomes of the linkage actions run for an alarm (PTZ preset, bookmark, snapshot, console instructions, escalation).
CREATE TABLE alarm_actions (
  id        INTEGER PRIMARY KEY,                                    -- outcome id (increasing in order)
  alarm_id  INTEGER NOT NULL REFERENCES alarms (id) ON DELETE CASCADE, -- the alarm
  rule_id   INTEGER,                                                -- alarm_rules.id that asked for it, NULL for the system
  kind      TEXT    NOT NULL CHECK (length(kind) > 0),              -- 'wall', 'ptz', 'bookmark', 'snapshot', 'sound', 'desktop', 'notify', 'escalate'
  status    TEXT    NOT NULL CHECK (status IN ('ok', 'failed', 'sent')), -- ok/failed: server-side action; sent: handed to the consoles
  message   TEXT    NOT NULL,                                       -- what was done, or why it failed, in English (server log; the console words code)
  result_id INTEGER,                                                -- id of the bookmark or snapshot created, when any
  at_ms     INTEGER NOT NULL,                                       -- when (ms since epoch, UTC)
  code      TEXT,                                                   -- what happened as a code the console words (common/alarms.ts ALARM_OUTCOME_CODES); NULL on rows from before migration 011 (then message)
  params    TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(params)) -- JSON object: the code's parameters (camera, preset, failure reason, ...)
) STRICT;

-- Outcomes of one alarm.
CREATE INDEX alarm_actions_alarm ON alarm_actions (alarm_id);

-- Delivery feed: every alarm event pushed to consoles, stored first with an increasing sequence number (replay after reconnect).
CREATE TABLE alarm_feed (
  seq      INTEGER PRIMARY KEY AUTOINCREMENT,                       -- delivery sequence number (never reused)
  alarm_id INTEGER NOT NULL,                                        -- alarms.id the event is about
  kind     TEXT    NOT NULL CHECK (kind IN ('raised', 'merged', 'state', 'action', 'escalated')), -- what happened
  at_ms    INTEGER NOT NULL,                                        -- when stored (ms since epoch, UTC)
  payload  TEXT    NOT NULL CHECK (json_valid(payload))             -- JSON {alarm, linkage}: the event as pushed
) STRICT;

-- Occurrences merged into an alarm after its first (migration 008): a merge keeps each one's severity, text, place
-- and reporter (the alarm row keeps the first's; a merge never lowers the alarm's severity).
CREATE TABLE alarm_occurrences (
  id              INTEGER PRIMARY KEY,                              -- occurrence id (increasing in order)
  alarm_id        INTEGER NOT NULL REFERENCES alarms (id) ON DELETE CASCADE, -- the alarm it was merged into
  at_ms           INTEGER NOT NULL,                                 -- when it happened (ms since epoch, UTC)
  severity        TEXT    NOT NULL CHECK (severity IN ('critical', 'major', 'minor', 'info')), -- its own severity
  message         TEXT,                                             -- its own text (device description or operator's note), NULL when none
  lat             REAL,                                             -- where, WGS-84 degrees, when known
  lon             REAL,                                             -- where, WGS-84 degrees, when known
  user_id         INTEGER,                                          -- users.id of the operator who reported it, NULL for a device
  username        TEXT,                                             -- that operator's username, NULL for a device
  device_event_id INTEGER,                                          -- events.id behind it, NULL when none
  reason          TEXT    CHECK (reason IS NULL OR json_valid(reason)) -- its message as JSON {code, params} of common/messages.ts (migration 013), NULL: none
) STRICT;

-- Occurrences of one alarm, in order.
CREATE INDEX alarm_occurrences_alarm ON alarm_occurrences (alarm_id, id);

-- Pruning old feed entries.
CREATE INDEX alarm_feed_at ON alarm_feed (at_ms);

-- Device events (events.id) the alarm center has handled (raised, merged, or nothing to raise), written in the same
-- transaction as the alarm: after a crash it raises the stored events above the oldest row that are not here. Only the
-- newest 10,000 are kept; at creation it holds the newest event id, so older events are never raised.
CREATE TABLE alarm_done_events (
  event_id INTEGER PRIMARY KEY                                      -- events.id handled
) STRICT;

-- ================================================================ GPS (issue 5, migration 005)
-- Every stored GPS point of a unit, in the unit's own time, clustered by (unit, time) so a track is one contiguous read.
-- No foreign key to cameras: like recordings, a deleted unit's track stays (evidence) until GPS retention removes it.
CREATE TABLE gps_points (
  unit_id     INTEGER NOT NULL CHECK (unit_id BETWEEN 1 AND 4194303),    -- the unit: its device id (= the old unit id); < 2^22 (see the R*Tree id)
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

-- ---------------------------------------------------------------- investigation (issue 6, migration 006)

-- An investigation case: groups bookmarks, snapshots and exports under a reference number.
CREATE TABLE cases (
  id          INTEGER PRIMARY KEY,                                        -- case id
  reference   TEXT    NOT NULL UNIQUE CHECK (length(reference) BETWEEN 1 AND 64), -- reference number (letters, digits, . _ - /: checked by the API; never a path)
  title       TEXT    NOT NULL DEFAULT '' CHECK (length(title) <= 200),   -- short description
  created_by  TEXT    NOT NULL,                                           -- username who opened the case
  created_ms  INTEGER NOT NULL,                                           -- when opened (ms since epoch, UTC)
  updated_ms  INTEGER NOT NULL,                                           -- last change (ms since epoch, UTC)
  node_id     INTEGER NOT NULL DEFAULT 1                                  -- owning organisation node (org_nodes.id; migration 020): cases.manage on it or above sees the case
) STRICT;

-- The cases of a node (migration 020).
CREATE INDEX cases_node ON cases (node_id);

-- A marked range of one camera's (or unit's) recording with a note.
CREATE TABLE bookmarks (
  id          INTEGER PRIMARY KEY,                                        -- bookmark id
  camera_id   INTEGER NOT NULL,                                           -- channel id (= the old camera or unit id; no FK: recordings outlive channels)
  start_ms    INTEGER NOT NULL,                                           -- range start (ms since epoch, UTC)
  end_ms      INTEGER NOT NULL,                                           -- range end (ms since epoch, UTC), >= start_ms
  note        TEXT    NOT NULL DEFAULT '' CHECK (length(note) <= 2000),   -- the user's note
  case_id     INTEGER REFERENCES cases (id) ON DELETE SET NULL,           -- the case it belongs to, NULL when none
  created_by  TEXT    NOT NULL,                                           -- username, or 'system:<reason>' for alarm rules
  created_ms  INTEGER NOT NULL,                                           -- when created (ms since epoch, UTC)
  CHECK (end_ms >= start_ms)
) STRICT;

-- Bookmarks of one camera in a time range (timeline, search).
CREATE INDEX bookmarks_camera_start ON bookmarks (camera_id, start_ms);
-- Bookmarks of a case.
CREATE INDEX bookmarks_case ON bookmarks (case_id) WHERE case_id IS NOT NULL;

-- A legal hold on a case: while not released, its segments are protected from retention.
CREATE TABLE legal_holds (
  id           INTEGER PRIMARY KEY,                                       -- hold id
  case_id      INTEGER NOT NULL REFERENCES cases (id),                    -- the held case
  reason       TEXT    NOT NULL DEFAULT '',                               -- why (court order, ...)
  created_by   TEXT    NOT NULL,                                          -- username who placed it
  created_ms   INTEGER NOT NULL,                                          -- when placed (ms since epoch, UTC)
  released_by  TEXT,                                                      -- admin who released it, NULL while active
  released_ms  INTEGER,                                                   -- when released (ms since epoch, UTC), NULL while active
  CHECK ((released_ms IS NULL) = (released_by IS NULL))
) STRICT;

-- At most one active hold per case.
CREATE UNIQUE INDEX legal_holds_active_case ON legal_holds (case_id) WHERE released_ms IS NULL;

-- The segments a hold protects (segments.protected = 1 while any active hold lists them).
CREATE TABLE legal_hold_segments (
  hold_id     INTEGER NOT NULL REFERENCES legal_holds (id),               -- the hold
  segment_id  INTEGER NOT NULL,                                           -- segments.id it protects
  PRIMARY KEY (hold_id, segment_id)                                       -- one row per hold and segment
) STRICT, WITHOUT ROWID;

-- "Is this segment held by another hold?" on release.
CREATE INDEX legal_hold_segments_segment ON legal_hold_segments (segment_id);

-- An evidence export job; its state survives a restart (unfinished jobs are resumed at start).
CREATE TABLE exports (
  id            INTEGER PRIMARY KEY,                                      -- export id
  case_id       INTEGER NOT NULL REFERENCES cases (id),                   -- the case (reference is required for every export)
  state         TEXT    NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed', 'cancelled')), -- job state
  dir_name      TEXT    NOT NULL UNIQUE CHECK (length(dir_name) BETWEEN 1 AND 200), -- package directory name under the exports directory (sanitised, server-built)
  request       TEXT    NOT NULL CHECK (json_valid(request)),             -- JSON ExportRequest as accepted (sources, range, options)
  progress      REAL    NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 1), -- fraction done, 0..1
  error         TEXT,                                                     -- why it failed (English, for logs and API clients), NULL otherwise
  created_by    TEXT    NOT NULL,                                         -- username who exported
  created_ms    INTEGER NOT NULL,                                         -- when requested (ms since epoch, UTC)
  finished_ms   INTEGER,                                                  -- when done/failed/cancelled (ms since epoch, UTC)
  manifest_sha256 TEXT,                                                   -- SHA-256 hex of manifest.json once done
  error_code    TEXT,                                                     -- why it failed as a code of common/messages.ts (migration 012), NULL otherwise or before 012
  error_params  TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(error_params)) -- that message's params (JSON object)
) STRICT;

-- Exports of a case.
CREATE INDEX exports_case ON exports (case_id);
-- Unfinished jobs (resumed at start).
CREATE INDEX exports_unfinished ON exports (state) WHERE state IN ('queued', 'running');

-- A JPEG still from live or playback, stored with its hash under the snapshots directory.
CREATE TABLE snapshots (
  id          INTEGER PRIMARY KEY,                                        -- snapshot id
  camera_id   INTEGER NOT NULL,                                           -- channel id (= the old camera or unit id)
  t_ms        INTEGER NOT NULL,                                           -- wall-clock time of the frame (ms since epoch, UTC)
  source      TEXT    NOT NULL CHECK (source IN ('live', 'playback')),    -- taken from the live picture or from a recording
  note        TEXT    NOT NULL DEFAULT '' CHECK (length(note) <= 2000),   -- the user's note
  case_id     INTEGER REFERENCES cases (id) ON DELETE SET NULL,           -- the case it belongs to, NULL when none
  rel_path    TEXT    NOT NULL UNIQUE,                                    -- directory of the JPEG and its manifest, relative to the snapshots directory
  sha256      TEXT    NOT NULL CHECK (length(sha256) = 64),               -- SHA-256 hex of the JPEG
  size_bytes  INTEGER NOT NULL CHECK (size_bytes >= 0),                   -- JPEG size in bytes
  created_by  TEXT    NOT NULL,                                           -- username, or 'system:<reason>'
  created_ms  INTEGER NOT NULL                                            -- when taken (ms since epoch, UTC)
) STRICT;

-- Snapshots of one camera by time.
CREATE INDEX snapshots_camera_t ON snapshots (camera_id, t_ms);

-- ---------- Access control (issue 13, migration 015; docs/design/access.md) ----------

-- User groups; grants to a group apply to its members. directory_name: the LDAP/AD group it stands for (sign-in maps it).
CREATE TABLE access_groups (
  id             INTEGER PRIMARY KEY,                                                                    -- group id
  name           TEXT    NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 128),                         -- shown name, unique
  description    TEXT    NOT NULL DEFAULT '' CHECK (length(description) <= 512),                         -- free text
  directory_name TEXT    UNIQUE CHECK (directory_name IS NULL OR length(directory_name) BETWEEN 1 AND 512), -- directory group name/DN, NULL when local only
  created_ms     INTEGER NOT NULL,                                                                       -- creation time (ms since epoch, UTC)
  updated_ms     INTEGER NOT NULL                                                                        -- last change (ms since epoch, UTC)
) STRICT;

-- Members of a group (go with the group and with the user).
CREATE TABLE access_group_members (
  group_id INTEGER NOT NULL REFERENCES access_groups (id) ON DELETE CASCADE, -- the group
  user_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,         -- the member
  PRIMARY KEY (group_id, user_id)                                             -- a user is a member once
) STRICT;

-- The groups of a user.
CREATE INDEX access_group_members_user ON access_group_members (user_id);

-- One grant: principal (exactly one of role / user_id / group_id / principal_node_id, as principal_kind says), right,
-- scope (a node and everything below it, one channel, or 'own' = the devices assigned to the user), allow or deny.
-- A deleted user, group, node or channel takes its grants along.
CREATE TABLE access_grants (
  id                INTEGER PRIMARY KEY,                                                                  -- grant id
  principal_kind    TEXT    NOT NULL CHECK (principal_kind IN ('role', 'user', 'group', 'node')),         -- who it is granted to
  role              TEXT    CHECK (role IS NULL OR role IN ('admin', 'dispatcher', 'investigator', 'officer')), -- role template (principal_kind 'role')
  user_id           INTEGER REFERENCES users (id) ON DELETE CASCADE,                                      -- the user (principal_kind 'user')
  group_id          INTEGER REFERENCES access_groups (id) ON DELETE CASCADE,                              -- the group (principal_kind 'group')
  principal_node_id INTEGER REFERENCES org_nodes (id) ON DELETE CASCADE,                                  -- users at or below this node (principal_kind 'node')
  right_name        TEXT    NOT NULL CHECK (length(right_name) BETWEEN 1 AND 64),                         -- a right of common/rights.ts (checked by the service)
  scope_kind        TEXT    NOT NULL CHECK (scope_kind IN ('node', 'channel', 'own')),                    -- where it applies
  scope_node_id     INTEGER REFERENCES org_nodes (id) ON DELETE CASCADE,                                  -- the node and all below it (scope_kind 'node')
  scope_channel_id  INTEGER REFERENCES channels (id) ON DELETE CASCADE,                                   -- one channel (scope_kind 'channel')
  effect            TEXT    NOT NULL CHECK (effect IN ('allow', 'deny')),                                 -- deny wins over any allow
  created_ms        INTEGER NOT NULL,                                                                     -- when granted (ms since epoch, UTC; 0 = seeded by the migration)
  CHECK ((principal_kind = 'role') = (role IS NOT NULL)),
  CHECK ((principal_kind = 'user') = (user_id IS NOT NULL)),
  CHECK ((principal_kind = 'group') = (group_id IS NOT NULL)),
  CHECK ((principal_kind = 'node') = (principal_node_id IS NOT NULL)),
  CHECK ((scope_kind = 'node') = (scope_node_id IS NOT NULL)),
  CHECK ((scope_kind = 'channel') = (scope_channel_id IS NOT NULL))
) STRICT;

-- One grant of a kind per principal, right, scope and effect.
CREATE UNIQUE INDEX access_grants_unique ON access_grants (
  principal_kind, coalesce(role, ''), coalesce(user_id, 0), coalesce(group_id, 0), coalesce(principal_node_id, 0),
  right_name, scope_kind, coalesce(scope_node_id, 0), coalesce(scope_channel_id, 0), effect);
-- Grants of a user, a group, a node principal; on a node, on a channel (cascades, "what applies here").
CREATE INDEX access_grants_user ON access_grants (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX access_grants_group ON access_grants (group_id) WHERE group_id IS NOT NULL;
CREATE INDEX access_grants_principal_node ON access_grants (principal_node_id) WHERE principal_node_id IS NOT NULL;
CREATE INDEX access_grants_scope_node ON access_grants (scope_node_id) WHERE scope_node_id IS NOT NULL;
CREATE INDEX access_grants_scope_channel ON access_grants (scope_channel_id) WHERE scope_channel_id IS NOT NULL;

-- Rights whose role-template defaults (RIGHT_ROLES) were written once; a right added later is seeded at the next start.
CREATE TABLE access_seeded_rights (
  right_name TEXT PRIMARY KEY -- a right of common/rights.ts
) STRICT;

-- The users (officers) assigned to a device: their own unit ('own' scope).
CREATE TABLE device_users (
  device_id INTEGER NOT NULL REFERENCES devices (id) ON DELETE CASCADE, -- the device (unit)
  user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,   -- the assigned user
  PRIMARY KEY (device_id, user_id)                                     -- assigned once
) STRICT;

-- The devices of a user.
CREATE INDEX device_users_user ON device_users (user_id);
-- ---------- sign-in factors (migration 018, issue 13) ----------

-- A user's TOTP second factor (RFC 6238). The row exists from enrolment; the factor is on once enabled_ms is set
-- (the first code confirmed). The secret is an AES-256-GCM box (main/server/auth-factors/secret.ts), never in clear.
CREATE TABLE user_totp (
  user_id     INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE, -- the user; the factor goes with the user row
  secret_box  TEXT    NOT NULL CHECK (length(secret_box) > 0),              -- the base32 secret, encrypted ("v1:iv:tag:ciphertext", base64 parts)
  created_ms  INTEGER NOT NULL,                                             -- when the secret was made (ms since epoch, UTC)
  enabled_ms  INTEGER,                                                      -- when the first code confirmed it (ms since epoch, UTC); NULL = enrolment pending, not required at sign-in
  last_step   INTEGER NOT NULL DEFAULT 0 CHECK (last_step >= 0)             -- last accepted time step (epoch seconds / 30): a code of this step or earlier is a replay
) STRICT;

-- Single-use recovery codes of a user's second factor: only their SHA-256, shown once at enrolment.
CREATE TABLE user_recovery_codes (
  user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,    -- the user; codes go with the user row
  code_hash  TEXT    NOT NULL CHECK (length(code_hash) = 64 AND code_hash NOT GLOB '*[^0-9a-f]*'), -- SHA-256 hex of the normalised code
  used_ms    INTEGER,                                                      -- when it was used (ms since epoch, UTC); NULL = still valid
  PRIMARY KEY (user_id, code_hash)                                        -- each code once per user
) STRICT, WITHOUT ROWID;

-- Accounts that come from the directory (LDAP/AD, source 'ldap'): created or updated at sign-in, role from the
-- directory groups at each sign-in; their users row has no usable local password.
CREATE TABLE directory_accounts (
  user_id    INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE, -- the Argus user
  dn         TEXT    NOT NULL CHECK (length(dn) > 0),                      -- the directory entry's distinguished name at the last sign-in
  groups     TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(groups)),     -- JSON array of the group DNs found at the last sign-in
  synced_ms  INTEGER NOT NULL                                              -- last sign-in through the directory (ms since epoch, UTC)
) STRICT;

-- ---------- GB/T 28181 devices (migration 021, issue 14) ----------

-- The registrar's facts of a GB/T 28181 device (a devices row of kind 'gb28181'; its 20-digit ID is devices.code and
-- approved = 0 while it awaits approval). Registration state survives a restart here only for the console: the
-- registrar starts empty and devices re-register.
CREATE TABLE gb_devices (
  device_id     INTEGER PRIMARY KEY REFERENCES devices (id) ON DELETE CASCADE,                   -- the device (kind 'gb28181'); the row goes with it
  password_enc  TEXT,                                                                            -- its own digest password, sealed with the secrets key; NULL = the site password
  transport     TEXT    CHECK (transport IS NULL OR transport IN ('udp', 'tcp')),                -- SIP transport of its last REGISTER
  last_host     TEXT,                                                                            -- source address of its last REGISTER (after NAT: what Argus sends to)
  last_port     INTEGER CHECK (last_port IS NULL OR last_port BETWEEN 1 AND 65535),              -- source port of its last REGISTER
  registered_ms INTEGER,                                                                         -- when it last registered (ms since epoch, UTC); NULL = not registered
  expires_ms    INTEGER,                                                                         -- when that registration expires (ms since epoch, UTC)
  keepalive_s   INTEGER NOT NULL DEFAULT 60 CHECK (keepalive_s BETWEEN 5 AND 3600),              -- keepalive interval; offline after 3 missed
  charset       TEXT    NOT NULL DEFAULT 'GB2312' CHECK (charset IN ('GB2312', 'GB18030', 'GBK', 'UTF-8')), -- charset of the MANSCDP bodies Argus sends it
  first_seen_ms INTEGER NOT NULL,                                                                -- when it was added or first announced itself (ms since epoch, UTC)
  CHECK ((registered_ms IS NULL) = (expires_ms IS NULL))                                         -- registered and expiry go together
) STRICT;
-- A gb_devices row belongs to a GB device only.
CREATE TRIGGER gb_devices_kind BEFORE INSERT ON gb_devices
WHEN (SELECT kind FROM devices WHERE id = NEW.device_id) IS NOT 'gb28181'
BEGIN
  SELECT RAISE(ABORT, 'gb_devices.device_id must be a device of kind gb28181');
END;

-- The site digest password (one row, id 1): devices without their own password authenticate with it, and an unknown
-- device that knows it is held awaiting approval (gbUnknownDevices = hold). Overrides the sipSitePassword setting.
CREATE TABLE gb_site (
  id           INTEGER PRIMARY KEY CHECK (id = 1), -- always 1
  password_enc TEXT,                               -- the site password sealed with the secrets key; NULL = the sipSitePassword setting
  updated_ms   INTEGER NOT NULL                    -- when an admin last set it (ms since epoch, UTC)
) STRICT;

-- ---------- GB/T 28181 catalogs (issue 14 item 3, migration 022) ----------

-- Every item a GB/T 28181 device's Catalog listed (answers and NOTIFYs), mapped to Argus's model: video items (131/132/138)
-- are channels of the device, civil codes / business groups (215) / virtual organisations (216) organisation nodes,
-- alarm inputs (134) and the rest are kept for alarms and the console. An item missing from a complete catalog (or
-- deleted by a NOTIFY) stays with present = 0 and its channel disabled, never deleted (its recordings stay).
CREATE TABLE gb_channels (
  device_id           INTEGER NOT NULL REFERENCES devices (id) ON DELETE CASCADE,  -- the device (kind gb28181) whose catalog listed it
  gb_id               TEXT    NOT NULL CHECK (length(gb_id) BETWEEN 1 AND 64),      -- the item's DeviceID (20-digit channel/organisation ID, or a 2–8 digit civil code)
  kind                TEXT    NOT NULL CHECK (kind IN ('video', 'alarm_input', 'civil', 'business_group', 'virtual_org', 'device', 'other')), -- what it maps to (from the ID's type code)
  channel_id          INTEGER UNIQUE REFERENCES channels (id) ON DELETE SET NULL,   -- kind video: its channel (channels.code = gb_id); NULL otherwise or when an admin deleted it
  org_node_id         INTEGER REFERENCES org_nodes (id) ON DELETE SET NULL,         -- civil/business_group/virtual_org: the organisation node it maps to
  name                TEXT,                                                         -- Name as the catalog gave it (NULL when absent)
  parent_gb_id        TEXT,                                                         -- the catalog item it hangs under (ParentID, business group or civil code); NULL = the device itself
  civil_code          TEXT,                                                         -- CivilCode field
  business_group_id   TEXT,                                                         -- Info.BusinessGroupID field
  status              TEXT,                                                         -- Status (ON, OFF) or the last NOTIFY status event (VLOST, DEFECT); NULL = unknown
  address             TEXT,                                                         -- Address field (installation place)
  longitude           REAL    CHECK (longitude IS NULL OR longitude BETWEEN -180 AND 180), -- Longitude field, degrees (0 and out-of-range values stored as NULL)
  latitude            REAL    CHECK (latitude IS NULL OR latitude BETWEEN -90 AND 90),     -- Latitude field, degrees
  ptz_type            INTEGER,                                                      -- Info.PTZType (1 dome, 2 semi-dome, 3 fixed, 4 remote-controlled gun ...)
  catalog_order       INTEGER NOT NULL CHECK (catalog_order >= 0),                  -- position in the last catalog that listed it (0-based)
  present             INTEGER NOT NULL DEFAULT 1 CHECK (present IN (0, 1)),         -- boolean: listed by the last complete catalog and not deleted by a NOTIFY since
  disabled_by_catalog INTEGER NOT NULL DEFAULT 0 CHECK (disabled_by_catalog IN (0, 1)), -- boolean: its channel was disabled because it left the catalog (re-enabled when it returns)
  raw                 TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(raw)),        -- every field of the item as text (JSON object; nested ones as 'Info.PTZType')
  created_ms          INTEGER NOT NULL,                                             -- first listed (ms since epoch, UTC)
  updated_ms          INTEGER NOT NULL,                                             -- last changed by a catalog or NOTIFY (ms since epoch, UTC)
  PRIMARY KEY (device_id, gb_id)                                                    -- one row per item of a device
) STRICT;
-- The catalog items mapped to an organisation node.
CREATE INDEX gb_channels_org_node ON gb_channels (org_node_id) WHERE org_node_id IS NOT NULL;
-- ---------- GB/T 28181 device recordings (migration 023, issue 14 item 7) ----------

-- A download of a channel's range from a GB/T 28181 device's own recordings (INVITE s=Download) into Argus's
-- recordings. No foreign key to channels: like segments, it outlives the channel's configuration (evidence).
CREATE TABLE gb_record_downloads (
  id            INTEGER PRIMARY KEY,                                                           -- download id
  channel_id    INTEGER NOT NULL,                                                              -- channels.id the segments belong to (= segments.camera_id)
  device_gb_id  TEXT    NOT NULL CHECK (length(device_gb_id) = 20 AND device_gb_id NOT GLOB '*[^0-9]*'),   -- the device's 20-digit GB ID (where the recording was kept)
  channel_gb_id TEXT    NOT NULL CHECK (length(channel_gb_id) = 20 AND channel_gb_id NOT GLOB '*[^0-9]*'), -- the channel's 20-digit GB ID on that device
  start_ms      INTEGER NOT NULL,                                                              -- start of the range asked for (ms since epoch, UTC)
  end_ms        INTEGER NOT NULL,                                                              -- end of the range asked for (ms since epoch, UTC)
  state         TEXT    NOT NULL CHECK (state IN ('running', 'done', 'failed', 'cancelled')),   -- 'running' until the device ended the stream (MediaStatus 121, BYE) or it failed / was cancelled
  user_id       INTEGER,                                                                       -- users.id of who asked (no FK: the audit outlives users); NULL for the system
  username      TEXT,                                                                          -- their user name at the time
  created_ms    INTEGER NOT NULL,                                                              -- when it was asked for (ms since epoch, UTC)
  finished_ms   INTEGER,                                                                       -- when it ended (ms since epoch, UTC); NULL while running
  received_ms   INTEGER NOT NULL DEFAULT 0 CHECK (received_ms >= 0),                           -- media time written into segments so far (ms)
  error_code    TEXT,                                                                          -- registered message code (common/messages.ts gb.records_*) of a failure; NULL otherwise
  CHECK (end_ms > start_ms)
) STRICT;
-- The downloads of a channel, newest last.
CREATE INDEX gb_record_downloads_channel ON gb_record_downloads (channel_id, created_ms);

-- Segments that came from a device (a download) rather than from Argus's own recorder; deleted with the segment.
CREATE TABLE gb_download_segments (
  segment_id  INTEGER PRIMARY KEY REFERENCES segments (id) ON DELETE CASCADE,             -- segments.id written by the download
  download_id INTEGER NOT NULL REFERENCES gb_record_downloads (id) ON DELETE CASCADE      -- the download that wrote it
) STRICT;
-- The segments of one download.
CREATE INDEX gb_download_segments_download ON gb_download_segments (download_id);

-- Superior GB/T 28181 platforms Argus registers to as a lower platform (级联, migration 024).
CREATE TABLE gb_upper_platforms (
  id                 INTEGER PRIMARY KEY,                                                        -- platform id
  name               TEXT    NOT NULL,                                                           -- admin's label
  gb_id              TEXT    NOT NULL UNIQUE CHECK (length(gb_id) = 20 AND gb_id NOT GLOB '*[^0-9]*'), -- the upper platform's 20-digit SIP ID
  domain             TEXT    NOT NULL CHECK (length(domain) BETWEEN 1 AND 20),                   -- its SIP domain (realm, usually 10 digits)
  host               TEXT    NOT NULL,                                                           -- its SIP host
  port               INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),                          -- its SIP port
  transport          TEXT    NOT NULL CHECK (transport IN ('udp', 'tcp')),                       -- SIP transport to it
  password_enc       TEXT,                                                                       -- digest password sealed with main/platform/secret-box.ts; NULL when none
  register_expires_s INTEGER NOT NULL DEFAULT 3600 CHECK (register_expires_s BETWEEN 30 AND 86400), -- Expires asked for in REGISTER (s)
  keepalive_s        INTEGER NOT NULL DEFAULT 60 CHECK (keepalive_s BETWEEN 1 AND 3600),         -- Keepalive MESSAGE interval (s)
  enabled            INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),                       -- 1 = registered to while Argus runs
  created_ms         INTEGER NOT NULL,                                                           -- when it was added (ms since epoch, UTC)
  updated_ms         INTEGER NOT NULL                                                            -- when it was last changed (ms since epoch, UTC)
) STRICT;

-- Channels shared with an upper platform, under the GB ID it sees them by; gone with the platform or the channel.
CREATE TABLE gb_shared_channels (
  platform_id INTEGER NOT NULL REFERENCES gb_upper_platforms (id) ON DELETE CASCADE,   -- gb_upper_platforms.id
  channel_id  INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE,             -- channels.id shared
  gb_id       TEXT    NOT NULL CHECK (length(gb_id) = 20 AND gb_id NOT GLOB '*[^0-9]*'), -- the 20-digit ID the upper platform sees (Catalog, INVITE)
  PRIMARY KEY (platform_id, channel_id),                                                 -- a channel is shared once per platform
  UNIQUE (platform_id, gb_id)                                                            -- and each GB ID names one channel there
) STRICT;
-- The platforms a channel is shared with.
CREATE INDEX gb_shared_channels_channel ON gb_shared_channels (channel_id);

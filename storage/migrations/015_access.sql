-- Migration 015 (issue 13): rights per role template, user, group and organisation node, on a node, a channel or the
-- user's own devices, allow or deny (docs/design/access.md). Adds users.node_id (home node) and device_users (the
-- officers assigned to a device). Touches only its own tables and the new users column.

-- User groups (later also mapped from a directory: directory_name is the LDAP/AD group it stands for).
CREATE TABLE access_groups (
  id             INTEGER PRIMARY KEY,
  name           TEXT    NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 128),
  description    TEXT    NOT NULL DEFAULT '' CHECK (length(description) <= 512),
  directory_name TEXT    UNIQUE CHECK (directory_name IS NULL OR length(directory_name) BETWEEN 1 AND 512),
  created_ms     INTEGER NOT NULL,
  updated_ms     INTEGER NOT NULL
) STRICT;

CREATE TABLE access_group_members (
  group_id INTEGER NOT NULL REFERENCES access_groups (id) ON DELETE CASCADE,
  user_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  PRIMARY KEY (group_id, user_id)
) STRICT;
CREATE INDEX access_group_members_user ON access_group_members (user_id);

-- One grant: a principal (exactly one of role / user_id / group_id / principal_node_id, as principal_kind says), a
-- right, a scope (a node and everything below it, one channel, or 'own': the devices assigned to the user) and an
-- effect. A deleted user, group, node or channel takes its grants along (ON DELETE CASCADE).
CREATE TABLE access_grants (
  id                INTEGER PRIMARY KEY,
  principal_kind    TEXT    NOT NULL CHECK (principal_kind IN ('role', 'user', 'group', 'node')),
  role              TEXT    CHECK (role IS NULL OR role IN ('admin', 'dispatcher', 'investigator', 'officer')),
  user_id           INTEGER REFERENCES users (id) ON DELETE CASCADE,
  group_id          INTEGER REFERENCES access_groups (id) ON DELETE CASCADE,
  principal_node_id INTEGER REFERENCES org_nodes (id) ON DELETE CASCADE,
  right_name        TEXT    NOT NULL CHECK (length(right_name) BETWEEN 1 AND 64),
  scope_kind        TEXT    NOT NULL CHECK (scope_kind IN ('node', 'channel', 'own')),
  scope_node_id     INTEGER REFERENCES org_nodes (id) ON DELETE CASCADE,
  scope_channel_id  INTEGER REFERENCES channels (id) ON DELETE CASCADE,
  effect            TEXT    NOT NULL CHECK (effect IN ('allow', 'deny')),
  created_ms        INTEGER NOT NULL,
  CHECK ((principal_kind = 'role') = (role IS NOT NULL)),
  CHECK ((principal_kind = 'user') = (user_id IS NOT NULL)),
  CHECK ((principal_kind = 'group') = (group_id IS NOT NULL)),
  CHECK ((principal_kind = 'node') = (principal_node_id IS NOT NULL)),
  CHECK ((scope_kind = 'node') = (scope_node_id IS NOT NULL)),
  CHECK ((scope_kind = 'channel') = (scope_channel_id IS NOT NULL))
) STRICT;
CREATE UNIQUE INDEX access_grants_unique ON access_grants (
  principal_kind, coalesce(role, ''), coalesce(user_id, 0), coalesce(group_id, 0), coalesce(principal_node_id, 0),
  right_name, scope_kind, coalesce(scope_node_id, 0), coalesce(scope_channel_id, 0), effect);
CREATE INDEX access_grants_user ON access_grants (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX access_grants_group ON access_grants (group_id) WHERE group_id IS NOT NULL;
CREATE INDEX access_grants_principal_node ON access_grants (principal_node_id) WHERE principal_node_id IS NOT NULL;
CREATE INDEX access_grants_scope_node ON access_grants (scope_node_id) WHERE scope_node_id IS NOT NULL;
CREATE INDEX access_grants_scope_channel ON access_grants (scope_channel_id) WHERE scope_channel_id IS NOT NULL;

-- The rights whose role-template defaults were written once (a right added to common/rights.ts later gets its
-- RIGHT_ROLES defaults at the next start; a template an administrator edited is never re-seeded).
CREATE TABLE access_seeded_rights (
  right_name TEXT PRIMARY KEY
) STRICT;

-- A user's home node (NULL = the root): node principals' grants apply to users whose home node is that node or below.
ALTER TABLE users ADD COLUMN node_id INTEGER REFERENCES org_nodes (id) ON DELETE SET NULL;

-- The users (officers) assigned to a device (their own unit): the 'own' scope.
CREATE TABLE device_users (
  device_id INTEGER NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
  user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  PRIMARY KEY (device_id, user_id)
) STRICT;
CREATE INDEX device_users_user ON device_users (user_id);

-- The role templates as they were before (RIGHT_ROLES): admin, dispatcher and investigator at the root; officers
-- only on their own devices.
INSERT INTO access_grants (principal_kind, role, right_name, scope_kind, scope_node_id, effect, created_ms) VALUES
  ('role', 'admin', 'cameras.manage', 'node', 1, 'allow', 0),
  ('role', 'admin', 'units.manage', 'node', 1, 'allow', 0),
  ('role', 'admin', 'devices.manage', 'node', 1, 'allow', 0),
  ('role', 'admin', 'org.manage', 'node', 1, 'allow', 0),
  ('role', 'admin', 'users.manage', 'node', 1, 'allow', 0),
  ('role', 'admin', 'audit.view', 'node', 1, 'allow', 0),
  ('role', 'admin', 'ptz.priorities', 'node', 1, 'allow', 0),
  ('role', 'admin', 'ptz.configure', 'node', 1, 'allow', 0),
  ('role', 'dispatcher', 'ptz.configure', 'node', 1, 'allow', 0),
  ('role', 'admin', 'recordings.view', 'node', 1, 'allow', 0),
  ('role', 'investigator', 'recordings.view', 'node', 1, 'allow', 0),
  ('role', 'dispatcher', 'recordings.view', 'node', 1, 'allow', 0),
  ('role', 'admin', 'cases.manage', 'node', 1, 'allow', 0),
  ('role', 'investigator', 'cases.manage', 'node', 1, 'allow', 0),
  ('role', 'admin', 'cases.releaseHold', 'node', 1, 'allow', 0),
  ('role', 'admin', 'gps.history', 'node', 1, 'allow', 0),
  ('role', 'dispatcher', 'gps.history', 'node', 1, 'allow', 0),
  ('role', 'investigator', 'gps.history', 'node', 1, 'allow', 0),
  ('role', 'admin', 'geofences.edit', 'node', 1, 'allow', 0),
  ('role', 'dispatcher', 'geofences.edit', 'node', 1, 'allow', 0),
  ('role', 'admin', 'alarms.handle', 'node', 1, 'allow', 0),
  ('role', 'dispatcher', 'alarms.handle', 'node', 1, 'allow', 0),
  ('role', 'officer', 'alarms.handle', 'own', NULL, 'allow', 0),
  ('role', 'admin', 'alarmRules.edit', 'node', 1, 'allow', 0),
  ('role', 'dispatcher', 'alarmRules.edit', 'node', 1, 'allow', 0),
  ('role', 'admin', 'wall.carousel', 'node', 1, 'allow', 0),
  ('role', 'dispatcher', 'wall.carousel', 'node', 1, 'allow', 0),
  ('role', 'admin', 'live.view', 'node', 1, 'allow', 0),
  ('role', 'dispatcher', 'live.view', 'node', 1, 'allow', 0),
  ('role', 'investigator', 'live.view', 'node', 1, 'allow', 0),
  ('role', 'officer', 'live.view', 'own', NULL, 'allow', 0),
  ('role', 'admin', 'export', 'node', 1, 'allow', 0),
  ('role', 'investigator', 'export', 'node', 1, 'allow', 0),
  ('role', 'admin', 'snapshot', 'node', 1, 'allow', 0),
  ('role', 'dispatcher', 'snapshot', 'node', 1, 'allow', 0),
  ('role', 'investigator', 'snapshot', 'node', 1, 'allow', 0),
  ('role', 'admin', 'ptz.control', 'node', 1, 'allow', 0),
  ('role', 'dispatcher', 'ptz.control', 'node', 1, 'allow', 0),
  ('role', 'admin', 'audio', 'node', 1, 'allow', 0),
  ('role', 'dispatcher', 'audio', 'node', 1, 'allow', 0),
  ('role', 'admin', 'map.positions', 'node', 1, 'allow', 0),
  ('role', 'dispatcher', 'map.positions', 'node', 1, 'allow', 0),
  ('role', 'investigator', 'map.positions', 'node', 1, 'allow', 0),
  ('role', 'officer', 'map.positions', 'own', NULL, 'allow', 0),
  ('role', 'admin', 'alarms.view', 'node', 1, 'allow', 0),
  ('role', 'dispatcher', 'alarms.view', 'node', 1, 'allow', 0),
  ('role', 'investigator', 'alarms.view', 'node', 1, 'allow', 0),
  ('role', 'officer', 'alarms.view', 'own', NULL, 'allow', 0),
  ('role', 'admin', 'access.manage', 'node', 1, 'allow', 0);
INSERT INTO access_seeded_rights (right_name) VALUES ('cameras.manage'), ('units.manage'), ('devices.manage'), ('org.manage'), ('users.manage'), ('audit.view'), ('ptz.priorities'), ('ptz.configure'), ('recordings.view'), ('cases.manage'), ('cases.releaseHold'), ('gps.history'), ('geofences.edit'), ('alarms.handle'), ('alarmRules.edit'), ('wall.carousel'), ('live.view'), ('export'), ('snapshot'), ('ptz.control'), ('audio'), ('map.positions'), ('alarms.view'), ('access.manage');

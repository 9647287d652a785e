-- Migration 022: GB/T 28181 catalogs (issue 14 item 3): every item a device's Catalog listed, mapped to Argus's model.
--
-- Runs inside one transaction (opened by the migration runner: do not write BEGIN/COMMIT here).

CREATE TABLE gb_channels (
  device_id           INTEGER NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
  gb_id               TEXT    NOT NULL CHECK (length(gb_id) BETWEEN 1 AND 64),
  kind                TEXT    NOT NULL CHECK (kind IN ('video', 'alarm_input', 'civil', 'business_group', 'virtual_org', 'device', 'other')),
  channel_id          INTEGER UNIQUE REFERENCES channels (id) ON DELETE SET NULL,
  org_node_id         INTEGER REFERENCES org_nodes (id) ON DELETE SET NULL,
  name                TEXT,
  parent_gb_id        TEXT,
  civil_code          TEXT,
  business_group_id   TEXT,
  status              TEXT,
  address             TEXT,
  longitude           REAL    CHECK (longitude IS NULL OR longitude BETWEEN -180 AND 180),
  latitude            REAL    CHECK (latitude IS NULL OR latitude BETWEEN -90 AND 90),
  ptz_type            INTEGER,
  catalog_order       INTEGER NOT NULL CHECK (catalog_order >= 0),
  present             INTEGER NOT NULL DEFAULT 1 CHECK (present IN (0, 1)),
  disabled_by_catalog INTEGER NOT NULL DEFAULT 0 CHECK (disabled_by_catalog IN (0, 1)),
  raw                 TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(raw)),
  created_ms          INTEGER NOT NULL,
  updated_ms          INTEGER NOT NULL,
  PRIMARY KEY (device_id, gb_id)
) STRICT;
CREATE INDEX gb_channels_org_node ON gb_channels (org_node_id) WHERE org_node_id IS NOT NULL;

-- Migration 024 (issue 14 item 8): cascade to superior GB/T 28181 platforms (级联): the upper platforms Argus registers
-- to as a lower platform, and the channels an admin shares with each (under the GB ID the upper platform sees).
--
-- Runs inside one transaction (opened by the migration runner: do not write BEGIN/COMMIT here).

CREATE TABLE gb_upper_platforms (
  id                 INTEGER PRIMARY KEY,
  name               TEXT    NOT NULL,
  gb_id              TEXT    NOT NULL UNIQUE CHECK (length(gb_id) = 20 AND gb_id NOT GLOB '*[^0-9]*'),
  domain             TEXT    NOT NULL CHECK (length(domain) BETWEEN 1 AND 20),
  host               TEXT    NOT NULL,
  port               INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
  transport          TEXT    NOT NULL CHECK (transport IN ('udp', 'tcp')),
  password_enc       TEXT,
  register_expires_s INTEGER NOT NULL DEFAULT 3600 CHECK (register_expires_s BETWEEN 30 AND 86400),
  keepalive_s        INTEGER NOT NULL DEFAULT 60 CHECK (keepalive_s BETWEEN 1 AND 3600),
  enabled            INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  created_ms         INTEGER NOT NULL,
  updated_ms         INTEGER NOT NULL
) STRICT;

CREATE TABLE gb_shared_channels (
  platform_id INTEGER NOT NULL REFERENCES gb_upper_platforms (id) ON DELETE CASCADE,
  channel_id  INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  gb_id       TEXT    NOT NULL CHECK (length(gb_id) = 20 AND gb_id NOT GLOB '*[^0-9]*'),
  PRIMARY KEY (platform_id, channel_id),
  UNIQUE (platform_id, gb_id)
) STRICT;
CREATE INDEX gb_shared_channels_channel ON gb_shared_channels (channel_id);

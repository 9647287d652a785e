-- Migration 023 (issue 14 item 7): recordings downloaded from GB/T 28181 devices into Argus's recordings. A download
-- is one operator request (a channel's range on the device); the segments it wrote are ordinary segments rows of the
-- channel, marked here as coming from the device.
--
-- Runs inside one transaction (opened by the migration runner: do not write BEGIN/COMMIT here).

CREATE TABLE gb_record_downloads (
  id            INTEGER PRIMARY KEY,
  channel_id    INTEGER NOT NULL,
  device_gb_id  TEXT    NOT NULL CHECK (length(device_gb_id) = 20 AND device_gb_id NOT GLOB '*[^0-9]*'),
  channel_gb_id TEXT    NOT NULL CHECK (length(channel_gb_id) = 20 AND channel_gb_id NOT GLOB '*[^0-9]*'),
  start_ms      INTEGER NOT NULL,
  end_ms        INTEGER NOT NULL,
  state         TEXT    NOT NULL CHECK (state IN ('running', 'done', 'failed', 'cancelled')),
  user_id       INTEGER,
  username      TEXT,
  created_ms    INTEGER NOT NULL,
  finished_ms   INTEGER,
  received_ms   INTEGER NOT NULL DEFAULT 0 CHECK (received_ms >= 0),
  error_code    TEXT,
  CHECK (end_ms > start_ms)
) STRICT;
CREATE INDEX gb_record_downloads_channel ON gb_record_downloads (channel_id, created_ms);

CREATE TABLE gb_download_segments (
  segment_id  INTEGER PRIMARY KEY REFERENCES segments (id) ON DELETE CASCADE,
  download_id INTEGER NOT NULL REFERENCES gb_record_downloads (id) ON DELETE CASCADE
) STRICT;
CREATE INDEX gb_download_segments_download ON gb_download_segments (download_id);

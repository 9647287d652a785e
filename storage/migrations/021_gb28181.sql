-- Migration 021 (issue 14): GB/T 28181 devices: their registration facts and digest password, and the site password.
-- Only new tables: a GB device is a devices row of kind 'gb28181' (code = its 20-digit ID; approved = 0 while it
-- awaits approval); these rows hold what the SIP registrar needs.

CREATE TABLE gb_devices (
  device_id     INTEGER PRIMARY KEY REFERENCES devices (id) ON DELETE CASCADE,
  password_enc  TEXT,
  transport     TEXT    CHECK (transport IS NULL OR transport IN ('udp', 'tcp')),
  last_host     TEXT,
  last_port     INTEGER CHECK (last_port IS NULL OR last_port BETWEEN 1 AND 65535),
  registered_ms INTEGER,
  expires_ms    INTEGER,
  keepalive_s   INTEGER NOT NULL DEFAULT 60 CHECK (keepalive_s BETWEEN 5 AND 3600),
  charset       TEXT    NOT NULL DEFAULT 'GB2312' CHECK (charset IN ('GB2312', 'GB18030', 'GBK', 'UTF-8')),
  first_seen_ms INTEGER NOT NULL,
  CHECK ((registered_ms IS NULL) = (expires_ms IS NULL))
) STRICT;

CREATE TRIGGER gb_devices_kind BEFORE INSERT ON gb_devices
WHEN (SELECT kind FROM devices WHERE id = NEW.device_id) IS NOT 'gb28181'
BEGIN
  SELECT RAISE(ABORT, 'gb_devices.device_id must be a device of kind gb28181');
END;

CREATE TABLE gb_site (
  id           INTEGER PRIMARY KEY CHECK (id = 1),
  password_enc TEXT,
  updated_ms   INTEGER NOT NULL
) STRICT;

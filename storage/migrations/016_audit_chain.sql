-- Migration 016 (issue 13 item 2): the tamper-evident audit log (docs/design/audit.md). Each audit_log row gets the
-- SHA-256 of the previous row (prev_hash) and its own (hash, over the canonical JSON of its fields and prev_hash);
-- audit_checkpoints holds the signed checkpoints (Ed25519, site key). SQLite has no SHA-256, so the rows written
-- before this migration are chained by the server at its first start (storage/sqlite/audit.ts, one transaction, in
-- id order); audit_chain_legacy records how far that applies, so a row inserted later without a hash is never chained.
--
-- Runs inside one transaction (opened by the migration runner: do not write BEGIN/COMMIT here).

ALTER TABLE audit_log ADD COLUMN prev_hash TEXT CHECK (prev_hash IS NULL OR length(prev_hash) = 64);
ALTER TABLE audit_log ADD COLUMN hash TEXT CHECK (hash IS NULL OR length(hash) = 64);

CREATE TABLE audit_checkpoints (
  id              INTEGER PRIMARY KEY,
  last_id         INTEGER NOT NULL CHECK (last_id >= 0),
  hash            TEXT    NOT NULL CHECK (length(hash) = 64),
  ts_ms           INTEGER NOT NULL,
  reason          TEXT    NOT NULL CHECK (reason IN ('rows', 'time', 'start', 'shutdown')),
  key_fingerprint TEXT    NOT NULL CHECK (length(key_fingerprint) = 64),
  signature       TEXT    NOT NULL CHECK (length(signature) > 0)
) STRICT;

CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
BEGIN
  SELECT RAISE(ABORT, 'audit_checkpoints is append-only');
END;

CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
BEGIN
  SELECT RAISE(ABORT, 'audit_checkpoints is append-only');
END;

CREATE TABLE audit_chain_legacy (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  until_id   INTEGER NOT NULL,
  chained_ms INTEGER
) STRICT;

INSERT INTO audit_chain_legacy (id, until_id, chained_ms) SELECT 1, coalesce(max(id), 0), NULL FROM audit_log;

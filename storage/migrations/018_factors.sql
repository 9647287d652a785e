-- Migration 018 (issue 13): sign-in factors: TOTP second factor (secret encrypted at rest, last accepted time step,
-- hashed single-use recovery codes) and directory (LDAP/AD) accounts.
--
-- Runs inside one transaction (opened by the migration runner: do not write BEGIN/COMMIT here).

CREATE TABLE user_totp (
  user_id     INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  secret_box  TEXT    NOT NULL CHECK (length(secret_box) > 0),
  created_ms  INTEGER NOT NULL,
  enabled_ms  INTEGER,
  last_step   INTEGER NOT NULL DEFAULT 0 CHECK (last_step >= 0)
) STRICT;

CREATE TABLE user_recovery_codes (
  user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  code_hash  TEXT    NOT NULL CHECK (length(code_hash) = 64 AND code_hash NOT GLOB '*[^0-9a-f]*'),
  used_ms    INTEGER,
  PRIMARY KEY (user_id, code_hash)
) STRICT, WITHOUT ROWID;

CREATE TABLE directory_accounts (
  user_id    INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  dn         TEXT    NOT NULL CHECK (length(dn) > 0),
  groups     TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(groups)),
  synced_ms  INTEGER NOT NULL
) STRICT;

-- Migration 017 (issue 13 item 5): a session remembers the address and browser it was opened from (the session list),
-- and each account the addresses it signed in from successfully (their failed logins have their own budget).
ALTER TABLE sessions ADD COLUMN address TEXT NOT NULL DEFAULT '' CHECK (length(address) <= 64);
ALTER TABLE sessions ADD COLUMN user_agent TEXT NOT NULL DEFAULT '' CHECK (length(user_agent) <= 256);

CREATE TABLE login_addresses (
  user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  address   TEXT    NOT NULL CHECK (length(address) BETWEEN 1 AND 64),
  first_ms  INTEGER NOT NULL,
  last_ms   INTEGER NOT NULL,
  PRIMARY KEY (user_id, address)
) STRICT, WITHOUT ROWID;

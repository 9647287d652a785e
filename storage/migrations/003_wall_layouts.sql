-- Migration 003: video wall layouts, saved per user.
--
-- Runs inside one transaction (opened by the migration runner: do not write BEGIN/COMMIT here).

CREATE TABLE wall_layouts (
  id         INTEGER PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name       TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
  json       TEXT    NOT NULL CHECK (json_valid(json)),
  updated_ms INTEGER NOT NULL,
  UNIQUE (user_id, name)
) STRICT;

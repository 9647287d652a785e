-- Migration 010 (issue 12 item 10): the last video wall of each user per window (Live tab = 0, a wall window =
-- its display id) and its carousel of saved layouts, restored on reload and at the next sign-in from any desk.
--
-- Runs inside one transaction (opened by the migration runner: do not write BEGIN/COMMIT here).

CREATE TABLE wall_states (
  user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  window_id     INTEGER NOT NULL CHECK (window_id >= 0),
  state_json    TEXT    CHECK (state_json IS NULL OR json_valid(state_json)),
  carousel_json TEXT    CHECK (carousel_json IS NULL OR json_valid(carousel_json)),
  updated_ms    INTEGER NOT NULL,
  PRIMARY KEY (user_id, window_id)
) STRICT;

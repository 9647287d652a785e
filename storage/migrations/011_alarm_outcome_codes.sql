-- Migration 011 (issue 12): alarm action outcomes as a code with parameters that the console words in the user's
-- language (common/alarms.ts ALARM_OUTCOME_CODES); rows stored before keep code NULL and their English message.
--
-- Runs inside one transaction (opened by the migration runner: do not write BEGIN/COMMIT here).

ALTER TABLE alarm_actions ADD COLUMN code TEXT;
ALTER TABLE alarm_actions ADD COLUMN params TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(params));

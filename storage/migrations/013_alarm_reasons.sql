-- Migration 013 (issue 12): the reason of an alarm raised from a source's status (camera offline, recording failed,
-- unit video link lost) as a registered message code with params (common/messages.ts, JSON {code, params}) that the
-- console words in the user's language; `message` keeps the English text. Rows stored before keep reason NULL.
--
-- Runs inside one transaction (opened by the migration runner: do not write BEGIN/COMMIT here).

ALTER TABLE alarms ADD COLUMN reason TEXT CHECK (reason IS NULL OR json_valid(reason));
ALTER TABLE alarm_occurrences ADD COLUMN reason TEXT CHECK (reason IS NULL OR json_valid(reason));

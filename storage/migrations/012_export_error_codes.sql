-- Migration 012 (issue 12): why an export failed as a registered message code with parameters (common/messages.ts)
-- that the console words in the user's language; `error` keeps the English text for logs and API clients. Rows
-- stored before keep error_code NULL (the console words them as a generic failure).
--
-- Runs inside one transaction (opened by the migration runner: do not write BEGIN/COMMIT here).

ALTER TABLE exports ADD COLUMN error_code TEXT;
ALTER TABLE exports ADD COLUMN error_params TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(error_params));

-- Migration 019 (issue 13): camera passwords encrypted at rest.
--
-- rtsp_channels.password_enc holds a channel's password sealed with the secrets key (AES-256-GCM, "s1:<key id>:iv:tag:ct",
-- main/platform/secret-box.ts). SQL cannot encrypt: the clear passwords stay in rtsp_channels.password until the server
-- starts with its key, which seals each one into password_enc and clears password in one transaction
-- (storage/sqlite/secrets.ts). From then on password is always NULL.
ALTER TABLE rtsp_channels ADD COLUMN password_enc TEXT CHECK (password_enc IS NULL OR password_enc GLOB 's1:*');

-- Migration 004: placeholder on the investigation branch only (feat/investigation) so that 006 applies (versions must have no gaps).
-- The ONVIF branch's real 004_onvif.sql replaces this file at merge.
SELECT 1;

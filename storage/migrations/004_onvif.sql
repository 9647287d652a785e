-- Migration 004: placeholder on the GPS branch only (feat/gps) so that 005_gps.sql runs (versions must have no gaps).
-- The ONVIF branch's real 004_onvif.sql replaces this file at merge.
SELECT 1;

-- Migration 005: placeholder on the investigation branch only (feat/investigation) so that 006 applies (versions must have no gaps).
-- The GPS branch's real 005_gps.sql replaces this file at merge.
SELECT 1;

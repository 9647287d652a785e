-- Migration 005: placeholder in the alarms branch so that 007 applies; the feature's own gps migration replaces this file at merge.
SELECT 1;

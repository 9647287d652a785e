-- Migration 017: reserved for another part of issue 13 (placeholder on feat/factors only; replaced by that part's own migration when merged).
SELECT 1;

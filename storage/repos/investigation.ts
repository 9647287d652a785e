// Repository interface for bookmarks, cases, legal holds, exports and snapshots (issue 6); the SQLite implementation is storage/sqlite/investigation.ts.

export interface InvestigationRepo {}

// Repository interface for alarms, their workflow and linkage rules (issue 7); the SQLite implementation is storage/sqlite/alarms.ts.

export interface AlarmRepo {}

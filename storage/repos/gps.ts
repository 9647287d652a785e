// Repository interface for GPS points, geofences and map placement (issue 5); the SQLite implementation is storage/sqlite/gps.ts.

export interface GpsRepo {}

// Repository interface for ONVIF devices, stored credentials, PTZ presets and tours (issue 4); the SQLite implementation is storage/sqlite/onvif.ts.

export interface OnvifRepo {}

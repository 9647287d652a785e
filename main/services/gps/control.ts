// What route handlers and other features may ask of the gps feature (issue 5).

export interface GpsControl {}

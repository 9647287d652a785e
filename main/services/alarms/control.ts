// What route handlers and other features may ask of the alarms feature (issue 7).

export interface AlarmControl {}

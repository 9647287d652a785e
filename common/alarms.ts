// Alarm contracts (issue 7): API bodies and views, and the alarms events on the WebSocket stream.

/** WebSocket events of this feature; add variants here (each with a distinct `type`). */
export type AlarmServerEvent = never;

/** Every event type above, for the console's parser (the Record makes the compiler insist the list is complete). */
export const ALARM_EVENT_TYPES: Record<AlarmServerEvent['type'], true> = {};

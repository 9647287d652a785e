// Gps contracts (issue 5): API bodies and views, and the gps events on the WebSocket stream.

/** WebSocket events of this feature; add variants here (each with a distinct `type`). */
export type GpsServerEvent = never;

/** Every event type above, for the console's parser (the Record makes the compiler insist the list is complete). */
export const GPS_EVENT_TYPES: Record<GpsServerEvent['type'], true> = {};

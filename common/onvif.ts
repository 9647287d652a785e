// Onvif contracts (issue 4): API bodies and views, and the onvif events on the WebSocket stream.

/** WebSocket events of this feature; add variants here (each with a distinct `type`). */
export type OnvifServerEvent = never;

/** Every event type above, for the console's parser (the Record makes the compiler insist the list is complete). */
export const ONVIF_EVENT_TYPES: Record<OnvifServerEvent['type'], true> = {};

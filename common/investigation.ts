// Investigation contracts (issue 6): API bodies and views, and the investigation events on the WebSocket stream.

/** WebSocket events of this feature; add variants here (each with a distinct `type`). */
export type InvestigationServerEvent = never;

/** Every event type above, for the console's parser (the Record makes the compiler insist the list is complete). */
export const INVESTIGATION_EVENT_TYPES: Record<InvestigationServerEvent['type'], true> = {};

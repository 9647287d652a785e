// Device event recorder: stores a normalized device event (events table), pushes it to consoles and tells in-process listeners (alarms).
import type { DeviceEvent, DeviceEventState, DeviceEventType } from '../../common/device-events';
import type { ServerEvent } from '../../common/events';
import type { Store } from '../../storage/repositories';

export type DeviceEventInput = Omit<DeviceEvent, 'id' | 'endMs' | 'detail'> & {
  endMs?: number | null;
  detail?: Record<string, unknown> | null;
};

export type DeviceEventListener = (ev: DeviceEvent) => void;

export class DeviceEventService {
  private readonly listeners = new Set<DeviceEventListener>();

  constructor(private readonly deps: { store: Store; publish: (ev: ServerEvent) => void; log: (m: string) => void }) {}

  /** Stores the event first (a crash after this loses nothing), then pushes it and tells the listeners. */
  async record(input: DeviceEventInput): Promise<DeviceEvent> {
    const detail: Record<string, unknown> = { ...(input.detail ?? {}) };
    if (input.lat != null && input.lon != null) {
      detail.lat = input.lat;
      detail.lon = input.lon;
    }
    const row = await this.deps.store.events.insert({
      cameraId: input.cameraId,
      type: input.type,
      state: input.state,
      startMs: input.startMs,
      endMs: input.endMs ?? null,
      detail: Object.keys(detail).length > 0 ? detail : null,
    });
    const ev: DeviceEvent = {
      id: row.id,
      cameraId: row.cameraId,
      type: row.type as DeviceEventType,
      state: (row.state ?? 'pulse') as DeviceEventState,
      startMs: row.startMs,
      endMs: row.endMs,
      lat: input.lat ?? null,
      lon: input.lon ?? null,
      detail: input.detail ?? null,
    };
    this.deps.publish({ type: 'device.event', event: ev });
    for (const l of this.listeners) {
      try {
        l(ev);
      } catch (err) {
        this.deps.log(`[device-events] listener failed: ${(err as Error).message}`);
      }
    }
    return ev;
  }

  /** Subscribes to every recorded event; returns the unsubscribe function. */
  on(listener: DeviceEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

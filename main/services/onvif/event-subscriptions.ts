// The PullPoint event loops of the devices (one EventPuller each) and what their events become: device events on the right camera, in corrected device time.
import type { OnvifCameraRow } from '../../../storage/repos/onvif';
import type { OnvifContext } from './context';
import { EventPuller, type NormalizedEvent } from './events';
import type { DeviceRuntime } from './registry';

type EventsContext = Pick<OnvifContext, 'store' | 'log' | 'now' | 'deviceEvents'>;

/** Long-lived: a loop per watched device, started once its services are known (begin), ended by unwatch() or close(). */
export class EventSubscriptions {
  private readonly pullers = new Map<number, EventPuller>();

  constructor(
    private readonly ctx: EventsContext,
    /** The cameras (links) of a device, to pick the one an event belongs to. */
    private readonly camerasOf: (deviceId: number) => OnvifCameraRow[],
  ) {}

  /** Prepares the device's loop (not started: the device's services must be known first). */
  watch(rt: DeviceRuntime): void {
    const row = rt.row;
    const puller = new EventPuller({
      client: () => rt.client,
      label: `[onvif device ${row.id} ${row.host}:${row.port}]`,
      log: this.ctx.log,
      now: this.ctx.now,
      onSupport: (supported) => {
        const v = supported ? 'supported' : 'unsupported';
        if (rt.row.events !== v) {
          rt.row = { ...rt.row, events: v };
          void this.ctx.store.onvif.setEvents(row.id, v).catch(() => undefined);
        }
      },
      onEvent: (ev) => this.record(rt, ev),
    });
    this.pullers.set(row.id, puller);
  }

  /** Starts the device's loop (idempotent). */
  begin(deviceId: number): void {
    this.pullers.get(deviceId)?.start();
  }

  /** Ends the device's loop; resolves when its pending pull is over (close the client alongside to end it at once). */
  unwatch(deviceId: number): Promise<void> {
    const puller = this.pullers.get(deviceId);
    this.pullers.delete(deviceId);
    return puller ? puller.stop() : Promise.resolve();
  }

  async close(): Promise<void> {
    await Promise.all([...this.pullers.keys()].map((id) => this.unwatch(id)));
  }

  private async record(rt: DeviceRuntime, ev: NormalizedEvent): Promise<void> {
    const cams = this.camerasOf(rt.row.id);
    if (cams.length === 0) return;
    const values = new Set(Object.values(ev.source));
    const cam = cams.find((l) => values.has(l.sourceToken) || values.has(l.profileToken)) ?? cams[0];
    const offset = rt.health.clockOffsetMs;
    const now = this.ctx.now();
    // Device time corrected by the measured clock offset; the server's time when the device gave none.
    const startMs = ev.utcMs !== null ? Math.round(ev.utcMs - (offset ?? 0)) : now;
    await this.ctx.deviceEvents.record({
      cameraId: cam.cameraId,
      type: ev.type,
      state: ev.state,
      startMs,
      detail: {
        source: 'onvif',
        topic: ev.topic,
        deviceId: rt.row.id,
        deviceUtcMs: ev.utcMs,
        clockOffsetMs: offset,
        clockSkewed: rt.health.clockSkewed,
        items: { ...ev.source, ...ev.data },
        // A state reported when the subscription began (or a property removed): the change itself may be earlier.
        ...(ev.operation === 'Changed' ? {} : { propertyOperation: ev.operation, onsetUnknown: true }),
      },
    });
  }
}

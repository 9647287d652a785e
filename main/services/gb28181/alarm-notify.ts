// GB/T 28181 alarms (A.2.5.3 Notify/Alarm): parsed, recorded as device events for the alarm center (with the device's place), answered with Response/Alarm OK; closing the alarm resets it on the device.
import type { AlarmSeverity } from '../../../common/alarms';
import type { DeviceEventType } from '../../../common/device-events';
import type { Log } from '../../../common/log';
import type { Store } from '../../../storage/repositories';
import type { DeviceEventService } from '../device-events';
import type { FeatureContext } from '../features';
import type { GbDeviceControl } from './device-control';
import { localOffsetMinutes, parseGbTime, type OffsetMinutes } from './gb-time';
import { fieldOf, textOf } from './manscdp';
import type { GbPeer, GbSignalling, Manscdp } from './signalling';

/** An alarm as a device reports it. */
export interface GbAlarm {
  /** The DeviceID of the body: the device itself, one of its video channels or an alarm input (type 134). */
  sourceCode: string;
  /** 1 (highest, 一级警情) .. 4; null when absent. */
  priority: number | null;
  /** 1 phone, 2 device, 3 SMS, 4 GPS, 5 video, 6 device fault, 7 other; null when absent. */
  method: number | null;
  /** Per method (A.2.5.3: device 1 video loss, 2 tamper ...; video 2 motion ...); null when absent. */
  type: number | null;
  atMs: number;
  /** WGS-84 degrees; null when absent, zero or out of range. */
  lat: number | null;
  lon: number | null;
  description: string | null;
}

function text(fields: Record<string, unknown>, ...path: string[]): string {
  let v: unknown = fields;
  for (const p of path) v = fieldOf(v, p);
  return textOf(v).trim();
}

function int(t: string): number | null {
  return /^\d{1,3}$/.test(t) ? Number(t) : null;
}

/** Latitude/longitude pair; null when either is missing, not a number, out of range, or both are 0 (no fix). */
export function coordinates(latText: string, lonText: string): { lat: number; lon: number } | null {
  if (latText === '' || lonText === '') return null;
  const lat = Number(latText);
  const lon = Number(lonText);
  if (!Number.isFinite(lat) || !Number.isFinite(lon) || lat < -90 || lat > 90 || lon < -180 || lon > 180) return null;
  if (lat === 0 && lon === 0) return null;
  return { lat, lon };
}

/** Reads a Notify/Alarm; a missing or odd AlarmTime is the time it was received. */
export function parseGbAlarm(m: Manscdp, receivedMs: number, offset: OffsetMinutes = localOffsetMinutes): GbAlarm {
  const f = m.fields;
  const place = coordinates(text(f, 'Latitude'), text(f, 'Longitude'));
  const description = text(f, 'AlarmDescription');
  return {
    sourceCode: m.deviceId,
    priority: int(text(f, 'AlarmPriority')),
    method: int(text(f, 'AlarmMethod')),
    // 2016 puts AlarmType under Info; some devices put it beside AlarmMethod.
    type: int(text(f, 'Info', 'AlarmType')) ?? int(text(f, 'AlarmType')),
    atMs: parseGbTime(text(f, 'AlarmTime'), offset) ?? receivedMs,
    lat: place?.lat ?? null,
    lon: place?.lon ?? null,
    description: description === '' ? null : description,
  };
}

/** The device event type an alarm is: SOS for a phone/other alarm of a mobile device (the body camera's SOS key). */
export function eventTypeOf(a: GbAlarm, mobile: boolean): DeviceEventType {
  switch (a.method) {
    case 1:
      return 'sos';
    case 2:
      return a.type === 1 ? 'video_loss' : a.type === 2 ? 'tamper' : 'digital_input';
    case 5:
      return a.type === 2 ? 'motion' : a.type === 11 ? 'tamper' : a.type === 1 ? 'manual' : 'motion';
    case 7:
      return mobile ? 'sos' : 'digital_input';
    default:
      return 'digital_input';
  }
}

/** AlarmPriority 1–4 → severity; null (the type's default) when absent. */
export function severityOf(priority: number | null): AlarmSeverity | null {
  switch (priority) {
    case 1:
      return 'critical';
    case 2:
      return 'major';
    case 3:
      return 'minor';
    case 4:
      return 'info';
    default:
      return null;
  }
}

export interface GbAlarmIntakeDeps {
  signalling: GbSignalling;
  store: Pick<Store, 'devices' | 'channels' | 'events'>;
  deviceEvents: Pick<DeviceEventService, 'record'>;
  control: GbDeviceControl;
  onServerEvent: FeatureContext['onServerEvent'];
  /** The device's last reported position (MobilePosition), for alarms that carry none. */
  lastPosition: (deviceId: number) => { lat: number; lon: number } | null;
  now: () => number;
  log: Log;
  offset?: OffsetMinutes;
}

/** Long-lived: start() takes Alarm notifications and watches alarms being closed; close() stops both. */
export class GbAlarmIntake {
  private readonly offs: Array<() => void> = [];

  constructor(private readonly deps: GbAlarmIntakeDeps) {}

  start(): void {
    this.offs.push(this.deps.signalling.onManscdp('Alarm', (from, m) => this.onAlarm(from, m)));
    this.offs.push(
      this.deps.onServerEvent((ev) => {
        if (ev.type === 'alarm.event' && ev.kind === 'state' && ev.alarm.state === 'closed' && ev.alarm.deviceEventId !== null)
          void this.reset(ev.alarm.sourceId, ev.alarm.deviceEventId, ev.alarm.firstMs).catch((err: Error) =>
            this.deps.log.warn('alarm reset on the device failed', { alarmId: ev.alarm.id, error: err.message }),
          );
      }),
    );
  }

  close(): void {
    for (const off of this.offs.splice(0)) off();
  }

  /** Records the alarm (stored before the device is answered), then answers Response/Alarm Result OK. */
  async onAlarm(from: GbPeer, m: Manscdp): Promise<void> {
    if (m.root !== 'Notify') return; // a Response/Alarm (an answer to an alarm query) is no new alarm
    const a = parseGbAlarm(m, this.deps.now(), this.deps.offset);
    const device = await this.deps.store.devices.getByCode('gb28181', from.id);
    if (!device) {
      this.deps.log.warn('alarm from an unknown GB device ignored', { gbId: from.id });
      return;
    }
    const channels = await this.deps.store.channels.listByDevice(device.id);
    const channel = channels.find((c) => c.code === a.sourceCode) ?? null;
    // A device-level alarm (the device, an alarm input) is recorded on the device's first channel, as a unit's SOS is.
    const cameraId = channel?.id ?? channels[0]?.id ?? null;
    const place = a.lat !== null && a.lon !== null ? { lat: a.lat, lon: a.lon } : this.deps.lastPosition(device.id);
    const type = eventTypeOf(a, device.mobile !== null);
    const severity = severityOf(a.priority);
    await this.deps.deviceEvents.record({
      cameraId,
      type,
      state: 'pulse',
      startMs: a.atMs,
      lat: place?.lat ?? null,
      lon: place?.lon ?? null,
      detail: {
        source: 'gb28181',
        deviceId: device.id,
        gbDeviceId: from.id,
        gbSourceId: a.sourceCode,
        alarmMethod: a.method,
        alarmType: a.type,
        alarmPriority: a.priority,
        ...(severity ? { severity } : {}),
        ...(a.description ? { message: a.description } : {}),
      },
    });
    this.deps.log.info('GB alarm', { deviceId: device.id, gbId: a.sourceCode, type, method: a.method, alarmType: a.type, priority: a.priority });
    void this.deps.signalling
      .notify(from, { root: 'Response', cmdType: 'Alarm', sn: m.sn, deviceId: m.deviceId, fields: { Result: 'OK' } })
      .catch((err: Error) => this.deps.log.warn('alarm response not delivered', { gbId: from.id, error: err.message }));
  }

  /** An alarm raised by a GB device was closed: ResetAlarm (AlarmCmd) for its source, with its method and type. */
  private async reset(sourceId: number | null, deviceEventId: number, firstMs: number): Promise<void> {
    if (sourceId === null) return;
    const rows = await this.deps.store.events.listRange({ cameraId: sourceId, startMs: firstMs - 1, endMs: firstMs + 1, limit: 100 });
    const d = rows.find((r) => r.id === deviceEventId)?.detail as Record<string, unknown> | null | undefined;
    if (!d || d.source !== 'gb28181' || typeof d.gbDeviceId !== 'string' || typeof d.gbSourceId !== 'string') return;
    const num = (v: unknown) => (typeof v === 'number' ? v : null);
    await this.deps.control.send(d.gbDeviceId, d.gbSourceId, { kind: 'resetAlarm', method: num(d.alarmMethod), type: num(d.alarmType) });
    this.deps.log.info('GB alarm reset on the device', { gbId: d.gbSourceId, deviceEventId });
  }
}

// GB/T 28181 device control as one unit the feature composes: DeviceControl sender, PTZ driver, alarm and MobilePosition intake, admin commands.
import { asLog, type LogSink } from '../../../common/log';
import type { Store } from '../../../storage/repositories';
import type { AuditLog } from '../audit-log';
import type { PositionIntake } from '../contracts';
import type { DeviceEventService } from '../device-events';
import type { Feature, FeatureContext } from '../features';
import { GbAdminCommands } from './admin-commands';
import { GbAlarmIntake } from './alarm-notify';
import { GbDeviceControl } from './device-control';
import type { OffsetMinutes } from './gb-time';
import { GbPositions } from './mobile-position';
import { GbPtzDriver } from './ptz-driver';
import type { GbSignalling } from './signalling';

export interface GbControlPartsDeps {
  signalling: GbSignalling;
  store: Pick<Store, 'devices' | 'channels' | 'events'>;
  deviceEvents: Pick<DeviceEventService, 'record'>;
  onServerEvent: FeatureContext['onServerEvent'];
  audit: AuditLog;
  /** The GPS feature (positions of mobile GB devices). */
  gps: PositionIntake;
  now: () => number;
  log: LogSink;
  /** How an unzoned device time is read (default: the server's zone). */
  deviceOffset?: OffsetMinutes;
  /** Answer wait for DeviceControl with a Response and the control queries, ms (default 10 s). */
  timeoutMs?: number;
}

/** Long-lived: start() takes Alarm and MobilePosition notifications and watches alarms being closed; close() stops. */
export class GbControlParts {
  readonly control: GbDeviceControl;
  /** For the ONVIF feature's PTZ controller (createOnvifFeature's ptzDrivers). */
  readonly ptzDriver: GbPtzDriver;
  readonly positions: GbPositions;
  readonly alarms: GbAlarmIntake;
  /** Remote reboot and device recording (admin routes). */
  readonly admin: GbAdminCommands;
  private readonly unsubscribe: Array<() => void> = [];

  constructor(private readonly deps: GbControlPartsDeps) {
    const log = asLog(deps.log, 'gb-control');
    this.control = new GbDeviceControl(deps.signalling, { timeoutMs: deps.timeoutMs });
    this.ptzDriver = new GbPtzDriver({ store: deps.store, control: this.control, now: deps.now });
    this.positions = new GbPositions({
      signalling: deps.signalling,
      store: deps.store,
      gps: deps.gps,
      audit: deps.audit,
      now: deps.now,
      log,
      offset: deps.deviceOffset,
    });
    this.alarms = new GbAlarmIntake({
      signalling: deps.signalling,
      store: deps.store,
      deviceEvents: deps.deviceEvents,
      control: this.control,
      onServerEvent: deps.onServerEvent,
      lastPosition: (id) => this.positions.lastPosition(id),
      now: deps.now,
      log,
      offset: deps.deviceOffset,
    });
    this.admin = new GbAdminCommands({ store: deps.store, control: this.control, audit: deps.audit });
  }

  start(): void {
    this.positions.start();
    this.alarms.start();
    // A mobile device's link on the map follows its registration.
    this.unsubscribe.push(
      this.deps.signalling.onRegistration((ev) => {
        const up = ev.type === 'registered' || ev.type === 'online';
        const down = ev.type === 'unregistered' || ev.type === 'expired' || ev.type === 'offline';
        if (!up && !down) return;
        void this.deps.store.devices
          .getByCode('gb28181', ev.deviceId)
          .then((d) => {
            if (d?.mobile) this.deps.gps.positionLink(d.id, up);
          })
          .catch(() => undefined);
      }),
    );
  }

  close(): void {
    for (const off of this.unsubscribe.splice(0)) off();
    this.alarms.close();
    this.positions.close();
  }
}

/** Device control as a feature of its own beside the GB feature (same folder): started before the SIP endpoint listens, closed with it. */
export function createGbControlFeature(
  ctx: FeatureContext<'devices' | 'channels' | 'events'>,
  deps: { signalling: GbSignalling; gps: PositionIntake },
): Feature<GbControlParts> {
  const parts = new GbControlParts({
    signalling: deps.signalling,
    store: ctx.store,
    deviceEvents: ctx.deviceEvents,
    onServerEvent: ctx.onServerEvent,
    audit: ctx.audit,
    gps: deps.gps,
    now: ctx.now,
    log: ctx.log,
  });
  return {
    control: parts,
    mounts: [],
    start: () => Promise.resolve(parts.start()),
    close: () => Promise.resolve(parts.close()),
  };
}

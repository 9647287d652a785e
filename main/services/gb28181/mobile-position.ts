// GB/T 28181 MobilePosition (A.2.5.5 Notify): parsed and fed to the GPS feature; a device that reports positions becomes a mobile device (a body camera) on the map.
import type { Log } from '../../../common/log';
import { MOBILE_TYPES, type MobileType } from '../../../common/devices';
import type { Store } from '../../../storage/repositories';
import type { AuditLog } from '../audit-log';
import type { PositionIntake, ReportedPosition } from '../contracts';
import { coordinates } from './alarm-notify';
import { localOffsetMinutes, parseGbTime, type OffsetMinutes } from './gb-time';
import { fieldOf, textOf } from './manscdp';
import type { GbPeer, GbSignalling, Manscdp } from './signalling';

function num(t: string): number | null {
  if (t === '') return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

/**
 * Reads a MobilePosition (Time, Longitude, Latitude, Speed km/h, Direction degrees from north, Altitude m); null
 * without a valid position. A missing or odd Time is the time it was received.
 */
export function parseMobilePosition(m: Manscdp, receivedMs: number, offset: OffsetMinutes = localOffsetMinutes): ReportedPosition | null {
  const t = (name: string) => textOf(fieldOf(m.fields, name)).trim();
  const place = coordinates(t('Latitude'), t('Longitude'));
  if (!place) return null;
  const speedKmh = num(t('Speed'));
  const heading = num(t('Direction'));
  const alt = num(t('Altitude'));
  return {
    tMs: parseGbTime(t('Time'), offset) ?? receivedMs,
    lat: place.lat,
    lon: place.lon,
    altM: alt,
    speedMps: speedKmh !== null && speedKmh >= 0 && speedKmh <= 1000 ? Math.round((speedKmh / 3.6) * 1000) / 1000 : null,
    headingDeg: heading !== null && heading >= 0 && heading <= 360 ? heading % 360 : null,
  };
}

/** A callsign from the device's name (letters, digits, space, _ . -; at most 32 characters). */
export function callsignOf(name: string, code: string): string {
  const clean = name
    .replace(/[^\p{L}\p{N} _.-]/gu, '')
    .trim()
    .slice(0, 32);
  return clean.length > 0 ? clean : code.slice(-12);
}

export interface GbPositionsDeps {
  signalling: GbSignalling;
  store: Pick<Store, 'devices'>;
  gps: PositionIntake;
  audit: AuditLog;
  now: () => number;
  log: Log;
  offset?: OffsetMinutes;
  /** The mobile type a device gets when its first position arrives (default 'body': a body camera). */
  mobileType?: MobileType;
}

/** Long-lived: start() takes MobilePosition notifications; close() stops. Keeps each device's last position (alarms without one use it). */
export class GbPositions {
  private off: (() => void) | null = null;
  private readonly last = new Map<number, { lat: number; lon: number; tMs: number }>();

  constructor(private readonly deps: GbPositionsDeps) {}

  start(): void {
    this.off = this.deps.signalling.onManscdp('MobilePosition', (from, m) => this.onPosition(from, m));
  }

  close(): void {
    this.off?.();
    this.off = null;
  }

  lastPosition(deviceId: number): { lat: number; lon: number } | null {
    return this.last.get(deviceId) ?? null;
  }

  async onPosition(from: GbPeer, m: Manscdp): Promise<void> {
    if (m.root !== 'Notify') return;
    const p = parseMobilePosition(m, this.deps.now(), this.deps.offset);
    const device = await this.deps.store.devices.getByCode('gb28181', from.id);
    if (!device || !device.approved) return;
    if (!p) {
      this.deps.log.debug('MobilePosition without a valid position', { deviceId: device.id });
      return;
    }
    if (!device.mobile) await this.makeMobile(device.id, device.name, from.id);
    const prev = this.last.get(device.id);
    if (!prev || p.tMs >= prev.tMs) this.last.set(device.id, { lat: p.lat, lon: p.lon, tMs: p.tMs });
    // Its link on the map (idempotent): up while registered, also for a device that became mobile after registering.
    this.deps.gps.positionLink(device.id, this.deps.signalling.peer(from.id) !== null);
    const r = await this.deps.gps.submitPositions(device.id, [p]);
    if (r.rejected > 0) this.deps.log.debug('MobilePosition refused by the GPS feature', { deviceId: device.id });
  }

  /**
   * The first position makes the device mobile: a callsign from its name (made unique with its id when taken) and
   * the mobile type (body camera by default); audited as the system's doing, an admin may change both later.
   */
  private async makeMobile(deviceId: number, name: string, code: string): Promise<void> {
    const type = this.deps.mobileType && MOBILE_TYPES.includes(this.deps.mobileType) ? this.deps.mobileType : 'body';
    let callsign = callsignOf(name, code);
    const holder = await this.deps.store.devices.getByCallsign(callsign);
    if (holder && holder.id !== deviceId) callsign = `${callsign.slice(0, 32 - String(deviceId).length - 1)}-${deviceId}`;
    try {
      await this.deps.store.devices.update(deviceId, { mobile: { callsign, type, officer: null, plate: null } }, this.deps.now());
    } catch (err) {
      this.deps.log.warn('GB device could not be made mobile', { deviceId, callsign, error: (err as Error).message });
      return;
    }
    this.deps.log.info('GB device reports positions: now a mobile device', { deviceId, callsign, type });
    await this.deps.audit
      .record({
        actor: { userId: null, username: 'system: GB/T 28181 MobilePosition' },
        action: 'gb.device.mobile',
        targetType: 'device',
        targetId: deviceId,
        detail: { callsign, type, gbId: code },
        ip: null,
      })
      .catch(() => undefined);
  }
}

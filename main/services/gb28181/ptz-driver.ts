// The GB/T 28181 PTZ driver (a PtzDriver of contracts.ts): moves, stop, presets 1–254 and home (preset 255) as PTZCmd, presets listed by PresetQuery.
import { ErrorKind } from '../../../common/errors';
import { msg } from '../../../common/messages';
import type { PtzPosition } from '../../../common/onvif';
import type { Store } from '../../../storage/repositories';
import { DomainError } from '../../platform/errors';
import type { PtzDriver } from '../contracts';
import type { GbDeviceControl } from './device-control';
import { MAX_PRESET_INDEX, presetHex, ptzMoveHex, ptzStopHex } from './ptz-cmd';

/** The preset index that stands for "home" (set home / go home); never given to an operator's preset. */
export const HOME_PRESET_INDEX = MAX_PRESET_INDEX;

/** How long a device that did not answer PresetQuery is not asked again (its stored presets are shown meanwhile). */
const PRESET_QUERY_BACKOFF_MS = 5 * 60_000;
const PRESET_QUERY_TIMEOUT_MS = 3_000;

export interface GbPtzDriverDeps {
  store: Pick<Store, 'channels' | 'devices'>;
  control: GbDeviceControl;
  now: () => number;
}

interface GbTarget {
  deviceCode: string;
  channelCode: string;
  ptz: boolean;
}

/** The lowest preset index 1–254 not among `taken` (stored tokens); null when all are used. */
export function freePresetIndex(taken: readonly string[]): number | null {
  const used = new Set(taken.filter((t) => /^\d{1,3}$/.test(t)).map(Number));
  for (let i = 1; i < HOME_PRESET_INDEX; i++) if (!used.has(i)) return i;
  return null;
}

function indexOf(token: string): number {
  const t = token.trim();
  const n = /^\d{1,3}$/.test(t) ? Number(t) : NaN;
  if (!(n >= 1 && n <= MAX_PRESET_INDEX)) throw new Error(`preset token ${JSON.stringify(token)} is not a GB/T 28181 preset index (1–255)`);
  return n;
}

export class GbPtzDriver implements PtzDriver {
  readonly kind = 'gb28181' as const;
  /** Device code → when PresetQuery may be tried again. */
  private readonly noPresetQueryUntil = new Map<string, number>();

  constructor(private readonly deps: GbPtzDriverDeps) {}

  /** The device and channel codes of a channel of a GB device; null for any other channel. */
  private async target(channelId: number): Promise<GbTarget | null> {
    const ch = await this.deps.store.channels.get(channelId);
    if (!ch?.code) return null;
    const dev = await this.deps.store.devices.get(ch.deviceId);
    if (!dev || dev.kind !== 'gb28181' || !dev.code) return null;
    return { deviceCode: dev.code, channelCode: ch.code, ptz: ch.ptz };
  }

  private async targetOr404(channelId: number): Promise<GbTarget> {
    const t = await this.target(channelId);
    if (!t) throw DomainError.notFound(msg('gb.not_gb_channel', { id: channelId }));
    return t;
  }

  private async ptzCmd(channelId: number, hex: string): Promise<void> {
    const t = await this.targetOr404(channelId);
    await this.deps.control.send(t.deviceCode, t.channelCode, { kind: 'ptz', hex });
  }

  async channel(channelId: number): Promise<{ ptz: boolean } | null> {
    const t = await this.target(channelId);
    return t ? { ptz: t.ptz } : null;
  }

  continuousMove(channelId: number, v: { pan: number; tilt: number; zoom: number }): Promise<void> {
    return this.ptzCmd(channelId, ptzMoveHex(v));
  }

  stop(channelId: number): Promise<void> {
    return this.ptzCmd(channelId, ptzStopHex());
  }

  gotoHome(channelId: number): Promise<void> {
    return this.ptzCmd(channelId, presetHex('goto', HOME_PRESET_INDEX));
  }

  setHome(channelId: number): Promise<void> {
    return this.ptzCmd(channelId, presetHex('set', HOME_PRESET_INDEX));
  }

  async position(channelId: number): Promise<PtzPosition> {
    const t = await this.targetOr404(channelId);
    const p = await this.deps.control.position(t.deviceCode, t.channelCode);
    return { ...p, moving: false };
  }

  async presets(channelId: number): Promise<Array<{ token: string; name: string }> | null> {
    const t = await this.targetOr404(channelId);
    if ((this.noPresetQueryUntil.get(t.deviceCode) ?? 0) > this.deps.now()) return null;
    try {
      const list = await this.deps.control.presets(t.deviceCode, t.channelCode, PRESET_QUERY_TIMEOUT_MS);
      this.noPresetQueryUntil.delete(t.deviceCode);
      return list.filter((p) => p.index !== HOME_PRESET_INDEX).map((p) => ({ token: String(p.index), name: p.name }));
    } catch {
      this.noPresetQueryUntil.set(t.deviceCode, this.deps.now() + PRESET_QUERY_BACKOFF_MS);
      return null;
    }
  }

  async setPreset(channelId: number, _name: string, taken: readonly string[]): Promise<string> {
    const index = freePresetIndex(taken);
    if (index === null) throw new DomainError(ErrorKind.Conflict, msg('gb.presets_full'));
    await this.ptzCmd(channelId, presetHex('set', index));
    return String(index);
  }

  removePreset(channelId: number, token: string): Promise<void> {
    return this.ptzCmd(channelId, presetHex('remove', indexOf(token)));
  }

  gotoPreset(channelId: number, token: string): Promise<void> {
    return this.ptzCmd(channelId, presetHex('goto', indexOf(token)));
  }
}

// PTZ targets: one channel's PTZ whatever its protocol — the ONVIF client of its device, or the driver of its device's kind (GB/T 28181 ...).
import { ErrorKind } from '../../../common/errors';
import { msg } from '../../../common/messages';
import type { DeviceKind } from '../../../common/devices';
import type { PtzPosition } from '../../../common/onvif';
import type { PtzDriver } from '../contracts';
import type { OnvifContext } from './context';
import type { OnvifClient } from './client';
import { fail } from './errors';
import type { DeviceRegistry } from './registry';

/** What the PTZ controller, presets and tours ask of a channel; bound to it. */
export interface PtzTarget {
  readonly cameraId: number;
  readonly ptz: boolean;
  continuousMove(v: { pan: number; tilt: number; zoom: number }, deviceTimeoutMs: number): Promise<void>;
  stop(): Promise<void>;
  gotoHome(): Promise<void>;
  setHome(): Promise<void>;
  status(): Promise<PtzPosition>;
  /** Null: the device cannot list its presets now (the stored list is shown). */
  presets(): Promise<Array<{ token: string; name: string }> | null>;
  setPreset(name: string, taken: readonly string[]): Promise<string>;
  removePreset(token: string): Promise<void>;
  gotoPreset(token: string): Promise<void>;
}

type TargetsContext = Pick<OnvifContext, 'store'>;

export class PtzTargets {
  private readonly drivers = new Map<DeviceKind, PtzDriver>();

  constructor(
    private readonly ctx: TargetsContext,
    private readonly registry: DeviceRegistry,
    drivers: readonly PtzDriver[],
  ) {
    for (const d of drivers) this.drivers.set(d.kind, d);
  }

  /** The ONVIF link in memory (no storage read), else the driver of the channel's device kind. */
  private onvifTarget(cameraId: number): PtzTarget | null {
    const known = this.registry.runtimeOf(cameraId);
    if (!known) return null;
    const { link, rt } = known;
    const t = link.profileToken;
    const dev = <T>(fn: (c: OnvifClient) => Promise<T>) => this.registry.device(rt, fn);
    return {
      cameraId,
      ptz: link.ptz,
      continuousMove: (v, timeoutMs) => dev((c) => c.continuousMove(t, v.pan, v.tilt, v.zoom, timeoutMs)),
      stop: () => dev((c) => c.stop(t)),
      gotoHome: () => dev((c) => c.gotoHome(t)),
      setHome: () => dev((c) => c.setHome(t)),
      status: () => dev((c) => c.status(t)).then((s) => ({ pan: s.pan, tilt: s.tilt, zoom: s.zoom, moving: s.moving })),
      presets: () => rt.client.presets(t).catch(() => null),
      setPreset: (name) => dev((c) => c.setPreset(t, name)),
      removePreset: (token) => dev((c) => c.removePreset(t, token)),
      gotoPreset: (token) => dev((c) => c.gotoPreset(t, token)),
    };
  }

  private driverTarget(cameraId: number, d: PtzDriver, ptz: boolean): PtzTarget {
    return {
      cameraId,
      ptz,
      continuousMove: (v) => d.continuousMove(cameraId, v),
      stop: () => d.stop(cameraId),
      gotoHome: () => d.gotoHome(cameraId),
      setHome: () => d.setHome(cameraId),
      status: () => d.position(cameraId),
      presets: () => d.presets(cameraId),
      setPreset: (name, taken) => d.setPreset(cameraId, name, taken),
      removePreset: (token) => d.removePreset(cameraId, token),
      gotoPreset: (token) => d.gotoPreset(cameraId, token),
    };
  }

  /** The channel's target; null when it has none (not ONVIF, no driver for its kind, or no such channel). */
  async find(cameraId: number): Promise<PtzTarget | null> {
    const onvif = this.onvifTarget(cameraId);
    if (onvif) return onvif;
    if (await this.registry.findLink(cameraId)) return null; // an ONVIF channel whose device is not loaded
    if (this.drivers.size === 0) return null;
    const ch = await this.ctx.store.channels.get(cameraId);
    const device = ch ? await this.ctx.store.devices.get(ch.deviceId) : null;
    const d = device ? this.drivers.get(device.kind) : undefined;
    if (!d) return null;
    const c = await d.channel(cameraId);
    return c ? this.driverTarget(cameraId, d, c.ptz) : null;
  }

  /** The channel's target whether or not it can steer; 404 for an unknown channel, 409 for one without a PTZ link. */
  async linkOr404(cameraId: number): Promise<PtzTarget> {
    const t = await this.find(cameraId);
    if (t) return t;
    await this.registry.linkOr404(cameraId); // an ONVIF link without its device: the registry's own answer
    throw fail(ErrorKind.Unavailable, msg('onvif.device_unavailable', { id: cameraId }));
  }

  /** A target that can steer now: 404 unknown, 409 no PTZ, 503 device not available. */
  async ptzOf(cameraId: number): Promise<PtzTarget> {
    const t = await this.find(cameraId);
    if (!t) {
      await this.registry.ptzLink(cameraId); // throws the ONVIF feature's answer (not found, not ONVIF, no PTZ, unavailable)
      throw fail(ErrorKind.Unavailable, msg('onvif.device_unavailable', { id: cameraId }));
    }
    if (!t.ptz) throw fail(ErrorKind.Conflict, msg('onvif.no_ptz', { id: cameraId }));
    return t;
  }

  /** Whether the channel exists at all (a channel without PTZ answers ptz: false rather than 404). */
  async exists(cameraId: number): Promise<boolean> {
    return (await this.ctx.store.channels.get(cameraId)) !== null;
  }
}

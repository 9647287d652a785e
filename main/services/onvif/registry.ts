// The added ONVIF devices: one client per device, the links camera → device, health checks (reachability, clock offset), device views.
import { msg } from '../../../common/messages';
import { ErrorKind } from '../../../common/errors';
import type { OnvifHealth, OnvifDeviceView } from '../../../common/onvif';
import type { OnvifCameraRow, OnvifDeviceRow } from '../../../storage/repos/onvif';
import type { OnvifContext } from './context';
import { OnvifClient, OnvifError } from './client';
import { fail, notFound } from './errors';
import type { EventSubscriptions } from './event-subscriptions';
import { SecretBox, secretKeySourceOf } from '../../platform/secret-box';

export interface DeviceRuntime {
  row: OnvifDeviceRow;
  client: OnvifClient;
  health: OnvifHealth;
  checking: boolean;
}

type RegistryContext = Pick<OnvifContext, 'config' | 'store' | 'log' | 'now' | 'publish'>;

/** Long-lived: start() loads the devices and starts the health checks; close() ends every event loop and client. */
export class DeviceRegistry {
  private readonly devices = new Map<number, DeviceRuntime>();
  private readonly links = new Map<number, OnvifCameraRow>();
  private secrets: SecretBox | null = null;
  private healthTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly ctx: RegistryContext,
    private readonly events: EventSubscriptions,
  ) {}

  private get cfg() {
    return this.ctx.config;
  }

  private box(): SecretBox {
    // The server's one box (the start has checked it opens every stored password); created here only for a fresh data dir.
    return (this.secrets ??= SecretBox.open(secretKeySourceOf(this.cfg), { mayCreate: true }));
  }

  encrypt(password: string): string {
    return this.box().seal(password);
  }

  async start(): Promise<void> {
    for (const l of await this.ctx.store.onvif.listLinks()) this.links.set(l.cameraId, l);
    for (const d of await this.ctx.store.onvif.listDevices()) this.attach(d);
    this.healthTimer = setInterval(() => void this.checkAll(), this.cfg.onvifHealthIntervalMs);
    this.healthTimer.unref();
    void this.checkAll();
  }

  /** First step of shutting down: no more health checks, no event loop starts. */
  beginClose(): void {
    this.closed = true;
    if (this.healthTimer) clearInterval(this.healthTimer);
    this.healthTimer = null;
  }

  async close(): Promise<void> {
    this.beginClose();
    await Promise.all([...this.devices.keys()].map((id) => this.remove(id)));
  }

  /** Watches a stored device: its client, its event loop (started once its services are known), its health. */
  attach(row: OnvifDeviceRow): DeviceRuntime {
    let password = '';
    try {
      password = this.box().open(row.passwordEnc);
    } catch (err) {
      this.ctx.log(`[onvif device ${row.id}] stored password cannot be decrypted (${(err as Error).message}); add the device again`);
    }
    const client = new OnvifClient({ host: row.host, port: row.port, username: row.username, password }, this.cfg.onvifTimeoutMs);
    const rt: DeviceRuntime = {
      row,
      client,
      health: { deviceId: row.id, reachable: false, clockOffsetMs: null, clockSkewed: false, checkedMs: null, error: null, reason: null },
      checking: false,
    };
    this.events.watch(rt);
    this.devices.set(row.id, rt);
    // Services must be known before events (GetServices); the first health check does that.
    void this.prepare(rt);
    return rt;
  }

  /** A newly stored device with its cameras' links; starts watching it. */
  add(row: OnvifDeviceRow, links: OnvifCameraRow[]): DeviceRuntime {
    for (const l of links) this.links.set(l.cameraId, l);
    return this.attach(row);
  }

  /** Stops watching a device: its event loop ends, its client's calls fail at once and its sockets are destroyed. */
  async remove(id: number): Promise<void> {
    const rt = this.devices.get(id);
    if (!rt) return;
    this.devices.delete(id);
    const p = this.events.unwatch(id);
    rt.client.close();
    await p;
  }

  get(id: number): DeviceRuntime | undefined {
    return this.devices.get(id);
  }

  forgetCamera(cameraId: number): void {
    this.links.delete(cameraId);
  }

  camerasOf(deviceId: number): OnvifCameraRow[] {
    return [...this.links.values()].filter((l) => l.deviceId === deviceId);
  }

  /** The link and the device of a camera, when both are known (no storage read). */
  runtimeOf(cameraId: number): { link: OnvifCameraRow; rt: DeviceRuntime } | undefined {
    const link = this.links.get(cameraId);
    const rt = link ? this.devices.get(link.deviceId) : undefined;
    return link && rt ? { link, rt } : undefined;
  }

  /** The camera's link, from memory or storage (not cached). */
  async findLink(cameraId: number): Promise<OnvifCameraRow | null> {
    return this.links.get(cameraId) ?? (await this.ctx.store.onvif.getLink(cameraId));
  }

  /** Reads the service addresses (once per client) and starts the event loop. Retries with the health checks. */
  async prepare(rt: DeviceRuntime): Promise<boolean> {
    if (rt.client.cam.uri?.ptz || rt.client.cam.uri?.media || rt.client.cam.uri?.media2) return true;
    try {
      await rt.client.call('GetServices', (cb) => rt.client.cam.getServices(true, (err) => cb(err)));
      if (!this.closed && this.devices.get(rt.row.id) === rt) this.events.begin(rt.row.id);
      return true;
    } catch {
      return false;
    }
  }

  async linkOr404(cameraId: number): Promise<OnvifCameraRow> {
    let link = this.links.get(cameraId);
    if (!link) {
      const row = await this.ctx.store.onvif.getLink(cameraId);
      if (row) this.links.set(cameraId, (link = row));
    }
    if (!link) {
      const cam = await this.ctx.store.cameras.get(cameraId);
      if (!cam) throw notFound(msg('camera.not_found', { id: cameraId }));
      throw fail(
        ErrorKind.Conflict,
        msg('onvif.not_onvif', { name: cam.name }),
        undefined,
        `camera ${cameraId} ("${cam.name}") was not added through ONVIF; it has no PTZ`,
      );
    }
    return link;
  }

  async ptzLink(cameraId: number): Promise<{ link: OnvifCameraRow; rt: DeviceRuntime }> {
    const link = await this.linkOr404(cameraId);
    if (!link.ptz) throw fail(ErrorKind.Conflict, msg('onvif.no_ptz', { id: cameraId }));
    const rt = this.devices.get(link.deviceId);
    if (!rt) throw fail(ErrorKind.Unavailable, msg('onvif.device_unavailable', { id: cameraId }));
    return { link, rt };
  }

  /** Runs a device command; device failures become 503 with the device's reason. */
  async device<T>(rt: DeviceRuntime, fn: (c: OnvifClient) => Promise<T>): Promise<T> {
    await this.prepare(rt);
    try {
      return await fn(rt.client);
    } catch (err) {
      if (err instanceof OnvifError) throw fail(ErrorKind.Unavailable, msg(`onvif.health_${err.kind}`), undefined, err.message);
      throw err;
    }
  }

  view(rt: DeviceRuntime): OnvifDeviceView {
    const r = rt.row;
    return {
      id: r.id,
      deviceId: r.deviceId,
      host: r.host,
      port: r.port,
      urn: r.urn,
      username: r.username,
      hasPassword: true,
      manufacturer: r.manufacturer,
      model: r.model,
      firmware: r.firmware,
      serial: r.serial,
      cameraIds: this.camerasOf(r.id).map((l) => l.cameraId),
      events: r.events,
      health: rt.health,
      createdMs: r.createdMs,
    };
  }

  list(): OnvifDeviceView[] {
    return [...this.devices.values()].sort((a, b) => a.row.id - b.row.id).map((rt) => this.view(rt));
  }

  // ------------------------------------------------------------------ health

  private async checkAll(): Promise<void> {
    await Promise.all([...this.devices.values()].map((rt) => this.check(rt)));
  }

  /** Asks the device's time (no auth): reachability and clock offset; pushes `onvif.health`. */
  async check(rt: DeviceRuntime): Promise<void> {
    if (rt.checking || this.closed) return;
    rt.checking = true;
    const before = rt.health;
    try {
      const t0 = this.ctx.now();
      const deviceMs = await rt.client.deviceTime();
      const t1 = this.ctx.now();
      // Device clocks report whole seconds: +500 ms centres the truncation error.
      const offset = Math.round(deviceMs + 500 - (t0 + t1) / 2);
      rt.health = {
        deviceId: rt.row.id,
        reachable: true,
        clockOffsetMs: offset,
        clockSkewed: Math.abs(offset) > this.cfg.onvifClockToleranceMs,
        checkedMs: t1,
        error: null,
        reason: null,
      };
      if (!before.reachable && before.checkedMs !== null) this.ctx.log(`[onvif device ${rt.row.id}] reachable again`);
      if (rt.health.clockSkewed && !before.clockSkewed)
        this.ctx.log(`[onvif device ${rt.row.id}] clock is off by ${(offset / 1000).toFixed(1)} s (evidence timestamps from it are suspect)`);
      await this.prepare(rt);
    } catch (err) {
      rt.health = {
        ...before,
        deviceId: rt.row.id,
        reachable: false,
        checkedMs: this.ctx.now(),
        error: (err as Error).message,
        reason: err instanceof OnvifError ? msg(`onvif.health_${err.kind}`) : msg('onvif.health_fault'),
      };
      if (before.reachable || before.checkedMs === null) this.ctx.log(`[onvif device ${rt.row.id}] health check failed: ${(err as Error).message}`);
    } finally {
      rt.checking = false;
    }
    if (this.devices.get(rt.row.id) === rt) this.ctx.publish({ type: 'onvif.health', health: rt.health, cameraIds: this.view(rt).cameraIds });
  }
}

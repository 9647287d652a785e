// The ONVIF service: devices and their clients, discovery, one-step add, PTZ with control priority, presets, tours, events, health.
import { fieldError } from '../../../common/schema';
import { msg, type ServerMessage } from '../../../common/messages';
import type { CameraRow, NewCamera } from '../../../storage/repositories';
import { StorageError } from '../../../storage/repositories';
import type { OnvifCameraRow, OnvifDeviceRow, TourRow } from '../../../storage/repos/onvif';
import { DEFAULT_RETENTION_DAYS, type Role } from '../../../common/api';
import { ErrorKind } from '../../../common/errors';
import {
  DEFAULT_PTZ_PRIORITY,
  SYSTEM_PTZ_PRIORITY,
  type AddDeviceRequest,
  type DiscoverRequest,
  type DiscoverResponse,
  type DiscoveredDevice,
  type OnvifDeviceView,
  type OnvifHealth,
  type PtzHolder,
  type PtzMoveRequest,
  type PtzPosition,
  type PtzPreset,
  type PtzState,
  type PtzTour,
  type TourBody,
  type TourStatus,
  type UserPriority,
} from '../../../common/onvif';
import { ApiError } from '../../server/errors';
import type { Actor } from '../contracts';
import type { FeatureContext } from '../features';
import { PtzArbiter, type Contender } from './arbiter';
import { OnvifClient, OnvifError, type ProfileInfo } from './client';
import type { DevicePlan, OnvifControl, UserActor } from './control';
import { directedProbe, expandTarget, fromScopes, multicastProbe, serviceAddress, type ProbeHit } from './discovery';
import { EventPuller, type NormalizedEvent } from './events';
import { SecretBox } from './secrets';

interface DeviceRuntime {
  row: OnvifDeviceRow;
  client: OnvifClient;
  puller: EventPuller;
  health: OnvifHealth;
  checking: boolean;
}

interface MoveState {
  x: number;
  y: number;
  zoom: number;
  lastCmdMs: number;
  lastSentMs: number;
  timer: NodeJS.Timeout;
  actor: UserActor;
}

interface TourRun {
  tour: TourRow;
  stepIndex: number;
  state: 'running' | 'yielded';
  timer: NodeJS.Timeout | null;
  /** Bumped on every (re)schedule so a stale step callback does nothing. */
  generation: number;
  failures: number;
}

const fail = (kind: ErrorKind, m: ServerMessage, field?: string, message?: string) =>
  new ApiError(kind, m, { message, fields: field ? [fieldError(field, m, message)] : undefined });

/** Strips user:password from a stream URL (credentials live in the camera's username/password). */
function cleanUrl(u: string): string {
  try {
    const url = new URL(u);
    url.username = '';
    url.password = '';
    return url.toString();
  } catch {
    return u;
  }
}

function sameDir(a: { x: number; y: number; zoom: number }, b: { x: number; y: number; zoom: number }): boolean {
  return Math.sign(a.x) === Math.sign(b.x) && Math.sign(a.y) === Math.sign(b.y) && Math.sign(a.zoom) === Math.sign(b.zoom);
}

export class OnvifService implements OnvifControl {
  private readonly devices = new Map<number, DeviceRuntime>();
  private readonly links = new Map<number, OnvifCameraRow>();
  private readonly moves = new Map<number, MoveState>();
  private readonly tours = new Map<number, TourRun>();
  /** Per-camera chains so commands reach a device in the order they were given. */
  private readonly chains = new Map<number, Promise<unknown>>();
  private readonly arbiter: PtzArbiter;
  private secrets: SecretBox | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;
  private healthTimer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private closed = false;

  constructor(private readonly ctx: FeatureContext) {
    this.arbiter = new PtzArbiter(ctx.config.ptzControlIdleMs, ctx.now, (cameraId, previous, reason) => this.onReleased(cameraId, previous, reason));
  }

  private get cfg() {
    return this.ctx.config;
  }

  private box(): SecretBox {
    return (this.secrets ??= SecretBox.open(this.cfg.dataDir));
  }

  // ------------------------------------------------------------------ lifecycle

  async start(): Promise<void> {
    for (const l of await this.ctx.store.onvif.listLinks()) this.links.set(l.cameraId, l);
    for (const d of await this.ctx.store.onvif.listDevices()) this.attach(d);
    this.unsubscribe = this.ctx.onServerEvent((ev) => {
      if (ev.type === 'camera.deleted') this.forgetCamera(ev.cameraId);
    });
    this.sweepTimer = setInterval(() => this.arbiter.sweep(), 500);
    this.sweepTimer.unref();
    this.healthTimer = setInterval(() => void this.checkAll(), this.cfg.onvifHealthIntervalMs);
    this.healthTimer.unref();
    void this.checkAll();
    for (const t of await this.ctx.store.onvif.listRunningTours()) {
      if (this.links.has(t.cameraId)) this.runTour(t, 0);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribe?.();
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    if (this.healthTimer) clearInterval(this.healthTimer);
    for (const run of this.tours.values()) if (run.timer) clearTimeout(run.timer);
    this.tours.clear();
    // Leave no camera spinning: stop every continuous move before the clients go.
    await Promise.all(
      [...this.moves.entries()].map(async ([cameraId, m]) => {
        clearTimeout(m.timer);
        await this.deviceStop(cameraId).catch(() => undefined);
      }),
    );
    this.moves.clear();
    await Promise.all(
      [...this.devices.values()].map(async (d) => {
        const p = d.puller.stop();
        d.client.close();
        await p;
      }),
    );
    this.devices.clear();
  }

  private attach(row: OnvifDeviceRow): DeviceRuntime {
    let password = '';
    try {
      password = this.box().decrypt(row.passwordEnc);
    } catch (err) {
      this.ctx.log(`[onvif device ${row.id}] stored password cannot be decrypted (${(err as Error).message}); add the device again`);
    }
    const client = new OnvifClient({ host: row.host, port: row.port, username: row.username, password }, this.cfg.onvifTimeoutMs);
    const label = `[onvif device ${row.id} ${row.host}:${row.port}]`;
    const rt: DeviceRuntime = {
      row,
      client,
      health: { deviceId: row.id, reachable: false, clockOffsetMs: null, clockSkewed: false, checkedMs: null, error: null, reason: null },
      checking: false,
      puller: null as unknown as EventPuller,
    };
    rt.puller = new EventPuller({
      client: () => rt.client,
      label,
      log: this.ctx.log,
      now: this.ctx.now,
      onSupport: (supported) => {
        const v = supported ? 'supported' : 'unsupported';
        if (rt.row.events !== v) {
          rt.row = { ...rt.row, events: v };
          void this.ctx.store.onvif.setEvents(row.id, v).catch(() => undefined);
        }
      },
      onEvent: (ev) => this.recordEvent(rt, ev),
    });
    this.devices.set(row.id, rt);
    // Services must be known before events (GetServices); the first health check does that.
    void this.prepare(rt);
    return rt;
  }

  /** Reads the service addresses (once per client) and starts the event loop. Retries with the health checks. */
  private async prepare(rt: DeviceRuntime): Promise<boolean> {
    if (rt.client.cam.uri?.ptz || rt.client.cam.uri?.media || rt.client.cam.uri?.media2) return true;
    try {
      await rt.client.call('GetServices', (cb) => rt.client.cam.getServices(true, (err) => cb(err)));
      if (!this.closed && this.devices.get(rt.row.id) === rt) rt.puller.start();
      return true;
    } catch {
      return false;
    }
  }

  private forgetCamera(cameraId: number): void {
    const m = this.moves.get(cameraId);
    if (m) clearTimeout(m.timer);
    this.moves.delete(cameraId);
    const run = this.tours.get(cameraId);
    if (run?.timer) clearTimeout(run.timer);
    this.tours.delete(cameraId);
    this.arbiter.drop(cameraId);
    this.links.delete(cameraId);
  }

  // ------------------------------------------------------------------ audit and helpers

  private async audit(actor: Actor | UserActor, action: string, targetId: number, detail: Record<string, unknown>): Promise<void> {
    const who = actor.kind === 'user' ? { userId: actor.userId, username: actor.username } : { userId: null, username: null };
    const ip = actor.kind === 'user' ? ((actor as UserActor).ip ?? null) : null;
    await this.ctx.audit
      .record({ actor: who, action, targetType: 'camera', targetId, detail: actor.kind === 'system' ? { ...detail, by: actor.reason } : detail, ip })
      .catch((err) => this.ctx.log(`[onvif] audit failed: ${(err as Error).message}`));
  }

  private serial<T>(cameraId: number, fn: () => Promise<T>): Promise<T> {
    const prev = this.chains.get(cameraId) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    this.chains.set(cameraId, next.catch(() => undefined));
    return next;
  }

  private async linkOr404(cameraId: number): Promise<OnvifCameraRow> {
    let link = this.links.get(cameraId);
    if (!link) {
      const row = await this.ctx.store.onvif.getLink(cameraId);
      if (row) this.links.set(cameraId, (link = row));
    }
    if (!link) {
      const cam = await this.ctx.store.cameras.get(cameraId);
      if (!cam) throw ApiError.notFound(msg('camera.not_found', { id: cameraId }));
      throw fail(ErrorKind.Conflict, msg('onvif.not_onvif', { name: cam.name }), undefined, `camera ${cameraId} ("${cam.name}") was not added through ONVIF; it has no PTZ`);
    }
    return link;
  }

  private async ptzLink(cameraId: number): Promise<{ link: OnvifCameraRow; rt: DeviceRuntime }> {
    const link = await this.linkOr404(cameraId);
    if (!link.ptz) throw fail(ErrorKind.Conflict, msg('onvif.no_ptz', { id: cameraId }));
    const rt = this.devices.get(link.deviceId);
    if (!rt) throw fail(ErrorKind.Unavailable, msg('onvif.device_unavailable', { id: cameraId }));
    return { link, rt };
  }

  /** Runs a device command; device failures become 503 with the device's reason. */
  private async device<T>(rt: DeviceRuntime, fn: (c: OnvifClient) => Promise<T>): Promise<T> {
    await this.prepare(rt);
    try {
      return await fn(rt.client);
    } catch (err) {
      if (err instanceof OnvifError) throw fail(ErrorKind.Unavailable, msg(`onvif.health_${err.kind}`), undefined, err.message);
      throw err;
    }
  }

  private async priorityOf(actor: UserActor): Promise<number> {
    return (await this.ctx.store.onvif.getPriority(actor.userId)) ?? DEFAULT_PTZ_PRIORITY[actor.role];
  }

  private contender(actor: UserActor, priority: number): Contender {
    return { userId: actor.userId, username: actor.username, role: actor.role, priority };
  }

  /** Takes or refreshes control for a user command; 409 naming the holder when refused. Yields a running tour. */
  private async control(cameraId: number, actor: UserActor): Promise<void> {
    const priority = await this.priorityOf(actor);
    const r = this.arbiter.acquire(cameraId, this.contender(actor, priority));
    if (!r.ok) {
      const h = r.holder;
      throw fail(
        ErrorKind.Conflict,
        msg('ptz.held', { username: h.username, priority }),
        'holder',
        `PTZ of camera ${cameraId} is held by ${h.username} (${h.role}, priority ${h.priority}) since ${new Date(h.sinceMs).toISOString()}; ` +
          `your priority ${priority} is not higher. Control is released after ${Math.round(this.cfg.ptzControlIdleMs / 1000)} s without commands.`,
      );
    }
    if (r.change !== 'none') {
      this.ctx.publish({ type: 'ptz.control', cameraId, holder: r.holder, reason: r.change === 'takeover' ? 'takeover' : 'taken' });
      if (r.change === 'takeover') {
        // The previous holder's movement ends with their control (their repeats are now refused).
        const m = this.moves.get(cameraId);
        if (m) {
          clearTimeout(m.timer);
          this.moves.delete(cameraId);
          await this.serial(cameraId, () => this.deviceStop(cameraId)).catch(() => undefined);
        }
        await this.audit(actor, 'ptz.takeover', cameraId, { from: r.previous?.username ?? null, fromPriority: r.previous?.priority ?? null, priority });
      }
    }
    this.yieldTour(cameraId);
  }

  private onReleased(cameraId: number, previous: PtzHolder, reason: 'released' | 'idle'): void {
    this.ctx.publish({ type: 'ptz.control', cameraId, holder: null, reason });
    const m = this.moves.get(cameraId);
    if (m && reason === 'idle') {
      // Cannot really happen (moves refresh control), but never leave a camera spinning.
      clearTimeout(m.timer);
      this.moves.delete(cameraId);
      void this.deviceStop(cameraId).catch(() => undefined);
    }
    if (reason === 'idle') void this.audit({ kind: 'system', reason: 'idle timeout' }, 'ptz.release', cameraId, { holder: previous.username, reason });
    this.resumeTour(cameraId);
  }

  // ------------------------------------------------------------------ discovery and add

  async discover(req: DiscoverRequest): Promise<DiscoverResponse> {
    const timeoutMs = req.timeoutMs ?? 3000;
    const warnings: string[] = [];
    const addresses: string[] = [];
    for (const t of req.targets ?? []) {
      try {
        addresses.push(...(await expandTarget(t.trim())));
      } catch (err) {
        throw fail(ErrorKind.Validation, msg('onvif.bad_target', { detail: (err as Error).message }), 'targets', (err as Error).message);
      }
    }
    if (addresses.length > 1024) throw fail(ErrorKind.Validation, msg('onvif.too_many_targets'), 'targets');
    const [mc, directed] = await Promise.all([
      req.multicast === false ? Promise.resolve({ hits: [] as ProbeHit[], warning: null }) : multicastProbe(timeoutMs),
      directedProbe([...new Set(addresses)], req.port ?? 3702, timeoutMs),
    ]);
    if (mc.warning) warnings.push(mc.warning);
    const byUrn = new Map<string, ProbeHit>();
    for (const h of [...directed, ...mc.hits]) if (!byUrn.has(h.urn)) byUrn.set(h.urn, h);
    const known = await this.ctx.store.onvif.listDevices();
    const out: DiscoveredDevice[] = [];
    for (const h of byUrn.values()) {
      const addr = serviceAddress(h);
      if (!addr) continue;
      const s = fromScopes(h.scopes);
      const added = known.find((d) => (d.host === addr.host && d.port === addr.port) || (d.urn !== null && d.urn === h.urn));
      out.push({ urn: h.urn, host: addr.host, port: addr.port, xaddrs: h.xaddrs, manufacturer: s.manufacturer, model: s.model, firmware: null, serial: null, via: h.via, addedDeviceId: added?.id ?? null, infoError: null });
    }
    if (req.username) {
      await Promise.all(
        out.map(async (d) => {
          const c = new OnvifClient({ host: d.host, port: d.port, username: req.username!, password: req.password ?? '' }, Math.min(this.cfg.onvifTimeoutMs, 4000));
          try {
            await c.deviceTime();
            const info = await c.deviceInfo();
            Object.assign(d, { manufacturer: info.manufacturer || d.manufacturer, model: info.model || d.model, firmware: info.firmware || null, serial: info.serial || null });
          } catch (err) {
            d.infoError = (err as Error).message;
          } finally {
            c.close();
          }
        }),
      );
    }
    out.sort((a, b) => a.host.localeCompare(b.host) || a.port - b.port);
    return { devices: out, warnings };
  }

  async inspect(req: AddDeviceRequest): Promise<DevicePlan> {
    const port = req.port ?? 80;
    const existing = await this.ctx.store.onvif.getDeviceByAddress(req.host, port);
    if (existing) throw ApiError.conflict('host', msg('onvif.device_exists', { host: req.host, port, id: existing.id }));
    const client = new OnvifClient({ host: req.host, port, username: req.username, password: req.password }, this.cfg.onvifTimeoutMs);
    try {
      const { info } = await client.connect();
      const profiles = await client.profiles();
      if (profiles.length === 0) throw new OnvifError('unsupported', `${client.where} has no media profiles`);
      let order: string[] = [];
      try {
        order = await client.videoSourceTokens();
      } catch {
        order = [];
      }
      const groups = new Map<string, ProfileInfo[]>();
      for (const p of profiles) {
        const key = p.sourceToken ?? order[0] ?? 'default';
        groups.set(key, [...(groups.get(key) ?? []), p]);
      }
      const keys = [...order.filter((k) => groups.has(k)), ...[...groups.keys()].filter((k) => !order.includes(k))];
      const px = (p: ProfileInfo) => (p.width ?? 0) * (p.height ?? 0);
      const sources: DevicePlan['sources'] = [];
      for (const key of keys) {
        const list = [...groups.get(key)!].sort((a, b) => px(b) - px(a));
        const main = list.find((p) => p.ptz && px(p) === px(list[0])) ?? list[0];
        const sub = list.length > 1 ? list[list.length - 1] : null;
        const mainUri = await client.streamUri(main.token);
        const subUri = sub && sub.token !== main.token ? await client.streamUri(sub.token) : null;
        const snapshotUri = await client.snapshotUri(main.token);
        sources.push({
          sourceToken: key,
          mainProfile: main.token,
          subProfile: subUri ? sub!.token : null,
          mainUri,
          subUri,
          snapshotUri,
          ptz: main.ptz && !!client.cam.uri?.ptz,
          codec: main.encoding,
          width: main.width,
          height: main.height,
          fps: main.fps,
        });
      }
      return { host: req.host, port, urn: null, username: req.username, password: req.password, info, sources };
    } catch (err) {
      if (err instanceof ApiError) throw err;
      const e = err instanceof OnvifError ? err : new OnvifError('fault', (err as Error).message);
      switch (e.kind) {
        case 'auth':
          throw fail(ErrorKind.Validation, msg('onvif.auth_failed'), 'password', `${e.message}: check the user name and password`);
        case 'unreachable':
        case 'timeout':
          throw fail(ErrorKind.Validation, msg('onvif.unreachable', { reason: msg(`onvif.health_${e.kind}`) }), 'host', `${e.message}; check host and port`);
        case 'malformed':
        case 'unsupported':
        case 'fault':
          throw fail(ErrorKind.BadRequest, msg('onvif.add_failed', { reason: msg(`onvif.health_${e.kind}`) }), undefined, `${e.message}; nothing was added`);
      }
    } finally {
      client.close();
    }
  }

  async register(plan: DevicePlan, req: AddDeviceRequest, actor: UserActor): Promise<{ device: OnvifDeviceView; cameras: CameraRow[] }> {
    const base = req.name ?? ([plan.info.manufacturer, plan.info.model].filter(Boolean).join(' ').slice(0, 60) || `ONVIF ${plan.host}`);
    const several = plan.sources.length > 1;
    const cameras = plan.sources.map((s, i) => {
      const camera: NewCamera = {
        name: several ? `${base} ${i + 1}` : base,
        url: cleanUrl(s.mainUri),
        subUrl: s.subUri ? cleanUrl(s.subUri) : null,
        username: plan.username,
        password: plan.password || null,
        transport: 'tcp',
        enabled: req.enabled ?? true,
        segmentSeconds: this.cfg.segmentSeconds,
        retentionDays: DEFAULT_RETENTION_DAYS,
        groupName: req.groupName ?? null,
        description: `ONVIF ${plan.info.manufacturer} ${plan.info.model} at ${plan.host}:${plan.port}, video source ${s.sourceToken}`.slice(0, 1024),
      };
      return {
        camera,
        link: {
          sourceToken: s.sourceToken,
          profileToken: s.mainProfile,
          subProfileToken: s.subProfile,
          snapshotUri: s.snapshotUri,
          ptz: s.ptz,
          codec: s.codec,
          width: s.width,
          height: s.height,
          fps: s.fps,
        },
      };
    });
    for (const c of cameras) {
      const other = await this.ctx.store.cameras.getByName(c.camera.name);
      if (other) throw ApiError.conflict('name', msg('source.name_taken', { name: c.camera.name }));
    }
    let created: Awaited<ReturnType<typeof this.ctx.store.onvif.createDevice>>;
    try {
      created = await this.ctx.store.onvif.createDevice(
        {
          host: plan.host,
          port: plan.port,
          urn: plan.urn,
          username: plan.username,
          passwordEnc: this.box().encrypt(plan.password),
          ...plan.info,
        },
        cameras,
        this.ctx.now(),
      );
    } catch (err) {
      if (err instanceof StorageError && err.code === 'conflict') throw ApiError.conflict(err.field ?? 'name', msg('storage.conflict'), err.message);
      throw err;
    }
    for (const [i, row] of created.cameras.entries()) this.links.set(row.id, { cameraId: row.id, deviceId: created.device.id, ...cameras[i].link });
    const rt = this.attach(created.device);
    this.ctx.log(
      `[onvif device ${created.device.id}] added ${plan.info.manufacturer} ${plan.info.model} at ${plan.host}:${plan.port}: ` +
        `cameras ${created.cameras.map((c) => c.id).join(', ')}${plan.sources.some((x) => x.ptz) ? ' (PTZ)' : ''}`,
    );
    await this.audit(actor, 'onvif.device.add', created.cameras[0]?.id ?? 0, {
      deviceId: created.device.id,
      host: plan.host,
      port: plan.port,
      manufacturer: plan.info.manufacturer,
      model: plan.info.model,
      serial: plan.info.serial,
      cameraIds: created.cameras.map((c) => c.id),
    });
    void this.check(rt);
    return { device: this.view(rt), cameras: created.cameras };
  }

  private view(rt: DeviceRuntime): OnvifDeviceView {
    const r = rt.row;
    return {
      id: r.id,
      host: r.host,
      port: r.port,
      urn: r.urn,
      username: r.username,
      hasPassword: true,
      manufacturer: r.manufacturer,
      model: r.model,
      firmware: r.firmware,
      serial: r.serial,
      cameraIds: [...this.links.values()].filter((l) => l.deviceId === r.id).map((l) => l.cameraId),
      events: r.events,
      health: rt.health,
      createdMs: r.createdMs,
    };
  }

  async listDevices(): Promise<OnvifDeviceView[]> {
    return [...this.devices.values()].sort((a, b) => a.row.id - b.row.id).map((rt) => this.view(rt));
  }

  async deleteDevice(id: number, actor: UserActor): Promise<void> {
    const rt = this.devices.get(id);
    if (!rt) throw ApiError.notFound(msg('onvif.device_not_found', { id: id }));
    const cams = [...this.links.values()].filter((l) => l.deviceId === id).map((l) => l.cameraId);
    for (const c of cams) {
      const m = this.moves.get(c);
      if (m) {
        clearTimeout(m.timer);
        this.moves.delete(c);
        await this.deviceStop(c).catch(() => undefined);
      }
      this.forgetCamera(c);
    }
    this.devices.delete(id);
    const p = rt.puller.stop();
    rt.client.close();
    await p;
    await this.ctx.store.onvif.deleteDevice(id);
    await this.audit(actor, 'onvif.device.delete', cams[0] ?? 0, { deviceId: id, host: rt.row.host, port: rt.row.port, cameraIds: cams });
  }

  // ------------------------------------------------------------------ health

  private async checkAll(): Promise<void> {
    await Promise.all([...this.devices.values()].map((rt) => this.check(rt)));
  }

  private async check(rt: DeviceRuntime): Promise<void> {
    if (rt.checking || this.closed) return;
    rt.checking = true;
    const before = rt.health;
    try {
      const t0 = this.ctx.now();
      const deviceMs = await rt.client.deviceTime();
      const t1 = this.ctx.now();
      // Device clocks report whole seconds: +500 ms centres the truncation error.
      const offset = Math.round(deviceMs + 500 - (t0 + t1) / 2);
      rt.health = { deviceId: rt.row.id, reachable: true, clockOffsetMs: offset, clockSkewed: Math.abs(offset) > this.cfg.onvifClockToleranceMs, checkedMs: t1, error: null, reason: null };
      if (!before.reachable && before.checkedMs !== null) this.ctx.log(`[onvif device ${rt.row.id}] reachable again`);
      if (rt.health.clockSkewed && !before.clockSkewed)
        this.ctx.log(`[onvif device ${rt.row.id}] clock is off by ${(offset / 1000).toFixed(1)} s (evidence timestamps from it are suspect)`);
      await this.prepare(rt);
    } catch (err) {
      rt.health = { ...before, deviceId: rt.row.id, reachable: false, checkedMs: this.ctx.now(), error: (err as Error).message, reason: err instanceof OnvifError ? msg(`onvif.health_${err.kind}`) : msg('onvif.health_fault') };
      if (before.reachable || before.checkedMs === null) this.ctx.log(`[onvif device ${rt.row.id}] health check failed: ${(err as Error).message}`);
    } finally {
      rt.checking = false;
    }
    if (this.devices.get(rt.row.id) === rt)
      this.ctx.publish({ type: 'onvif.health', health: rt.health, cameraIds: this.view(rt).cameraIds });
  }

  // ------------------------------------------------------------------ events

  private async recordEvent(rt: DeviceRuntime, ev: NormalizedEvent): Promise<void> {
    const cams = [...this.links.values()].filter((l) => l.deviceId === rt.row.id);
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

  // ------------------------------------------------------------------ PTZ

  async ptzState(cameraId: number, actor: UserActor): Promise<PtzState> {
    const link = this.links.get(cameraId) ?? (await this.ctx.store.onvif.getLink(cameraId));
    if (!link && !(await this.ctx.store.cameras.get(cameraId))) throw ApiError.notFound(msg('camera.not_found', { id: cameraId }));
    const myPriority = await this.priorityOf(actor);
    const base = { cameraId, controlIdleMs: this.cfg.ptzControlIdleMs, moveTimeoutMs: this.cfg.ptzMoveTimeoutMs, myPriority };
    if (!link || !link.ptz) return { ...base, ptz: false, holder: null, tour: null, presets: [], tours: [] };
    return { ...base, ptz: true, holder: this.arbiter.holder(cameraId), tour: this.tourStatus(cameraId), presets: await this.listPresets(cameraId), tours: await this.listTours(cameraId) };
  }

  async position(cameraId: number): Promise<PtzPosition> {
    const { link, rt } = await this.ptzLink(cameraId);
    const s = await this.device(rt, (c) => c.status(link.profileToken));
    return { pan: s.pan, tilt: s.tilt, zoom: s.zoom, moving: s.moving };
  }

  /** How long the device itself keeps moving without a new command (ContinuousMove Timeout): a crashed server cannot leave it spinning. */
  private get deviceMoveTimeoutMs(): number {
    return this.cfg.ptzMoveTimeoutMs + 1000;
  }

  async move(cameraId: number, v: PtzMoveRequest, actor: UserActor): Promise<void> {
    const { link, rt } = await this.ptzLink(cameraId);
    await this.control(cameraId, actor);
    const vec = { x: v.pan, y: v.tilt, zoom: v.zoom ?? 0 };
    if (vec.x === 0 && vec.y === 0 && vec.zoom === 0) return this.stop(cameraId, actor);
    await this.serial(cameraId, async () => {
      const now = this.ctx.now();
      const cur = this.moves.get(cameraId);
      const changed = !cur || cur.x !== vec.x || cur.y !== vec.y || cur.zoom !== vec.zoom;
      const resend = changed || now - cur.lastSentMs > this.deviceMoveTimeoutMs / 2;
      if (resend) await this.device(rt, (c) => c.continuousMove(link.profileToken, vec.x, vec.y, vec.zoom, this.deviceMoveTimeoutMs));
      if (cur) clearTimeout(cur.timer);
      const timer = setTimeout(() => void this.moveTimedOut(cameraId), this.cfg.ptzMoveTimeoutMs);
      this.moves.set(cameraId, { ...vec, lastCmdMs: now, lastSentMs: resend ? now : cur!.lastSentMs, timer, actor });
      // One audit entry per movement, not per repeat: a new entry when it starts or changes direction.
      if (!cur || !sameDir(cur, vec)) await this.audit(actor, 'ptz.move', cameraId, { pan: vec.x, tilt: vec.y, zoom: vec.zoom });
    });
  }

  private async moveTimedOut(cameraId: number): Promise<void> {
    const m = this.moves.get(cameraId);
    if (!m || this.ctx.now() - m.lastCmdMs < this.cfg.ptzMoveTimeoutMs - 5) return;
    this.moves.delete(cameraId);
    this.ctx.log(`[onvif] camera ${cameraId}: no move command for ${this.cfg.ptzMoveTimeoutMs} ms (release lost?); stopping`);
    await this.serial(cameraId, () => this.deviceStop(cameraId)).catch((err) => this.ctx.log(`[onvif] camera ${cameraId}: stop after lost release failed: ${(err as Error).message}`));
    await this.audit({ kind: 'system', reason: 'lost release' }, 'ptz.stop', cameraId, { reason: 'move timeout', holder: m.actor.username, timeoutMs: this.cfg.ptzMoveTimeoutMs });
  }

  private async deviceStop(cameraId: number): Promise<void> {
    const link = this.links.get(cameraId);
    const rt = link ? this.devices.get(link.deviceId) : undefined;
    if (!link || !rt) return;
    await rt.client.stop(link.profileToken);
  }

  async stop(cameraId: number, actor: UserActor): Promise<void> {
    const { link, rt } = await this.ptzLink(cameraId);
    await this.control(cameraId, actor);
    await this.serial(cameraId, async () => {
      const m = this.moves.get(cameraId);
      if (m) clearTimeout(m.timer);
      this.moves.delete(cameraId);
      await this.device(rt, (c) => c.stop(link.profileToken));
      await this.audit(actor, 'ptz.stop', cameraId, {});
    });
  }

  async release(cameraId: number, actor: UserActor): Promise<void> {
    await this.linkOr404(cameraId);
    const m = this.moves.get(cameraId);
    const holder = this.arbiter.holder(cameraId);
    if (!holder || holder.userId !== actor.userId) return; // nothing to release
    if (m) {
      clearTimeout(m.timer);
      this.moves.delete(cameraId);
      await this.serial(cameraId, () => this.deviceStop(cameraId)).catch(() => undefined);
    }
    this.arbiter.release(cameraId, actor.userId);
    await this.audit(actor, 'ptz.release', cameraId, {});
  }

  async home(cameraId: number, actor: UserActor): Promise<void> {
    const { link, rt } = await this.ptzLink(cameraId);
    await this.control(cameraId, actor);
    await this.serial(cameraId, () => this.device(rt, (c) => c.gotoHome(link.profileToken)));
    await this.audit(actor, 'ptz.home', cameraId, {});
  }

  async setHome(cameraId: number, actor: UserActor): Promise<void> {
    const { link, rt } = await this.ptzLink(cameraId);
    await this.control(cameraId, actor);
    await this.serial(cameraId, () => this.device(rt, (c) => c.setHome(link.profileToken)));
    await this.audit(actor, 'ptz.home.set', cameraId, {});
  }

  // ------------------------------------------------------------------ presets

  private async publishPresets(cameraId: number): Promise<void> {
    this.ctx.publish({ type: 'ptz.presets', cameraId, presets: await this.listPresets(cameraId), tours: await this.listTours(cameraId) });
  }

  /** The presets as the device has them (synced into storage); storage alone when the device cannot be reached. */
  async listPresets(cameraId: number): Promise<PtzPreset[]> {
    const { link, rt } = await this.ptzLink(cameraId);
    try {
      const onDevice = await rt.client.presets(link.profileToken);
      return this.ctx.store.onvif.syncPresets(cameraId, onDevice);
    } catch {
      return this.ctx.store.onvif.listPresets(cameraId);
    }
  }

  async createPreset(cameraId: number, name: string, actor: UserActor): Promise<PtzPreset> {
    const { link, rt } = await this.ptzLink(cameraId);
    await this.control(cameraId, actor);
    const existing = (await this.ctx.store.onvif.listPresets(cameraId)).find((p) => p.name === name);
    if (existing) throw ApiError.conflict('name', msg('preset.name_taken', { name }));
    const token = await this.serial(cameraId, () => this.device(rt, (c) => c.setPreset(link.profileToken, name)));
    const row = await this.ctx.store.onvif.upsertPreset(cameraId, token, name);
    await this.audit(actor, 'ptz.preset.create', cameraId, { presetId: row.id, name });
    await this.publishPresets(cameraId);
    return row;
  }

  private async presetOr404(cameraId: number, presetId: number) {
    const p = await this.ctx.store.onvif.getPreset(presetId);
    if (!p || p.cameraId !== cameraId) throw ApiError.notFound(msg('preset.not_found', { cameraId, presetId }));
    return p;
  }

  async renamePreset(cameraId: number, presetId: number, name: string, actor: UserActor): Promise<PtzPreset> {
    await this.ptzLink(cameraId);
    const p = await this.presetOr404(cameraId, presetId);
    const clash = (await this.ctx.store.onvif.listPresets(cameraId)).find((x) => x.name === name && x.id !== presetId);
    if (clash) throw ApiError.conflict('name', msg('preset.name_taken', { name }));
    // SetPreset with the existing token would also move the preset to the current position: ONVIF has no rename.
    // So the device keeps its name and position; the name Argus shows lives in storage.
    const row = await this.ctx.store.onvif.upsertPreset(cameraId, p.token, name);
    await this.audit(actor, 'ptz.preset.rename', cameraId, { presetId, from: p.name, to: name });
    await this.publishPresets(cameraId);
    return row;
  }

  async deletePreset(cameraId: number, presetId: number, actor: UserActor): Promise<void> {
    const { link, rt } = await this.ptzLink(cameraId);
    const p = await this.presetOr404(cameraId, presetId);
    const inTour = (await this.ctx.store.onvif.listTours(cameraId)).find((t) => t.steps.some((s) => s.presetId === presetId));
    if (inTour) throw ApiError.conflict('presetId', msg('preset.in_tour', { preset: p.name, tour: inTour.name }));
    await this.control(cameraId, actor);
    await this.serial(cameraId, () => this.device(rt, (c) => c.removePreset(link.profileToken, p.token)));
    await this.ctx.store.onvif.deletePreset(presetId);
    await this.audit(actor, 'ptz.preset.delete', cameraId, { presetId, name: p.name });
    await this.publishPresets(cameraId);
  }

  async userGotoPreset(cameraId: number, presetId: number, actor: UserActor): Promise<void> {
    const { link, rt } = await this.ptzLink(cameraId);
    const p = await this.presetOr404(cameraId, presetId);
    await this.control(cameraId, actor);
    await this.serial(cameraId, () => this.device(rt, (c) => c.gotoPreset(link.profileToken, p.token)));
    await this.audit(actor, 'ptz.preset.goto', cameraId, { presetId, name: p.name });
  }

  /** For other features (alarm linkage): system priority; refused while a higher-priority operator holds the camera. */
  async gotoPreset(cameraId: number, presetId: number, actor: Actor): Promise<void> {
    if (actor.kind === 'user') return this.userGotoPreset(cameraId, presetId, actor);
    const { link, rt } = await this.ptzLink(cameraId);
    const p = await this.presetOr404(cameraId, presetId);
    const r = this.arbiter.acquire(cameraId, { userId: null, username: `system (${actor.reason})`, role: 'system', priority: SYSTEM_PTZ_PRIORITY });
    if (!r.ok) throw fail(ErrorKind.Conflict, msg('ptz.held_recall', { username: r.holder.username }), undefined, `PTZ of camera ${cameraId} is held by ${r.holder.username} (${r.holder.role}); preset not recalled`);
    if (r.change !== 'none') this.ctx.publish({ type: 'ptz.control', cameraId, holder: r.holder, reason: r.change === 'takeover' ? 'takeover' : 'taken' });
    this.yieldTour(cameraId);
    await this.serial(cameraId, () => this.device(rt, (c) => c.gotoPreset(link.profileToken, p.token)));
    await this.audit(actor, 'ptz.preset.goto', cameraId, { presetId, name: p.name });
  }

  // ------------------------------------------------------------------ tours

  private toTour(t: TourRow): PtzTour {
    return { id: t.id, cameraId: t.cameraId, name: t.name, steps: t.steps };
  }

  async listTours(cameraId: number): Promise<PtzTour[]> {
    await this.linkOr404(cameraId);
    return (await this.ctx.store.onvif.listTours(cameraId)).map((t) => this.toTour(t));
  }

  private async checkSteps(cameraId: number, body: TourBody): Promise<void> {
    const ids = new Set((await this.ctx.store.onvif.listPresets(cameraId)).map((p) => p.id));
    body.steps.forEach((s, i) => {
      if (!ids.has(s.presetId)) throw fail(ErrorKind.Validation, msg('preset.not_found', { cameraId, presetId: s.presetId }), `steps.${i}.presetId`);
    });
  }

  async createTour(cameraId: number, body: TourBody, actor: UserActor): Promise<PtzTour> {
    await this.ptzLink(cameraId);
    await this.checkSteps(cameraId, body);
    const t = await this.ctx.store.onvif.createTour(cameraId, body.name, body.steps, this.ctx.now());
    await this.audit(actor, 'ptz.tour.create', cameraId, { tourId: t.id, name: t.name, steps: t.steps });
    await this.publishPresets(cameraId);
    return this.toTour(t);
  }

  private async tourOr404(cameraId: number, tourId: number): Promise<TourRow> {
    const t = await this.ctx.store.onvif.getTour(tourId);
    if (!t || t.cameraId !== cameraId) throw ApiError.notFound(msg('tour.not_found', { cameraId, tourId }));
    return t;
  }

  async updateTour(cameraId: number, tourId: number, body: TourBody, actor: UserActor): Promise<PtzTour> {
    await this.ptzLink(cameraId);
    await this.tourOr404(cameraId, tourId);
    await this.checkSteps(cameraId, body);
    const t = (await this.ctx.store.onvif.updateTour(tourId, body.name, body.steps, this.ctx.now()))!;
    const run = this.tours.get(cameraId);
    if (run && run.tour.id === tourId) run.tour = t;
    await this.audit(actor, 'ptz.tour.update', cameraId, { tourId, name: t.name, steps: t.steps });
    await this.publishPresets(cameraId);
    return this.toTour(t);
  }

  async deleteTour(cameraId: number, tourId: number, actor: UserActor): Promise<void> {
    await this.linkOr404(cameraId);
    const t = await this.tourOr404(cameraId, tourId);
    if (this.tours.get(cameraId)?.tour.id === tourId) this.endTour(cameraId);
    await this.ctx.store.onvif.deleteTour(tourId);
    await this.audit(actor, 'ptz.tour.delete', cameraId, { tourId, name: t.name });
    await this.publishPresets(cameraId);
  }

  private tourStatus(cameraId: number): TourStatus | null {
    const run = this.tours.get(cameraId);
    if (!run) return null;
    return { cameraId, tourId: run.tour.id, name: run.tour.name, state: run.state, stepIndex: run.stepIndex };
  }

  private publishTour(cameraId: number): void {
    this.ctx.publish({ type: 'ptz.tour', cameraId, tour: this.tourStatus(cameraId) });
  }

  async startTour(cameraId: number, tourId: number, actor: UserActor): Promise<TourStatus> {
    await this.ptzLink(cameraId);
    const t = await this.tourOr404(cameraId, tourId);
    // Starting needs the right to steer: refused while a higher or equal priority operator holds the camera.
    const priority = await this.priorityOf(actor);
    const holder = this.arbiter.holder(cameraId);
    if (holder && holder.userId !== actor.userId && holder.priority >= priority)
      throw fail(ErrorKind.Conflict, msg('ptz.held_tour', { username: holder.username }), 'holder', `PTZ of camera ${cameraId} is held by ${holder.username} (${holder.role}); the tour cannot start now`);
    const prev = this.tours.get(cameraId);
    if (prev) {
      this.endTour(cameraId);
      await this.ctx.store.onvif.setTourRunning(prev.tour.id, false, this.ctx.now());
    }
    // The starter hands control to the tour.
    const m = this.moves.get(cameraId);
    if (m) {
      clearTimeout(m.timer);
      this.moves.delete(cameraId);
      await this.serial(cameraId, () => this.deviceStop(cameraId)).catch(() => undefined);
    }
    if (holder) this.arbiter.release(cameraId, holder.userId, true); // resumeTour finds no tour yet: harmless
    await this.ctx.store.onvif.setTourRunning(tourId, true, this.ctx.now());
    this.runTour(t, 0);
    await this.audit(actor, 'ptz.tour.start', cameraId, { tourId, name: t.name });
    return this.tourStatus(cameraId)!;
  }

  async stopTour(cameraId: number, actor: UserActor): Promise<void> {
    await this.linkOr404(cameraId);
    const run = this.tours.get(cameraId);
    if (!run) return;
    this.endTour(cameraId);
    await this.ctx.store.onvif.setTourRunning(run.tour.id, false, this.ctx.now());
    await this.audit(actor, 'ptz.tour.stop', cameraId, { tourId: run.tour.id, name: run.tour.name });
  }

  private endTour(cameraId: number): void {
    const run = this.tours.get(cameraId);
    if (!run) return;
    if (run.timer) clearTimeout(run.timer);
    run.generation++;
    this.tours.delete(cameraId);
    this.publishTour(cameraId);
  }

  private runTour(tour: TourRow, stepIndex: number): void {
    const run: TourRun = { tour, stepIndex, state: 'running', timer: null, generation: 0, failures: 0 };
    this.tours.set(tour.cameraId, run);
    if (this.arbiter.holder(tour.cameraId)) {
      run.state = 'yielded';
      this.publishTour(tour.cameraId);
      return;
    }
    void this.tourStep(tour.cameraId, run, run.generation);
  }

  /** Goes to the current step's preset, then waits its dwell time and moves on (loops until stopped). */
  private async tourStep(cameraId: number, run: TourRun, generation: number): Promise<void> {
    if (this.closed || this.tours.get(cameraId) !== run || run.generation !== generation || run.state !== 'running') return;
    const steps = run.tour.steps;
    if (steps.length === 0) return;
    const step = steps[run.stepIndex % steps.length];
    this.publishTour(cameraId);
    let ok = true;
    try {
      const p = await this.ctx.store.onvif.getPreset(step.presetId);
      if (!p) throw new Error(`preset ${step.presetId} no longer exists`);
      const link = this.links.get(cameraId);
      const rt = link ? this.devices.get(link.deviceId) : undefined;
      if (!link || !rt) throw new Error('camera is not available');
      await this.serial(cameraId, () => rt.client.gotoPreset(link.profileToken, p.token));
      if (run.failures > 0) this.ctx.log(`[onvif] camera ${cameraId}: tour "${run.tour.name}" continues`);
      run.failures = 0;
    } catch (err) {
      ok = false;
      if (run.failures === 0) this.ctx.log(`[onvif] camera ${cameraId}: tour "${run.tour.name}" step ${run.stepIndex + 1} failed: ${(err as Error).message}; continuing`);
      run.failures++;
    }
    if (this.tours.get(cameraId) !== run || run.generation !== generation || run.state !== 'running') return;
    const dwellMs = ok ? step.dwellSeconds * 1000 : Math.min(step.dwellSeconds * 1000, 5000);
    run.timer = setTimeout(() => {
      run.timer = null;
      if (run.generation !== generation || run.state !== 'running') return;
      run.stepIndex = (run.stepIndex + 1) % run.tour.steps.length;
      void this.tourStep(cameraId, run, generation);
    }, dwellMs);
  }

  private yieldTour(cameraId: number): void {
    const run = this.tours.get(cameraId);
    if (!run || run.state !== 'running') return;
    if (run.timer) clearTimeout(run.timer);
    run.timer = null;
    run.generation++;
    run.state = 'yielded';
    this.publishTour(cameraId);
  }

  private resumeTour(cameraId: number): void {
    const run = this.tours.get(cameraId);
    if (!run || run.state !== 'yielded' || this.closed) return;
    run.state = 'running';
    run.generation++;
    // Back to the step it was showing, with its full dwell.
    void this.tourStep(cameraId, run, run.generation);
  }

  // ------------------------------------------------------------------ priorities

  async listPriorities(): Promise<UserPriority[]> {
    const set = new Map((await this.ctx.store.onvif.listPriorities()).map((p) => [p.userId, p.priority]));
    return (await this.ctx.store.users.list()).map((u) => ({
      userId: u.id,
      username: u.username,
      role: u.role,
      priority: set.get(u.id) ?? null,
      effective: set.get(u.id) ?? DEFAULT_PTZ_PRIORITY[u.role as Role],
    }));
  }

  async setPriority(userId: number, priority: number | null, actor: UserActor): Promise<UserPriority> {
    const u = await this.ctx.store.users.get(userId);
    if (!u) throw ApiError.notFound(msg('user.not_found', { id: userId }));
    await this.ctx.store.onvif.setPriority(userId, priority);
    await this.ctx.audit
      .record({ actor: { userId: actor.userId, username: actor.username }, action: 'ptz.priority.set', targetType: 'user', targetId: userId, detail: { username: u.username, priority }, ip: actor.ip ?? null })
      .catch(() => undefined);
    return { userId, username: u.username, role: u.role, priority, effective: priority ?? DEFAULT_PTZ_PRIORITY[u.role] };
  }
}

// The GB/T 28181 feature's core: runs the SIP endpoint with the registrar's storage, reports device states and offline alarms, audits refusals, and serves GbControl.
import { DEFAULT_RETENTION_DAYS } from '../../../common/api';
import { ErrorKind } from '../../../common/errors';
import { assertNever } from '../../../common/events';
import { asLog, type Log } from '../../../common/log';
import { msg } from '../../../common/messages';
import { StorageError } from '../../../storage/repositories';
import type { GbDeviceRow } from '../../../storage/repos/gb28181';
import type { Actor } from '../../platform/actor';
import { actorIdentity } from '../../platform/actor';
import { DomainError } from '../../platform/errors';
import type { DeviceLinkBoard } from '../device-links';
import type { GbContext } from './context';
import type { GbControl, GbDeviceFilter, GbDeviceInfo, GbSettingsView } from './control';
import { GbCatalog, GbCatalogDelegate } from './catalog';
import { followCatalogChanges, type GbChannelApplier, type GbDeviceTreeSink } from './catalog-wiring';
import { GbEndpoint } from './endpoint';
import { GbSubscriptions } from './subscriptions';
import { GB_ID, type RefusalReason } from './registrar';
import type { GbPeer, GbRegistrationEvent } from './signalling';
import type { SipRemote } from './transport';

export interface GbServiceDeps {
  /** Where device states go (the device service reads them: device.status, counts). */
  links: DeviceLinkBoard;
  /** Tells the device service that devices were added, moved or removed (it reloads its tree). */
  devicesChanged: () => Promise<void>;
  /** The device service's tree (DeviceService): catalog changes reach it and the consoles (device.changed, org.changed). */
  tree?: GbDeviceTreeSink;
  /** Starts or stops a channel's recorder after the catalog made, enabled or disabled it (RecordingControl.apply of its row). */
  applyChannel?: GbChannelApplier;
}

/** One audit row per source address and reason at most this often (a flood must not flood the audit trail). */
const AUDIT_THROTTLE_MS = 60_000;
const ROOT_NODE = 1;
/** At most this many devices wait for approval: beyond it unknown devices are refused (someone who knows the site password must not fill the tree). */
const MAX_AWAITING = 1000;

export class GbService extends GbCatalogDelegate implements GbControl {
  readonly signalling: GbEndpoint;
  readonly catalog: GbCatalog;
  /** SUBSCRIBE Catalog/Alarm/MobilePosition per device, renewed before expiry (the other GB modules may subscribe through it). */
  readonly subscriptionManager: GbSubscriptions;
  private readonly log: Log;
  private listening = false;
  private sitePw: string | null = null;
  private readonly ids = new Map<string, number>();
  private readonly audited = new Map<string, number>();
  private awaiting = 0;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly ctx: GbContext,
    private readonly deps: GbServiceDeps,
  ) {
    super();
    const cfg = ctx.config;
    this.log = asLog(ctx.log, 'gb28181');
    const wildcard = cfg.sipBind === '0.0.0.0' || cfg.sipBind === '::';
    this.signalling = new GbEndpoint({
      serverId: cfg.sipServerId,
      domain: cfg.sipDomain,
      bind: cfg.sipBind,
      port: cfg.sipPort,
      localHost: wildcard ? cfg.publicHost : cfg.sipBind,
      log: this.log,
      now: ctx.now,
      maxFailuresPerMinute: cfg.gbRegisterFailuresPerMinute,
      onMalformed: (remote, why) => this.auditOnce(remote, 'gb.malformed', { why, transport: remote.protocol }),
      registrar: {
        device: (gbId) => this.registrarDevice(gbId),
        sitePassword: () => this.sitePw,
        unknownDevices: () => cfg.gbUnknownDevices,
        hold: (gbId, peer) => this.hold(gbId, peer),
        saveRegistration: async (gbId, r) => {
          const id = this.ids.get(gbId);
          if (id !== undefined)
            await ctx.store.gb.setRegistration(
              id,
              r && { transport: r.peer.transport, host: r.peer.host, port: r.peer.port, registeredMs: r.registeredMs, expiresMs: r.expiresMs },
            );
        },
        refused: (gbId, remote, reason) => this.refused(gbId, remote, reason),
      },
    });
    this.signalling.onRegistration((ev) => this.onRegistration(ev));
    // The catalog side (issue 14 item 3): DeviceInfo/Catalog/DeviceStatus on register, NOTIFYs, subscriptions.
    this.subscriptionManager = new GbSubscriptions({ sip: this.signalling, log: this.log.child('subscriptions'), now: ctx.now });
    this.catalog = new GbCatalog({
      sip: this.signalling,
      store: ctx.store,
      subscriptions: this.subscriptionManager,
      channelDefaults: () => ({ segmentSeconds: cfg.segmentSeconds, retentionDays: DEFAULT_RETENTION_DAYS, recordMode: 'continuous' }),
      log: this.log.child('catalog'),
      now: ctx.now,
    });
    if (deps.tree) followCatalogChanges(this.catalog, deps.tree, this.log, deps.applyChannel);
    // A GB device deleted or disabled elsewhere (device editor) loses its registration at once.
    this.unsubscribe = ctx.onServerEvent((ev) => {
      if (ev.type === 'device.deleted') this.dropById(ev.deviceId, true);
      else if (ev.type === 'device.changed' && ev.device.kind === 'gb28181' && !ev.device.enabled) this.dropById(ev.device.id, false);
    });
  }

  private dropById(deviceId: number, deleted: boolean): void {
    const gbId = [...this.ids.entries()].find(([, id]) => id === deviceId)?.[0];
    if (gbId === undefined) return;
    if (deleted) this.ids.delete(gbId);
    this.signalling.registrar.drop(gbId).catch((err: Error) => this.log.warn('cannot drop a registration', { gbId, error: err.message }));
  }

  async start(): Promise<void> {
    this.catalog.start();
    this.sitePw = (await this.ctx.store.gb.sitePassword()) ?? this.ctx.config.sipSitePassword ?? null;
    const now = this.ctx.now();
    for (const d of await this.ctx.store.gb.list()) {
      this.ids.set(d.gbId, d.deviceId);
      if (!d.approved)
        this.deps.links.set(d.deviceId, { state: 'awaiting_approval', reason: null, online: false, sinceMs: d.firstSeenMs, remoteAddress: remoteOf(d) });
      else if (d.enabled && d.transport === 'udp' && d.lastHost && d.lastPort && d.expiresMs !== null && d.expiresMs > now) {
        // Registered before the restart: reachable at once; online with its next keepalive (offline after 3 missed).
        this.signalling.registrar.restore(d.gbId, { id: d.gbId, transport: 'udp', host: d.lastHost, port: d.lastPort }, d.expiresMs, d.keepaliveS);
        this.deps.links.set(d.deviceId, { state: 'connecting', reason: null, online: false, sinceMs: now, remoteAddress: remoteOf(d) });
      }
    }
    try {
      await this.signalling.start();
      this.listening = true;
    } catch (err) {
      // Like the RTMP hub: a taken port costs GB devices only, never the rest of the server.
      this.log.error('the GB/T 28181 SIP port cannot listen; GB devices cannot register', {
        host: this.ctx.config.sipBind,
        port: this.ctx.config.sipPort,
        error: (err as Error).message,
      });
    }
    if (!this.sitePw) this.log.info('no GB/T 28181 site password: only devices with a password of their own can register');
  }

  async close(): Promise<void> {
    this.catalog.close();
    this.subscriptionManager.close();
    this.unsubscribe();
    await this.signalling.close();
    this.listening = false;
  }

  // ---------- registrar storage ----------

  private async registrarDevice(gbId: string) {
    const d = await this.ctx.store.gb.getByGbId(gbId);
    if (!d) return null;
    this.ids.set(gbId, d.deviceId);
    return { approved: d.approved, enabled: d.enabled, password: d.password, keepaliveS: d.keepaliveS };
  }

  private async hold(gbId: string, peer: GbPeer): Promise<void> {
    if (this.awaiting >= MAX_AWAITING) {
      this.log.warn('too many GB/T 28181 devices awaiting approval; an unknown device is refused', { gbId, host: peer.host, awaiting: this.awaiting });
      return;
    }
    try {
      const d = await this.ctx.store.gb.create({ gbId, name: gbId, nodeId: ROOT_NODE, approved: false, peer }, this.ctx.now());
      this.ids.set(gbId, d.deviceId);
      this.deps.links.set(d.deviceId, {
        state: 'awaiting_approval',
        reason: null,
        online: false,
        sinceMs: this.ctx.now(),
        remoteAddress: `${peer.host}:${peer.port}`,
      });
      await this.audit(null, 'gb.device_held', d.deviceId, { gbId, transport: peer.transport }, peer.host);
      this.log.warn('unknown GB/T 28181 device held for approval', { gbId, host: peer.host });
      await this.deps.devicesChanged();
    } catch (err) {
      if (!(err instanceof StorageError && err.code === 'conflict')) throw err; // two REGISTERs at once: held already
    }
  }

  private refused(gbId: string, remote: SipRemote, reason: RefusalReason): void {
    // The device ID is recorded only when it is well-formed (a bad one may be anything an attacker sent).
    this.auditOnce(
      remote,
      'gb.register_refused',
      { reason, gbId: GB_ID.test(gbId) ? gbId : null, transport: remote.protocol },
      reason === 'rate_limited' || reason === 'bad_id' ? reason : `${reason}:${gbId}`,
    );
    this.log.warn('GB/T 28181 registration refused', { reason, gbId: GB_ID.test(gbId) ? gbId : null, host: remote.address });
  }

  private auditOnce(remote: SipRemote, action: string, detail: Record<string, unknown>, key = String(detail.why ?? '')): void {
    const k = `${remote.address}|${action}|${key}`;
    const now = this.ctx.now();
    const last = this.audited.get(k);
    if (last !== undefined && now - last < AUDIT_THROTTLE_MS) return;
    this.audited.set(k, now);
    if (this.audited.size > 10_000) for (const [x, t] of this.audited) if (now - t >= AUDIT_THROTTLE_MS) this.audited.delete(x);
    void this.audit(null, action, null, detail, remote.address);
  }

  private async audit(actor: Actor | null, action: string, deviceId: number | null, detail: Record<string, unknown>, ip: string | null = null): Promise<void> {
    await this.ctx.audit
      .record({
        actor: actor ? actorIdentity(actor) : null,
        action,
        targetType: deviceId === null ? undefined : 'device',
        targetId: deviceId ?? undefined,
        detail: actor?.kind === 'system' ? { ...detail, by: actor.reason } : detail,
        ip: ip ?? (actor?.kind === 'user' ? (actor.ip ?? null) : null),
      })
      .catch((err: Error) => this.log.warn('audit failed', { action, error: err.message }));
  }

  // ---------- states and alarms ----------

  private onRegistration(ev: GbRegistrationEvent): void {
    const id = this.ids.get(ev.deviceId);
    if (id === undefined) return;
    const now = this.ctx.now();
    const peer = this.signalling.peer(ev.deviceId);
    const remoteAddress = peer ? `${peer.host}:${peer.port}` : null;
    const was = this.deps.links.get(id);
    switch (ev.type) {
      case 'registered':
        this.log.info('GB/T 28181 device registered', { gbId: ev.deviceId, host: ev.peer.host, transport: ev.peer.transport, first: ev.first });
        return;
      case 'online':
        return this.deps.links.set(id, { state: 'online', reason: null, online: true, sinceMs: now, remoteAddress });
      case 'offline':
        this.deps.links.set(id, { state: 'offline', reason: msg('gb.keepalive_lost'), online: false, sinceMs: now, remoteAddress });
        return void this.offlineAlarm(id, ev.deviceId, ev.missedKeepalives);
      case 'expired':
        this.deps.links.set(id, {
          state: 'offline',
          reason: msg('gb.registration_expired'),
          online: false,
          sinceMs: now,
          remoteAddress: was?.remoteAddress ?? null,
        });
        if (was?.online) void this.offlineAlarm(id, ev.deviceId, null);
        return;
      case 'unregistered':
        return this.deps.links.set(id, {
          state: 'offline',
          reason: msg('gb.unregistered'),
          online: false,
          sinceMs: now,
          remoteAddress: was?.remoteAddress ?? null,
        });
      default:
        return assertNever(ev);
    }
  }

  /** The existing offline alarms (invariant 9): unit_offline for a mobile device, camera_offline otherwise; cause keepalive_lost. */
  private async offlineAlarm(deviceId: number, gbId: string, missed: number | null): Promise<void> {
    try {
      const d = await this.ctx.store.devices.getWithChannels(deviceId);
      if (!d) return;
      const mobile = d.device.mobile !== null;
      await this.ctx.deviceEvents.record({
        cameraId: d.channels[0]?.id ?? deviceId,
        type: mobile ? 'unit_offline' : 'camera_offline',
        state: 'pulse',
        startMs: this.ctx.now(),
        lat: null,
        lon: null,
        detail: {
          source: 'gb28181',
          cause: 'keepalive_lost',
          severity: 'major',
          message: 'The device stopped sending keepalives',
          gbId,
          ...(missed === null ? { expired: true } : { missedKeepalives: missed }),
        },
      });
    } catch (err) {
      this.log.warn('cannot raise the offline alarm', { gbId, error: (err as Error).message });
    }
  }

  // ---------- control ----------

  settings(): Promise<GbSettingsView> {
    const cfg = this.ctx.config;
    return Promise.resolve({
      serverId: cfg.sipServerId,
      domain: cfg.sipDomain,
      port: this.listening ? this.signalling.port : 0,
      host: this.signalling.localHost,
      listening: this.listening,
      unknownDevices: cfg.gbUnknownDevices,
      sitePasswordSet: this.sitePw !== null,
    });
  }

  private info(d: GbDeviceRow): GbDeviceInfo {
    const reg = this.signalling.registrar.list().find((r) => r.deviceId === d.gbId) ?? null;
    return {
      deviceId: d.deviceId,
      gbId: d.gbId,
      name: d.name,
      nodeId: d.nodeId,
      approved: d.approved,
      enabled: d.enabled,
      hasPassword: d.password !== null,
      registered: reg !== null,
      online: reg?.online ?? false,
      transport: reg?.peer.transport ?? d.transport,
      remote: reg ? `${reg.peer.host}:${reg.peer.port}` : remoteOf(d),
      expiresMs: reg?.expiresMs ?? null,
      registeredMs: d.registeredMs,
      lastSeenMs: reg?.lastSeenMs ?? null,
      keepaliveS: d.keepaliveS,
      firstSeenMs: d.firstSeenMs,
    };
  }

  async list(filter: GbDeviceFilter = 'all'): Promise<GbDeviceInfo[]> {
    const all = (await this.ctx.store.gb.list()).map((d) => this.info(d));
    switch (filter) {
      case 'all':
        return all;
      case 'registered':
        return all.filter((d) => d.registered);
      case 'awaiting':
        return all.filter((d) => !d.approved);
      case 'offline':
        return all.filter((d) => d.approved && !d.online);
      default:
        return assertNever(filter);
    }
  }

  private async row(deviceId: number): Promise<GbDeviceRow> {
    const d = await this.ctx.store.gb.get(deviceId);
    if (!d) throw DomainError.notFound(msg('gb.device_not_found', { id: String(deviceId) }));
    return d;
  }

  async device(deviceId: number): Promise<GbDeviceInfo> {
    return this.info(await this.row(deviceId));
  }

  async add(input: { gbId: string; name: string; nodeId: number; password: string | null }, actor: Actor): Promise<GbDeviceInfo> {
    if (!GB_ID.test(input.gbId)) throw DomainError.field('gbId', msg('schema.pattern', { pattern: '^[0-9]{20}$' }));
    if (!(await this.ctx.store.org.get(input.nodeId))) throw DomainError.notFound(msg('org.node_not_found', { id: input.nodeId }));
    let d: GbDeviceRow;
    try {
      d = await this.ctx.store.gb.create(
        { gbId: input.gbId, name: input.name, nodeId: input.nodeId, approved: true, password: input.password },
        this.ctx.now(),
      );
    } catch (err) {
      if (err instanceof StorageError && err.code === 'conflict') throw DomainError.conflict('gbId', msg('storage.conflict'));
      throw err;
    }
    this.ids.set(d.gbId, d.deviceId);
    await this.audit(actor, 'gb.device_add', d.deviceId, { gbId: d.gbId, nodeId: d.nodeId, ownPassword: input.password !== null });
    await this.deps.devicesChanged();
    return this.info(d);
  }

  async approve(deviceId: number, nodeId: number, name: string | null, actor: Actor): Promise<GbDeviceInfo> {
    const d = await this.row(deviceId);
    if (d.approved) throw new DomainError(ErrorKind.Conflict, msg('gb.not_awaiting', { id: d.gbId }));
    if (!(await this.ctx.store.org.get(nodeId))) throw DomainError.notFound(msg('org.node_not_found', { id: nodeId }));
    const ok = (await this.ctx.store.gb.approve(deviceId, nodeId, name, this.ctx.now()))!;
    this.awaiting = Math.max(0, this.awaiting - 1);
    this.deps.links.set(deviceId, { state: 'offline', reason: null, online: false, sinceMs: this.ctx.now(), remoteAddress: remoteOf(ok) });
    await this.audit(actor, 'gb.device_approve', deviceId, { gbId: d.gbId, nodeId, name: ok.name });
    await this.deps.devicesChanged();
    return this.info(ok);
  }

  async reject(deviceId: number, actor: Actor): Promise<void> {
    const d = await this.row(deviceId);
    if (d.approved) throw new DomainError(ErrorKind.Conflict, msg('gb.not_awaiting', { id: d.gbId }));
    await this.ctx.store.devices.delete(deviceId);
    this.awaiting = Math.max(0, this.awaiting - 1);
    this.ids.delete(d.gbId);
    this.deps.links.delete(deviceId);
    await this.audit(actor, 'gb.device_reject', deviceId, { gbId: d.gbId });
    await this.deps.devicesChanged();
  }

  async setPassword(deviceId: number, password: string | null, actor: Actor): Promise<void> {
    const d = await this.row(deviceId);
    await this.ctx.store.gb.setPassword(deviceId, password);
    await this.audit(actor, 'gb.device_password', deviceId, { gbId: d.gbId, set: password !== null });
  }

  async setKeepalive(gbId: string, keepaliveS: number): Promise<void> {
    const s = Math.min(3600, Math.max(5, Math.round(keepaliveS)));
    const d = await this.ctx.store.gb.getByGbId(gbId);
    if (!d) throw DomainError.notFound(msg('gb.device_not_found', { id: gbId }));
    await this.ctx.store.gb.setKeepalive(d.deviceId, s);
    this.signalling.registrar.setKeepalive(gbId, s);
  }

  async setSitePassword(password: string | null, actor: Actor): Promise<void> {
    await this.ctx.store.gb.setSitePassword(password, this.ctx.now());
    this.sitePw = password ?? this.ctx.config.sipSitePassword ?? null;
    await this.audit(actor, 'gb.site_password', null, { set: password !== null });
  }
}

function remoteOf(d: GbDeviceRow): string | null {
  return d.lastHost && d.lastPort ? `${d.lastHost}:${d.lastPort}` : null;
}

// The GB/T 28181 catalog service: DeviceInfo, Catalog and DeviceStatus on register and on demand, Catalog NOTIFYs, subscriptions kept.
import { ErrorKind } from '../../../common/errors';
import { assertNever } from '../../../common/events';
import { asLog, type Log, type LogSink } from '../../../common/log';
import { msg, type ServerMessage } from '../../../common/messages';

import type { Store } from '../../../storage/repositories';
import type { GbCatalogApplied, GbCatalogItemRow, GbChannelDefaults } from '../../../storage/repos/gb-catalog';
import { DomainError } from '../../platform/errors';
import { deviceInfoPatch, parseDeviceInfo, parseDeviceStatus, type GbDeviceStatusSnapshot } from './catalog-device';
import type { GbCatalogControl, GbCatalogSyncState } from './catalog-control';
import { collectCatalog, itemsOf } from './catalog-items';
import { catalogChange, notifyChange, withSelfChannel } from './catalog-plan';
import { channelViews, subscriptionViews, type GbCatalogChannelView, type GbCatalogSubscriptionView } from './catalog-views';
import type { GbPeer, GbRegistrationEvent, GbSignalling, Manscdp } from './signalling';
import { GB_SUBSCRIPTION_KINDS, type GbSubscriptions, type GbSubscriptionKind, type GbSubscriptionState } from './subscriptions';

export type { GbCatalogControl, GbCatalogPhase, GbCatalogSyncState } from './catalog-control';
export { GbCatalogDelegate } from './catalog-control';

/** Told after a catalog, notification or DeviceInfo changed stored rows (the composition root reloads the device tree). */
export interface GbCatalogChanged {
  /** devices.id. */
  deviceId: number;
  gbId: string;
  /** What the catalog change did; null when only the devices row changed. */
  applied: GbCatalogApplied | null;
  /** The devices row changed (DeviceInfo: vendor, model, firmware, name). */
  deviceChanged: boolean;
}

export interface GbCatalogOptions {
  sip: GbSignalling;
  store: Pick<Store, 'devices' | 'channels' | 'gbCatalog'>;
  subscriptions: GbSubscriptions;
  /** Settings of channels a catalog creates (the server's segment length and retention). */
  channelDefaults: () => GbChannelDefaults;
  log?: LogSink;
  now?: () => number;
  /** Catalog: wait this long after the last answer for the rest (default 10 s). */
  queryTimeoutMs?: number;
  /** Subscriptions made at registration (default all three). */
  autoSubscribe?: readonly GbSubscriptionKind[];
  subscribeExpiresS?: number;
  mobilePositionIntervalS?: number;
  /** Devices whose after-registration work (queries, subscriptions) runs at once; the rest wait their turn (default 16). */
  maxConcurrentSyncs?: number;
}

const NEVER = (deviceId: string): GbCatalogSyncState => ({
  deviceId,
  phase: 'never',
  startedMs: null,
  finishedMs: null,
  sumNum: null,
  received: 0,
  error: null,
});
const messageOf = (err: unknown): ServerMessage => (err instanceof DomainError ? err.msg : msg('server.internal'));
const codeOf = (err: unknown): string => messageOf(err).code;

export class GbCatalog implements GbCatalogControl {
  private readonly log: Log;
  private readonly now: () => number;
  private readonly states = new Map<string, GbCatalogSyncState>();
  private readonly statuses = new Map<string, GbDeviceStatusSnapshot>();
  private readonly chains = new Map<string, Promise<unknown>>();
  private readonly running = new Map<string, Promise<GbCatalogSyncState>>();
  private readonly peers = new Map<string, GbPeer>();
  private readonly wentOffline = new Set<string>();
  private readonly listeners = new Set<(c: GbCatalogChanged) => void | Promise<void>>();
  private readonly offs: Array<() => void> = [];
  private closed = false;
  /** After-registration work running now, and the devices waiting for a turn (a thousand devices register at once after an outage). */
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly o: GbCatalogOptions) {
    this.log = asLog(o.log, 'gb-catalog');
    this.now = o.now ?? Date.now;
  }

  start(): void {
    this.offs.push(this.o.sip.onRegistration((ev) => this.onRegistration(ev)));
    this.offs.push(this.o.sip.onManscdp('Catalog', (from, m) => this.onCatalogMessage(from, m)));
  }

  close(): void {
    this.closed = true;
    for (const off of this.offs.splice(0)) off();
    this.listeners.clear();
  }

  /** Called after every change of stored rows. Returns the unsubscribe. */
  onChanged(fn: (c: GbCatalogChanged) => void | Promise<void>): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  catalogState(gbId: string): GbCatalogSyncState {
    return { ...(this.states.get(gbId) ?? NEVER(gbId)) };
  }

  deviceStatus(gbId: string): GbDeviceStatusSnapshot | null {
    return this.statuses.get(gbId) ?? null;
  }

  subscriptionStates(gbId?: string): GbSubscriptionState[] {
    return this.o.subscriptions.states(gbId);
  }

  async catalogItems(gbId: string): Promise<GbCatalogItemRow[]> {
    const d = await this.o.store.devices.getByCode('gb28181', gbId);
    if (!d) throw new DomainError(ErrorKind.NotFound, msg('gb.device_not_found', { id: gbId }));
    return this.o.store.gbCatalog.list(d.id);
  }

  async channelViews(gbId: string): Promise<GbCatalogChannelView[]> {
    const d = await this.o.store.devices.getByCode('gb28181', gbId);
    if (!d) throw new DomainError(ErrorKind.NotFound, msg('gb.device_not_found', { id: gbId }));
    const [rows, channels] = await Promise.all([this.o.store.gbCatalog.list(d.id), this.o.store.channels.listByDevice(d.id)]);
    return channelViews(rows, channels);
  }

  subscriptionViews(gbId: string): GbCatalogSubscriptionView[] {
    return subscriptionViews(this.o.subscriptions.states(gbId));
  }

  startDevice(gbId: string): void {
    if (this.o.sip.peer(gbId)) this.afterRegister(gbId, true);
  }

  async refreshCatalog(gbId: string): Promise<GbCatalogSyncState> {
    if (!(await this.o.store.devices.getByCode('gb28181', gbId))) throw new DomainError(ErrorKind.NotFound, msg('gb.device_not_found', { id: gbId }));
    if (!this.o.sip.peer(gbId)) throw new DomainError(ErrorKind.Unavailable, msg('gb.not_registered', { id: gbId }));
    return this.sync(gbId);
  }

  /** DeviceInfo then Catalog (one at a time per device; a refresh asked for while one runs joins it). */
  sync(gbId: string): Promise<GbCatalogSyncState> {
    const running = this.running.get(gbId);
    if (running) return running;
    const p = this.serial(gbId, async () => {
      await this.queryDeviceInfo(gbId);
      return this.queryCatalog(gbId);
    }).finally(() => this.running.delete(gbId));
    this.running.set(gbId, p);
    return p;
  }

  /** Queries DeviceStatus now and keeps the answer (alarm inputs' duty status go to their catalog items). */
  async queryDeviceStatus(gbId: string): Promise<GbDeviceStatusSnapshot> {
    const [m] = await this.o.sip.query(gbId, 'Query', 'DeviceStatus', {}, { timeoutMs: this.o.queryTimeoutMs });
    const snap = parseDeviceStatus(m!, this.now());
    this.statuses.set(gbId, snap);
    if (snap.alarmInputs.length > 0) {
      await this.serial(gbId, async () => {
        const d = await this.o.store.devices.getByCode('gb28181', gbId);
        if (!d) return;
        const change = {
          ...notifyChange([], gbId, new Map(), this.o.channelDefaults()),
          statuses: snap.alarmInputs.map((a) => ({ gbId: a.gbId, status: a.dutyStatus })),
        };
        const applied = await this.o.store.gbCatalog.apply(d.id, change, this.now());
        if (applied.statusChanged.length > 0) await this.emit({ deviceId: d.id, gbId, applied, deviceChanged: false });
      });
    }
    return snap;
  }

  private serial<T>(gbId: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.chains.get(gbId) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.chains.set(gbId, tail);
    void tail.then(() => {
      if (this.chains.get(gbId) === tail) this.chains.delete(gbId);
    });
    return run;
  }

  private async emit(c: GbCatalogChanged): Promise<void> {
    for (const l of [...this.listeners]) {
      try {
        await l(c);
      } catch (err) {
        this.log.error('catalog change listener failed', { deviceId: c.gbId, err: (err as Error).message });
      }
    }
  }

  private async queryDeviceInfo(gbId: string): Promise<void> {
    try {
      const [m] = await this.o.sip.query(gbId, 'Query', 'DeviceInfo', {}, { timeoutMs: this.o.queryTimeoutMs });
      const d = await this.o.store.devices.getByCode('gb28181', gbId);
      const patch = d ? deviceInfoPatch(parseDeviceInfo(m!), d) : null;
      if (d && patch) {
        await this.o.store.devices.update(d.id, patch, this.now());
        await this.emit({ deviceId: d.id, gbId, applied: null, deviceChanged: true });
      }
    } catch (err) {
      this.log.warn('DeviceInfo failed', { deviceId: gbId, error: codeOf(err), err: (err as Error).message });
    }
  }

  private async queryCatalog(gbId: string): Promise<GbCatalogSyncState> {
    const state: GbCatalogSyncState = { ...NEVER(gbId), phase: 'running', startedMs: this.now() };
    this.states.set(gbId, state);
    try {
      const d = await this.o.store.devices.getByCode('gb28181', gbId);
      if (!d) throw new DomainError(ErrorKind.NotFound, msg('gb.device_not_found', { id: gbId }));
      const msgs = await this.o.sip.query(gbId, 'Query', 'Catalog', {}, { multi: true, timeoutMs: this.o.queryTimeoutMs });
      const r = collectCatalog(msgs);
      const items = r.complete ? withSelfChannel(r.items, gbId, d.name) : r.items;
      const applied = await this.o.store.gbCatalog.apply(d.id, catalogChange(items, gbId, r.complete, this.o.channelDefaults()), this.now());
      Object.assign(state, { phase: r.complete ? 'complete' : 'partial', sumNum: r.sumNum, received: r.received, finishedMs: this.now() });
      this.log.info('catalog applied', {
        deviceId: gbId,
        sumNum: r.sumNum,
        received: r.received,
        complete: r.complete,
        created: applied.created.length,
        disabled: applied.disabled.length,
        orgCreated: applied.orgCreated.length,
      });
      if (changedAnything(applied)) await this.emit({ deviceId: d.id, gbId, applied, deviceChanged: false });
    } catch (err) {
      Object.assign(state, { phase: 'failed', error: messageOf(err), finishedMs: this.now() });
      this.log.warn('catalog query failed', { deviceId: gbId, error: codeOf(err), err: (err as Error).message });
    }
    return { ...state };
  }

  /** A Catalog the device sent by itself (NOTIFY of a subscription, or an answer nobody waited for). */
  private async onCatalogMessage(from: GbPeer, m: Manscdp): Promise<void> {
    const items = itemsOf(m);
    if (items.length === 0) return;
    await this.serial(from.id, async () => {
      const d = await this.o.store.devices.getByCode('gb28181', from.id);
      if (!d || !d.approved) return;
      const known = new Map((await this.o.store.gbCatalog.list(d.id)).map((r) => [r.gbId, r] as const));
      const applied = await this.o.store.gbCatalog.apply(d.id, notifyChange(items, from.id, known, this.o.channelDefaults()), this.now());
      this.log.info('catalog notification applied', {
        deviceId: from.id,
        events: items.map((i) => `${i.event ?? 'ITEM'}:${i.gbId}`).join(' '),
        created: applied.created.length,
        disabled: applied.disabled.length,
      });
      if (changedAnything(applied)) await this.emit({ deviceId: d.id, gbId: from.id, applied, deviceChanged: false });
    });
  }

  private onRegistration(ev: GbRegistrationEvent): void {
    if (this.closed) return;
    switch (ev.type) {
      case 'registered': {
        const prev = this.peers.get(ev.deviceId);
        this.peers.set(ev.deviceId, ev.peer);
        // A first registration, or one from a new address (the device restarted): it forgot its subscriptions and may
        // have other channels now.
        const moved = prev !== undefined && (prev.host !== ev.peer.host || prev.port !== ev.peer.port || prev.transport !== ev.peer.transport);
        if (ev.first || moved || prev === undefined) this.afterRegister(ev.deviceId, true);
        return;
      }
      case 'online':
        if (this.wentOffline.delete(ev.deviceId)) this.afterRegister(ev.deviceId, false);
        return;
      case 'offline':
        this.wentOffline.add(ev.deviceId);
        this.o.subscriptions.stopDevice(ev.deviceId);
        return;
      case 'unregistered':
      case 'expired':
        this.peers.delete(ev.deviceId);
        this.wentOffline.delete(ev.deviceId);
        this.o.subscriptions.stopDevice(ev.deviceId);
        return;
      default:
        assertNever(ev);
    }
  }

  /** After a registration: DeviceInfo, Catalog, DeviceStatus, subscriptions (after coming back online: the last two). */
  private afterRegister(gbId: string, full: boolean): void {
    // A device that registered anew forgot what it was subscribed to: subscribe again rather than wait for expiry.
    if (full) this.o.subscriptions.stopDevice(gbId);
    const run = async () => {
      if (full) await this.sync(gbId);
      if (this.closed || !this.o.sip.peer(gbId)) return;
      await this.queryDeviceStatus(gbId).catch((err: unknown) => this.log.warn('DeviceStatus failed', { deviceId: gbId, error: codeOf(err) }));
      const kinds = this.o.autoSubscribe ?? GB_SUBSCRIPTION_KINDS;
      await Promise.all(
        kinds.map((kind) =>
          this.o.subscriptions.subscribe(gbId, kind, {
            expiresS: this.o.subscribeExpiresS,
            intervalS: kind === 'MobilePosition' ? this.o.mobilePositionIntervalS : undefined,
          }),
        ),
      );
    };
    this.limited(run).catch((err: unknown) => this.log.error('after-registration work failed', { deviceId: gbId, err: (err as Error).message }));
  }

  private async limited(fn: () => Promise<void>): Promise<void> {
    if (this.active >= (this.o.maxConcurrentSyncs ?? 16)) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    try {
      await fn();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

function changedAnything(a: GbCatalogApplied): boolean {
  return a.created.length + a.updated.length + a.disabled.length + a.enabled.length + a.orgCreated.length + a.orgRenamed.length + a.statusChanged.length > 0;
}

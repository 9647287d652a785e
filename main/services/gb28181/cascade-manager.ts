// The upper platforms Argus cascades to (级联): runs one GbCascade per enabled platform from storage, restarts it when an admin changes it, and serves the admin's list/create/update/remove/share (audited, password never returned).
import type { Alarm, AlarmSeverity } from '../../../common/alarms';
import { ErrorKind } from '../../../common/errors';
import { asLog, type Log } from '../../../common/log';
import { msg } from '../../../common/messages';
import type { GbSharedRow, GbUpperInput, GbUpperRow } from '../../../storage/repos/gb-cascade';
import { StorageError } from '../../../storage/repositories';
import { actorIdentity, type Actor } from '../../platform/actor';
import { DomainError } from '../../platform/errors';
import { GbCascade, type CascadeState, type SharedChannel } from './cascade';
import type { GbContext } from './context';
import type { GbEndpoint } from './endpoint';

/** Alarm severity → GB AlarmPriority (1 is the most urgent). */
const PRIORITY: Record<AlarmSeverity, 1 | 2 | 3 | 4> = { critical: 1, major: 2, minor: 3, info: 4 };

export interface GbUpperView extends GbUpperRow {
  status: CascadeState;
  shared: GbSharedRow[];
}

export class GbCascades {
  private readonly running = new Map<number, GbCascade>();
  private readonly log: Log;
  private started = false;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly ctx: GbContext,
    private readonly endpoint: GbEndpoint,
    private readonly opts: { retryMs?: { firstMs: number; maxMs: number } } = {},
  ) {
    this.log = asLog(ctx.log, 'gb28181').child('cascade');
  }

  async start(): Promise<void> {
    this.started = true;
    this.unsubscribe = this.ctx.onServerEvent((ev) => {
      if (ev.type === 'alarm.event' && ev.kind === 'raised' && ev.alarm.sourceId !== null && !ev.alarm.test) void this.forward(ev.alarm).catch(() => undefined);
    });
    for (const p of await this.ctx.store.gbCascade.list()) await this.restart(p.id);
  }

  async close(): Promise<void> {
    this.started = false;
    this.unsubscribe?.();
    this.unsubscribe = null;
    const all = [...this.running.values()];
    this.running.clear();
    await Promise.all(all.map((c) => c.close()));
  }

  /** Restarts run one at a time (two quick changes of one platform must not leave two registrations running). */
  private chain: Promise<void> = Promise.resolve();

  private restart(id: number): Promise<void> {
    const next = this.chain.then(() => this.restartNow(id));
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async restartNow(id: number): Promise<void> {
    const old = this.running.get(id);
    this.running.delete(id);
    if (old) await old.close();
    const p = await this.ctx.store.gbCascade.get(id);
    if (!this.started || !p || !p.enabled) return;
    const c = new GbCascade({
      endpoint: this.endpoint,
      upper: {
        id: p.gbId,
        domain: p.domain,
        host: p.host,
        port: p.port,
        transport: p.transport,
        password: (await this.ctx.store.gbCascade.password(id)) ?? '',
        registerExpiresS: p.registerExpiresS,
        keepaliveS: p.keepaliveS,
      },
      sharedChannels: () => this.sharedChannels(id),
      log: this.log,
      now: this.ctx.now,
      retryMs: this.opts.retryMs,
    });
    this.running.set(id, c);
    c.start();
  }

  private async sharedChannels(platformId: number): Promise<SharedChannel[]> {
    const out: SharedChannel[] = [];
    for (const s of await this.ctx.store.gbCascade.shared(platformId)) {
      const ch = await this.ctx.store.channels.get(s.channelId);
      if (ch) out.push({ gbId: s.gbId, name: ch.name, online: ch.enabled });
    }
    return out;
  }

  /** An alarm raised on a channel shared with upper platforms goes to each of them (Notify/Alarm under the shared GB ID). */
  private async forward(alarm: Alarm): Promise<void> {
    for (const [id, c] of this.running) {
      const share = (await this.ctx.store.gbCascade.shared(id)).find((s) => s.channelId === alarm.sourceId);
      if (!share) continue;
      const status = await c.forwardAlarm(share.gbId, {
        priority: PRIORITY[alarm.severity],
        method: alarm.type === 'manual' ? 1 : 2,
        timeMs: alarm.firstMs,
        description: alarm.message ?? alarm.type,
        lat: alarm.lat,
        lon: alarm.lon,
      });
      this.log.info('alarm forwarded to upper platform', { upper: id, alarmId: alarm.id, channel: share.gbId, status });
    }
  }

  /** The state of a platform's registration (idle when disabled or unknown). */
  status(id: number): CascadeState {
    return this.running.get(id)?.state ?? { state: 'idle' };
  }

  async list(): Promise<GbUpperView[]> {
    const rows = await this.ctx.store.gbCascade.list();
    return Promise.all(rows.map(async (r) => ({ ...r, status: this.status(r.id), shared: await this.ctx.store.gbCascade.shared(r.id) })));
  }

  async create(input: GbUpperInput, actor: Actor): Promise<GbUpperRow> {
    const row = await this.ctx.store.gbCascade.create(input, this.ctx.now()).catch((err: unknown) => this.conflict(err, input.gbId));
    await this.audit(actor, 'gb.upper_created', row.id, { gbId: row.gbId, host: row.host, port: row.port, transport: row.transport });
    await this.restart(row.id);
    return row;
  }

  async update(id: number, input: GbUpperInput, actor: Actor): Promise<GbUpperRow> {
    const row = await this.ctx.store.gbCascade.update(id, input, this.ctx.now()).catch((err: unknown) => this.conflict(err, input.gbId));
    if (!row) throw new DomainError(ErrorKind.NotFound, msg('gb.upper_not_found', { id }));
    await this.audit(actor, 'gb.upper_updated', id, {
      gbId: row.gbId,
      host: row.host,
      port: row.port,
      enabled: row.enabled,
      passwordChanged: input.password !== undefined,
    });
    await this.restart(id);
    return row;
  }

  async remove(id: number, actor: Actor): Promise<void> {
    const row = await this.ctx.store.gbCascade.get(id);
    if (!row) throw new DomainError(ErrorKind.NotFound, msg('gb.upper_not_found', { id }));
    await this.ctx.store.gbCascade.remove(id);
    await this.restart(id);
    await this.audit(actor, 'gb.upper_removed', id, { gbId: row.gbId });
  }

  async setShared(id: number, rows: readonly GbSharedRow[], actor: Actor): Promise<void> {
    if (!(await this.ctx.store.gbCascade.get(id))) throw new DomainError(ErrorKind.NotFound, msg('gb.upper_not_found', { id }));
    const dup = rows.find((r, i) => rows.findIndex((x) => x.gbId === r.gbId) !== i);
    if (dup) throw new DomainError(ErrorKind.Conflict, msg('gb.upper_conflict', { id: dup.gbId }));
    await this.ctx.store.gbCascade.setShared(id, rows).catch((err: unknown) => this.conflict(err, rows.map((r) => r.gbId).join(',')));
    await this.audit(actor, 'gb.upper_shared', id, { channels: rows.map((r) => r.channelId) });
  }

  private conflict(err: unknown, gbId: string): never {
    if (err instanceof StorageError && err.code === 'conflict') throw new DomainError(ErrorKind.Conflict, msg('gb.upper_conflict', { id: gbId }));
    throw err;
  }

  private async audit(actor: Actor, action: string, id: number, detail: Record<string, unknown>): Promise<void> {
    await this.ctx.audit
      .record({ actor: actorIdentity(actor), action, targetType: 'gb_upper', targetId: id, detail, ip: actor.kind === 'user' ? (actor.ip ?? null) : null })
      .catch((err: Error) => this.log.warn('audit failed', { action, error: err.message }));
  }
}

// Unit service: decides who may publish to the hub, tracks each unit's video and telemetry links, records units while they publish, audits it.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { UnitStatus } from '../../common/api';
import type { ServerEvent } from '../../common/events';
import type { Store, UnitRow } from '../../storage/repositories';
import { unitStreamPath, type DonePublishReason, type HubDecision, type PublishInfo, type StreamRequest } from '../../media/hub';
import type { AuditLog, AuditRecord } from './audit-log';
import type { RecordingService } from './recording';
import type { UnitControl } from './unit-control';
import { asLog, type Log, type LogSink } from '../../common/log';

/** What the unit service needs from the media hub. */
export interface UnitHub {
  readonly listening: boolean;
  readonly port: number | null;
  /** RTMPS port when the hub serves TLS. */
  readonly securePort?: number | null;
  internalUrlFor(streamPath: string): string;
  kick(streamPath: string): boolean;
  publisher(streamPath: string): (PublishInfo & { inBytes: number }) | null;
}

export interface UnitServiceDeps {
  store: Store;
  recording: Pick<RecordingService, 'startUnit' | 'stopUnit' | 'status'>;
  hub: UnitHub | null;
  audit: Pick<AuditLog, 'record'>;
  publish: (ev: ServerEvent) => void;
  /** Host name in publish URLs. */
  publicHost: string;
  /** Configured RTMP port (used in publish URLs while the hub is not listening). */
  rtmpPort: number;
  /** TLS is on: units are given an rtmps:// URL on this configured port (the hub's bound one once it listens). */
  rtmpsPort?: number;
  /** With TLS on, still accept units publishing over plain RTMP (setting unitPlainRtmp). */
  unitPlainRtmp?: boolean;
  log?: LogSink;
  now?: () => number;
  /** Rejected publishes from one address before it is refused without auditing for `throttleMs`. */
  maxRejections?: number;
  throttleMs?: number;
  /** The telemetry link counts as up while its WebSocket is open or anything arrived within this long (default 60 s). */
  telemetryTimeoutMs?: number;
}

/** What the GPS ingest reports of a unit's telemetry (the gps.positions broadcast). */
interface TelemetrySeen {
  linkUp: boolean;
  lastSeenMs: number | null;
}

interface CachedUnit {
  enabled: boolean;
  /** SHA-256 of the key, raw bytes. */
  keyHash: Buffer;
  segmentSeconds: number;
}

interface Online {
  sessionId: string;
  sinceMs: number;
  startMs: number;
  remoteAddress: string;
}

export function hashStreamKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export class UnitService implements UnitControl {
  private readonly units = new Map<number, CachedUnit>();
  private readonly online = new Map<number, Online>();
  private readonly offlineSince = new Map<number, number>();
  private readonly telemetry = new Map<number, TelemetrySeen>();
  /** Telemetry link state as last reported, with when it changed. */
  private readonly telemetryLink = new Map<number, { online: boolean; sinceMs: number }>();
  /** Either link up, with when that last changed. */
  private readonly anyLink = new Map<number, { online: boolean; sinceMs: number }>();
  private telemetryTimer: NodeJS.Timeout | null = null;
  /** Per unit: recorder stops and starts run one after the other (never two recorders for one unit). */
  private readonly chains = new Map<number, Promise<void>>();
  private auditChain: Promise<void> = Promise.resolve();
  private readonly rejections = new Map<string, number[]>();
  private readonly blockedUntil = new Map<string, number>();
  private readonly startedMs: number;
  private readonly log: Log;
  private readonly now: () => number;
  private closed = false;

  constructor(private readonly deps: UnitServiceDeps) {
    this.log = asLog(deps.log, 'units');
    this.now = deps.now ?? Date.now;
    this.startedMs = this.now();
  }

  /** Loads the units the publish check needs (call before the hub accepts connections). */
  async start(): Promise<void> {
    for (const u of await this.deps.store.units.list()) this.cache(u);
    // Telemetry goes stale without an event: check the freshness window regularly.
    this.telemetryTimer = setInterval(() => this.checkTelemetry(), Math.max(250, Math.min(5_000, this.telemetryTimeoutMs / 4)));
    this.telemetryTimer.unref();
  }

  private get telemetryTimeoutMs(): number {
    return this.deps.telemetryTimeoutMs ?? 60_000;
  }

  /** Server events the unit service follows: the GPS feature's telemetry link reports. */
  onServerEvent(ev: ServerEvent): void {
    if (this.closed || ev.type !== 'gps.positions') return;
    for (const l of ev.links) {
      if (!this.units.has(l.unitId)) continue;
      this.telemetry.set(l.unitId, { linkUp: l.linkUp, lastSeenMs: l.lastSeenMs });
      this.refreshTelemetry(l.unitId);
    }
  }

  private telemetryUp(unitId: number, now: number): boolean {
    const t = this.telemetry.get(unitId);
    return !!t && (t.linkUp || (t.lastSeenMs !== null && now - t.lastSeenMs < this.telemetryTimeoutMs));
  }

  /** Recomputes a unit's telemetry link; publishes its status when the link went up or down. */
  private refreshTelemetry(unitId: number): void {
    const now = this.now();
    const up = this.telemetryUp(unitId, now);
    const cur = this.telemetryLink.get(unitId);
    if (cur?.online === up) return;
    this.telemetryLink.set(unitId, { online: up, sinceMs: now });
    if (cur !== undefined || up)
      this.log[up ? 'info' : 'warn'](`unit ${unitId} telemetry ${up ? 'up' : `lost (nothing for ${this.telemetryTimeoutMs / 1000} s)`}`, { unitId });
    this.publishStatus(unitId);
  }

  private checkTelemetry(): void {
    if (this.closed) return;
    for (const id of this.telemetry.keys()) this.refreshTelemetry(id);
  }

  /** Stops reacting to the hub; waits for pending recorder changes and audit writes. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.telemetryTimer) clearInterval(this.telemetryTimer);
    await Promise.all([...this.chains.values()]);
    await this.auditChain;
  }

  private cache(u: UnitRow): void {
    this.units.set(u.id, { enabled: u.enabled, keyHash: Buffer.from(u.streamKeyHash, 'hex'), segmentSeconds: u.segmentSeconds });
  }

  // ---------------------------------------------------------------- hub callbacks

  /** The hub's publish decision (synchronous: from the cache). Internal publishers (camera relays) only under /cam. */
  prePublish(req: StreamRequest): HubDecision {
    if (this.closed) return { allow: false, reason: 'server is shutting down' };
    if (req.internal) return req.app === 'cam' ? { allow: true } : { allow: false, reason: 'internal publishers only relay cameras' };
    const now = this.now();
    const blocked = this.blockedUntil.get(req.remoteAddress);
    if (blocked !== undefined && blocked > now) return { allow: false, reason: 'too many refused attempts from this address' };
    const reason = this.check(req);
    if (reason === null) return { allow: true };
    this.rejected(req, reason, now);
    return { allow: false, reason };
  }

  private check(req: StreamRequest): string | null {
    if (req.app !== 'live' || !/^[1-9]\d{0,9}$/.test(req.name)) return 'bad_path';
    const u = this.units.get(Number(req.name));
    if (!u) return 'unknown_unit';
    if (!u.enabled) return 'disabled';
    const key = req.query.key;
    if (!key) return 'missing_key';
    if (this.deps.rtmpsPort !== undefined && !req.secure && !this.deps.unitPlainRtmp) return 'plain_rtmp';
    const presented = createHash('sha256').update(key, 'utf8').digest();
    return timingSafeEqual(presented, u.keyHash) ? null : 'bad_key';
  }

  private rejected(req: StreamRequest, reason: string, now: number): void {
    const max = this.deps.maxRejections ?? 10;
    const window = this.deps.throttleMs ?? 60_000;
    const recent = (this.rejections.get(req.remoteAddress) ?? []).filter((t) => t > now - window);
    recent.push(now);
    this.rejections.set(req.remoteAddress, recent);
    const throttled = recent.length >= max;
    if (throttled) {
      this.blockedUntil.set(req.remoteAddress, now + window);
      this.rejections.delete(req.remoteAddress);
    }
    if (this.rejections.size > 1000) for (const [ip, ts] of this.rejections) if (ts.every((t) => t <= now - window)) this.rejections.delete(ip);
    if (this.blockedUntil.size > 1000) for (const [ip, until] of this.blockedUntil) if (until <= now) this.blockedUntil.delete(ip);
    const id = /^\d+$/.test(req.name) && req.app === 'live' ? Number(req.name) : null;
    this.log.warn(
      `publish ${req.streamPath} from ${req.remoteAddress} refused: ${reason}${throttled ? `; further attempts from ${req.remoteAddress} refused for ${window / 1000} s` : ''}`,
      {
        unitId: id ?? undefined,
        remoteAddress: req.remoteAddress,
        reason,
      },
    );
    this.record({
      action: 'unit.publish_rejected',
      targetType: id !== null ? 'unit' : 'stream',
      targetId: id ?? req.streamPath,
      detail: { reason, streamPath: req.streamPath, remoteAddress: req.remoteAddress, ...(throttled ? { throttledForMs: window } : {}) },
      ip: req.remoteAddress,
    });
  }

  onPublish(info: PublishInfo): void {
    if (this.closed || info.internal || info.app !== 'live') return;
    const id = Number(info.name);
    const u = this.units.get(id);
    if (!u) return;
    this.online.set(id, { sessionId: info.sessionId, sinceMs: this.now(), startMs: info.startMs, remoteAddress: info.remoteAddress });
    this.record({ action: 'unit.publish', targetType: 'unit', targetId: id, detail: { remoteAddress: info.remoteAddress }, ip: info.remoteAddress });
    this.publishStatus(id);
    const hub = this.deps.hub;
    if (!hub) return;
    this.serial(id, async () => {
      // Still the same publish (it may have ended while an earlier stop was finishing)?
      if (this.closed || this.online.get(id)?.sessionId !== info.sessionId) return;
      this.deps.recording.startUnit({ id, segmentSeconds: u.segmentSeconds }, hub.internalUrlFor(unitStreamPath(id)));
    });
  }

  onDonePublish(info: PublishInfo, reason: DonePublishReason): void {
    if (info.internal || info.app !== 'live') return;
    const id = Number(info.name);
    const cur = this.online.get(id);
    if (cur?.sessionId === info.sessionId) {
      this.online.delete(id);
      this.offlineSince.set(id, this.now());
    }
    this.log.info(`unit ${id} went offline (${reason})`, { unitId: id, reason });
    // The recorder's stop begins now, before the hub cuts its input; the next start waits for it.
    const stopping = this.deps.recording.stopUnit(id);
    this.serial(id, () => stopping);
    if (!this.closed && this.units.has(id)) this.publishStatus(id); // (a deleted unit gets unit.deleted instead)
  }

  /** A unit recorder's state changed. */
  onRecorderStatus(unitId: number): void {
    if (!this.closed && this.units.has(unitId)) this.publishStatus(unitId);
  }

  // ---------------------------------------------------------------- UnitControl

  status(unitId: number): UnitStatus {
    const on = this.online.get(unitId);
    const rec = this.deps.recording.status(unitId);
    let bitrateBps = rec.state === 'recording' ? rec.bitrateBps : null;
    if (on && bitrateBps === null) {
      const pub = this.deps.hub?.publisher(unitStreamPath(unitId));
      const secs = (this.now() - on.startMs) / 1000;
      if (pub && secs >= 2) bitrateBps = Math.round((pub.inBytes * 8) / secs);
    }
    const video = { online: !!on, sinceMs: on?.sinceMs ?? this.offlineSince.get(unitId) ?? this.startedMs };
    const tl = this.telemetryLink.get(unitId);
    const telemetry = { online: tl?.online ?? false, sinceMs: tl?.sinceMs ?? this.startedMs, lastSeenMs: this.telemetry.get(unitId)?.lastSeenMs ?? null };
    const online = video.online || telemetry.online;
    let any = this.anyLink.get(unitId);
    if (any?.online !== online) {
      // Changed now (or first asked): the later of the two links' changes is when "either link up" last changed.
      any = { online, sinceMs: any ? this.now() : Math.max(video.sinceMs, telemetry.sinceMs) };
      if (this.units.has(unitId)) this.anyLink.set(unitId, any);
    }
    return {
      unitId,
      online,
      sinceMs: any.sinceMs,
      video,
      telemetry,
      remoteAddress: on?.remoteAddress ?? null,
      bitrateBps,
      recording: rec.state,
      lastError: rec.lastError,
      reason: rec.reason,
    };
  }

  async changed(unit: UnitRow, opts: { keyRotated?: boolean } = {}): Promise<void> {
    this.cache(unit);
    if ((!unit.enabled || opts.keyRotated) && this.online.has(unit.id)) {
      this.log.info(`unit ${unit.id}: ${unit.enabled ? 'stream key rotated' : 'disabled'}; closing its publish`, { unitId: unit.id });
      this.deps.hub?.kick(unitStreamPath(unit.id));
    }
    await (this.chains.get(unit.id) ?? Promise.resolve());
    this.publishStatus(unit.id);
  }

  async removed(unitId: number): Promise<void> {
    this.units.delete(unitId);
    this.deps.hub?.kick(unitStreamPath(unitId));
    const stopping = this.deps.recording.stopUnit(unitId);
    this.serial(unitId, () => stopping);
    await this.chains.get(unitId);
    this.online.delete(unitId);
    this.offlineSince.delete(unitId);
    this.telemetry.delete(unitId);
    this.telemetryLink.delete(unitId);
    this.anyLink.delete(unitId);
  }

  publishUrl(unitId: number, streamKey: string): string {
    const host = this.deps.publicHost.includes(':') ? `[${this.deps.publicHost}]` : this.deps.publicHost;
    if (this.deps.rtmpsPort !== undefined) {
      const securePort = this.deps.hub?.securePort ?? this.deps.rtmpsPort;
      return `rtmps://${host}:${securePort}/live/${unitId}?key=${encodeURIComponent(streamKey)}`;
    }
    const port = this.deps.hub?.port ?? this.deps.rtmpPort;
    return `rtmp://${host}:${port}/live/${unitId}?key=${encodeURIComponent(streamKey)}`;
  }

  // ---------------------------------------------------------------- helpers

  private publishStatus(unitId: number): void {
    if (this.closed || !this.units.has(unitId)) return;
    this.deps.publish({ type: 'unit.status', status: this.status(unitId) });
  }

  private serial(unitId: number, fn: () => Promise<void>): void {
    const next = (this.chains.get(unitId) ?? Promise.resolve())
      .then(fn)
      .catch((e: unknown) => this.log.error(`unit ${unitId}: ${(e as Error).message}`, { unitId, err: e }));
    this.chains.set(unitId, next);
    void next.then(() => {
      if (this.chains.get(unitId) === next) this.chains.delete(unitId);
    });
  }

  /** Audit entries of the hub (no user acts: the actor is the system, the address the unit's). */
  private record(r: Omit<AuditRecord, 'actor'>): void {
    this.auditChain = this.auditChain
      .then(() => this.deps.audit.record({ ...r, actor: null }))
      .catch((e: unknown) => this.log.error(`audit write failed: ${(e as Error).message}`, { err: e }));
  }
}

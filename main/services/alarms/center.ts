// The alarm center: turns occurrences into stored alarms (merged within the window), pushes them, runs linkage actions, workflow, escalation.
// Intake of device events is in intake.ts, the linkage runner in linkage-runner.ts, escalation in escalation.ts.
import { englishOf, msg, type WireMessage } from '../../../common/messages';
import {
  DEFAULT_SEVERITY,
  severityRank,
  type Alarm,
  type AlarmFeedEvent,
  type AlarmRule,
  type AlarmSeverity,
  type AlarmStepBody,
  type AlarmType,
  type AlarmCause,
} from '../../../common/alarms';
import type { DeviceEvent } from '../../../common/device-events';
import type { ServerEvent } from '../../../common/events';
import type { CameraKind, EventRow } from '../../../storage/repositories';
import type { AuditLog } from '../audit-log';
import { DomainError } from '../../platform/errors';
import type { UserActor } from '../../platform/actor';
import type { EvidenceActions, OrgScopes, PtzActions } from '../contracts';
import { escalateDue } from './escalation';
import { intakeEventOfRow, raiseInputOf, type IntakeEvent } from './intake';
import { runLinkageActions } from './linkage-runner';
import { escalationOf, linkageIsEmpty, linkageOf, ruleMatches } from './rules';
import { applyTransition } from './workflow';
import type { AlarmsContext } from './context';

export interface AlarmCenterOptions {
  store: AlarmsContext['store'];
  publish: (ev: ServerEvent) => void;
  audit: AuditLog;
  log: (m: string) => void;
  now: () => number;
  ptz: PtzActions;
  evidence: EvidenceActions;
  /** The organisation tree (rules' nodeIds); without it a node matches no source. */
  org?: OrgScopes;
  mergeWindowMs: number;
  /** Local time offset for rule schedules (default: the server's time zone). */
  offsetMinutes?: (ms: number) => number;
  /** Longest a PTZ/bookmark/snapshot action may take before it counts as failed. */
  actionTimeoutMs?: number;
}

/** One occurrence to raise. */
export interface RaiseInput {
  sourceId: number | null;
  type: AlarmType;
  severity?: AlarmSeverity;
  atMs: number;
  lat?: number | null;
  lon?: number | null;
  message?: string | null;
  /** `message` as a registered code with params, worded by the console. */
  reason?: WireMessage | null;
  deviceEventId?: number | null;
  /** A test alarm of one rule: only that rule applies (enabled or not, any schedule); never merged. */
  testRule?: AlarmRule;
  /** Who raised it (manual alarms); null: a device or the server. */
  by?: UserActor | null;
  /** What exactly happened (which link a unit lost). */
  cause?: AlarmCause | null;
  ip?: string | null;
}

interface SourceInfo {
  name: string;
  group: string | null;
  kind: CameraKind | null;
  expiresMs: number;
}

const SOURCE_CACHE_MS = 5_000;
const RECOVERY_BATCH = 500;

export class AlarmCenter {
  private rulesCache: AlarmRule[] | null = null;
  private readonly sources = new Map<number, SourceInfo>();
  /** Device events are raised one after another in arrival order (the cursor then says exactly what is done). */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly running = new Set<Promise<unknown>>();
  private stepLock: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** Device events raised by recovery (live events of the same moment may repeat them). */
  private readonly handled = new Set<number>();

  constructor(private readonly o: AlarmCenterOptions) {}

  // ---------- rules ----------

  async rules(): Promise<AlarmRule[]> {
    this.rulesCache ??= await this.o.store.alarms.listRules();
    return this.rulesCache;
  }

  /** Call after any rule change. */
  rulesChanged(): void {
    this.rulesCache = null;
  }

  // ---------- sources ----------

  /** Name, group and kind of a camera or unit (cached briefly; alarms at 100/s must not each read the tables). */
  async source(id: number | null): Promise<SourceInfo> {
    const now = this.o.now();
    if (id === null) return { name: 'server', group: null, kind: null, expiresMs: Infinity };
    const hit = this.sources.get(id);
    if (hit && hit.expiresMs > now) return hit;
    const row = await this.o.store.cameras.get(id);
    let group = row?.groupName ?? null;
    if (row?.kind === 'uplink') group = (await this.o.store.units.get(id))?.groupName ?? group;
    const info: SourceInfo = { name: row?.name ?? `#${id}`, group, kind: row?.kind ?? null, expiresMs: now + SOURCE_CACHE_MS };
    this.sources.set(id, info);
    return info;
  }

  /** The organisation node path of a source (a camera id is its channel id, a unit id its agent device's and channel's id). */
  nodePathOf(id: number | null): readonly number[] {
    if (id === null || !this.o.org) return [];
    return (this.o.org.scopeOf({ channelId: id }) ?? this.o.org.scopeOf({ deviceId: id }))?.nodePath ?? [];
  }

  async isUnit(id: number): Promise<boolean> {
    return (await this.source(id)).kind === 'uplink';
  }

  // ---------- raising ----------

  /** Queues a stored device event (from DeviceEventService) for raising; 'inactive' ends of a signal raise nothing. */
  onDeviceEvent(ev: DeviceEvent): void {
    if (this.closed) return;
    void this.enqueue(() => this.fromDeviceEvent(ev));
  }

  private enqueue(fn: () => Promise<unknown>): Promise<unknown> {
    const p = this.queue.then(fn).catch((err: Error) => this.o.log(`[alarms] raising failed: ${err.stack ?? err.message}`));
    this.queue = p;
    return this.track(p);
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.running.add(p);
    void p.finally(() => this.running.delete(p));
    return p;
  }

  private async fromDeviceEvent(ev: IntakeEvent): Promise<void> {
    if (this.handled.has(ev.id)) return; // already raised by recovery
    const input = raiseInputOf(ev);
    if (input === null) {
      await this.o.store.alarms.markEventDone(ev.id);
      return;
    }
    await this.raise(input);
  }

  /** Queues recovery ahead of live events (subscribe to live events right after calling this). */
  startRecovery(): Promise<unknown> {
    return this.enqueue(() => this.recover());
  }

  /** Raises the device events stored but not handled before the last stop (a crash between storing an event and raising its alarm). */
  async recover(): Promise<number> {
    let n = 0;
    const tried = new Set<number>();
    for (;;) {
      const rows: EventRow[] = (await this.o.store.alarms.pendingEvents(RECOVERY_BATCH)).filter((r) => !tried.has(r.id));
      if (rows.length === 0) break;
      for (const r of rows) {
        tried.add(r.id);
        try {
          await this.fromDeviceEvent(intakeEventOfRow(r));
          n++;
        } catch (err) {
          this.o.log(`[alarms] cannot raise device event ${r.id}: ${(err as Error).message}`);
        }
        this.handled.add(r.id);
      }
    }
    if (n > 0) this.o.log(`[alarms] recovered ${n} device event(s) stored before the last stop`);
    return n;
  }

  /** Stores the occurrence (merging it or raising an alarm), then pushes it; a new alarm then runs its rules' actions. */
  async raise(input: RaiseInput): Promise<AlarmFeedEvent> {
    const src = await this.source(input.sourceId);
    const now = this.o.now();
    let severity = input.severity ?? DEFAULT_SEVERITY[input.type];
    if (input.testRule && severityRank(severity) > severityRank(input.testRule.minSeverity)) severity = input.testRule.minSeverity;
    const facts = { sourceId: input.sourceId, group: src.group, nodePath: this.nodePathOf(input.sourceId), type: input.type, severity, atMs: input.atMs };
    const rules = input.testRule ? [input.testRule] : (await this.rules()).filter((r) => r.enabled && ruleMatches(r, facts, this.o.offsetMinutes));
    const linkage = linkageOf(rules, input.sourceId);
    const esc = escalationOf(rules, now);
    // Where: the event's own position (a unit's GPS), else where the camera stands on the map.
    let lat = input.lat ?? null;
    let lon = input.lon ?? null;
    if ((lat === null || lon === null) && input.sourceId !== null) {
      const place = await this.o.store.gps.placement(input.sourceId);
      if (place) [lat, lon] = [place.lat, place.lon];
    }
    const ev = await this.o.store.alarms.raise(
      {
        sourceId: input.sourceId,
        sourceName: src.name,
        type: input.type,
        severity,
        atMs: input.atMs,
        lat,
        lon,
        message: input.message ?? null,
        reason: input.reason ?? null,
        deviceEventId: input.deviceEventId ?? null,
        test: input.testRule !== undefined,
        // Manual alarms are reports of their own (each officer's text, place and severity): never merged.
        mergeable: input.testRule === undefined && input.type !== 'manual',
        reporter: input.by ? { userId: input.by.userId, username: input.by.username } : null,
        cause: input.cause ?? null,
        ruleIds: rules.map((r) => r.id),
        escalateRole: esc?.role ?? null,
        escalateDueMs: esc?.dueMs ?? null,
        linkage: linkageIsEmpty(linkage) ? null : linkage,
      },
      input.testRule ? 0 : this.o.mergeWindowMs,
      now,
    );
    this.o.publish(ev); // stored first (invariant 1)
    if (ev.kind === 'raised') {
      await this.o.audit.record({
        actor: input.by ?? null,
        action: 'alarm.raise',
        targetType: 'alarm',
        targetId: ev.alarm.id,
        detail: { type: ev.alarm.type, severity, sourceId: ev.alarm.sourceId, source: src.name, test: ev.alarm.test, rules: ev.alarm.ruleIds },
        ip: input.ip ?? null,
      });
      if (rules.length > 0) void this.track(runLinkageActions(this.o, ev.alarm, rules, linkage));
    }
    return ev;
  }

  // ---------- workflow ----------

  /** One workflow step by an operator; throws DomainError (404 unknown alarm, 409 step not allowed now). */
  async step(alarmId: number, body: AlarmStepBody, by: UserActor, ip: string | null): Promise<Alarm> {
    const run = async (): Promise<Alarm> => {
      const cur = await this.o.store.alarms.get(alarmId);
      if (!cur) throw DomainError.notFound(msg('alarm.not_found', { id: alarmId }));
      const t = applyTransition(cur.state, body.action);
      if (!t.ok) throw DomainError.conflict('action', t.msg, t.message);
      if (body.action === 'note' && !body.note) throw DomainError.field('note', msg('alarm.note_required'), 'note is required for a note');
      const ev = await this.o.store.alarms.step(alarmId, { state: t.state, userId: by.userId, username: by.username, note: body.note ?? null }, this.o.now());
      if (!ev) throw DomainError.notFound(msg('alarm.not_found', { id: alarmId }));
      this.o.publish(ev);
      await this.o.audit.record({
        actor: by,
        action: `alarm.${body.action}`,
        targetType: 'alarm',
        targetId: alarmId,
        detail: { from: cur.state, to: ev.alarm.state, note: body.note ?? null },
        ip,
      });
      return ev.alarm;
    };
    const p = this.stepLock.then(run, run);
    this.stepLock = p.catch(() => undefined);
    return p;
  }

  // ---------- escalation ----------

  /** Escalates every alarm whose escalation is due (nobody acknowledged in time); returns how many. */
  escalateDue(): Promise<number> {
    return escalateDue(this.o);
  }

  // ---------- test ----------

  /** "Fire a test alarm": raises a test alarm from the rule's first source (or group member) and type, applying only this rule. */
  async fireTest(rule: AlarmRule, by: UserActor, ip: string | null): Promise<AlarmFeedEvent> {
    let sourceId: number | null = rule.sourceIds[0] ?? null;
    if (sourceId === null && rule.groups.length > 0) {
      const cams = await this.o.store.cameras.list();
      sourceId = cams.find((c) => c.groupName !== null && rule.groups.includes(c.groupName))?.id ?? null;
    }
    return this.raise({
      sourceId,
      type: rule.types[0] ?? 'manual',
      atMs: this.o.now(),
      message: englishOf(msg('alarm.test_rule', { name: rule.name })),
      reason: msg('alarm.test_rule', { name: rule.name }),
      testRule: rule,
      by,
      ip,
    });
  }

  /** Waits for queued raises and running actions (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.idle();
  }
}

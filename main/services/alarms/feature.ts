// The alarms feature (issue 7): alarm center: alarms, linkage rules, escalation, delivery.
import { msg } from '../../../common/messages';
import type { AlarmBulkStepResult, AlarmRule, AlarmRuleBody, AlarmRulePatch } from '../../../common/alarms';
import { ErrorKind } from '../../../common/errors';
import type { AlarmRuleInput } from '../../../storage/repos/alarms';
import { DomainError } from '../../platform/errors';
import type { AlarmRecordingActions, EvidenceActions, OrgScopes, PtzActions } from '../contracts';
import type { Feature } from '../features';
import type { AlarmsContext } from './context';
import { volumeOf } from '../../config';
import { retentionProblem } from '../retention';
import { AlarmCenter } from './center';
import type { AlarmControl } from './control';
import type { UserActor } from '../../platform/actor';
import { alarmsCsv } from './csv';
import { DiskWatcher, StatusWatcher, type DerivedEvent } from './sources';

/** Handled device event ids kept for crash recovery (see alarm_done_events). */
const DONE_EVENTS_KEPT = 10_000;

export interface AlarmFeature extends Feature<AlarmControl> {
  center: AlarmCenter;
  disk: DiskWatcher;
}

function ruleInput(b: AlarmRuleBody): AlarmRuleInput {
  return {
    name: b.name,
    enabled: b.enabled ?? true,
    sourceIds: b.sourceIds ?? [],
    groups: b.groups ?? [],
    nodeIds: b.nodeIds ?? [],
    types: b.types ?? [],
    minSeverity: b.minSeverity ?? 'info',
    schedule: b.schedule ?? null,
    actions: b.actions,
  };
}

/** What changed between two versions of a rule (for the audit log). */
function ruleChanges(before: AlarmRule, after: AlarmRule): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  for (const k of ['name', 'enabled', 'sourceIds', 'groups', 'nodeIds', 'types', 'minSeverity', 'schedule', 'actions'] as const)
    if (JSON.stringify(before[k]) !== JSON.stringify(after[k])) out[k] = { from: before[k], to: after[k] };
  return out;
}

export function createAlarmFeature(
  ctx: AlarmsContext,
  links: { ptz: PtzActions; evidence: EvidenceActions; org: OrgScopes; recording?: AlarmRecordingActions },
): AlarmFeature {
  const { store, audit } = ctx;
  const center = new AlarmCenter({
    store,
    publish: (ev) => {
      ctx.publish(ev);
      // Occurrences on a channel open or widen its alarm window (recording policy); workflow steps change no window.
      if (ev.type === 'alarm.event' && (ev.kind === 'raised' || ev.kind === 'merged') && ev.alarm.sourceId !== null)
        links.recording?.alarmOccurred({ alarmId: ev.alarm.id, channelId: ev.alarm.sourceId, firstMs: ev.alarm.firstMs, lastMs: ev.alarm.lastMs });
    },
    audit,
    log: ctx.log,
    now: ctx.now,
    ptz: links.ptz,
    evidence: links.evidence,
    org: links.org,
    mergeWindowMs: ctx.config.alarmMergeWindowMs,
  });
  const emit = (d: DerivedEvent) =>
    void ctx.deviceEvents
      .record({ cameraId: d.cameraId, type: d.type, state: 'pulse', startMs: ctx.now(), detail: d.detail })
      .catch((err: Error) => ctx.log(`[alarms] cannot record ${d.type}: ${err.message}`));
  const status = new StatusWatcher({ isUnit: (id) => center.isUnit(id), emit });
  const disk = new DiskWatcher({
    dir: ctx.config.recordingsDir,
    minFreeBytes: ctx.config.minFreeBytes,
    intervalMs: ctx.config.freeSpaceCheckMs,
    emit,
    log: ctx.log,
    settingsProblem: async () =>
      retentionProblem({
        minFreeBytes: ctx.config.minFreeBytes,
        maxRecordingsBytes: ctx.config.maxRecordingsBytes,
        volume: volumeOf(ctx.config.recordingsDir),
        recordingsBytes: await store.segments.totalBytes(),
      }),
  });
  const unsubs: Array<() => void> = [];
  let escalationTimer: NodeJS.Timeout | null = null;
  let pruneTimer: NodeJS.Timeout | null = null;
  let escalating = false;

  async function ruleOr404(id: number): Promise<AlarmRule> {
    const r = await store.alarms.getRule(id);
    if (!r) throw DomainError.notFound(msg('alarm_rule.not_found', { id: id }));
    return r;
  }

  /** Sources named by a rule must exist (a typo would make a rule that never fires). */
  async function checkSources(ids: readonly number[] | undefined, field: string): Promise<void> {
    for (const [i, id] of (ids ?? []).entries())
      if (!(await store.cameras.get(id)))
        throw DomainError.field(`${field}.${i}`, msg('source.not_found', { id }), `${field}.${i}: camera or unit ${id} does not exist`);
  }

  /** Organisation nodes named by a rule must exist. */
  async function checkNodes(ids: readonly number[] | undefined): Promise<void> {
    for (const [i, id] of (ids ?? []).entries())
      if (!(await store.org.get(id)))
        throw DomainError.field(`nodeIds.${i}`, msg('org.node_not_found', { id }), `nodeIds.${i}: organisation node ${id} does not exist`);
  }

  async function checkRule(b: Partial<AlarmRuleBody>): Promise<void> {
    await checkSources(b.sourceIds, 'sourceIds');
    await checkNodes(b.nodeIds);
    await checkSources(b.actions?.wall?.cameraIds, 'actions.wall.cameraIds');
    if (b.actions?.ptz?.cameraId) await checkSources([b.actions.ptz.cameraId], 'actions.ptz.cameraId');
    if (b.actions?.bookmark?.cameraId) await checkSources([b.actions.bookmark.cameraId], 'actions.bookmark.cameraId');
  }

  const auditBy = (by: UserActor) => ({ actor: by, ip: by.ip ?? null });

  const control: AlarmControl = {
    async list(q, scope) {
      const seq = await store.alarms.lastSeq(); // read first: a replay from here misses nothing stored after
      return { alarms: await store.alarms.search(q, scope), seq };
    },
    async get(id) {
      const a = await store.alarms.get(id);
      if (!a) throw DomainError.notFound(msg('alarm.not_found', { id: id }));
      return a;
    },
    async feed(since, limit, scope) {
      const events = await store.alarms.feedSince(since, limit + 1, scope);
      return { events: events.slice(0, limit), more: events.length > limit };
    },
    exportRows(q, scope) {
      return store.alarms.search({ ...q, limit: q.limit ?? 10000 }, scope);
    },
    async exportCsv(q, scope, keep) {
      const rows = await control.exportRows(q, scope);
      return alarmsCsv(keep ? rows.filter(keep) : rows);
    },
    async raiseManual(b, by) {
      if (b.sourceId != null && !(await store.cameras.get(b.sourceId)))
        throw DomainError.field('sourceId', msg('source.not_found', { id: b.sourceId }), `sourceId: camera or unit ${b.sourceId} does not exist`);
      const ev = await center.raise({
        sourceId: b.sourceId ?? null,
        type: 'manual',
        severity: b.severity,
        atMs: ctx.now(),
        lat: b.lat ?? null,
        lon: b.lon ?? null,
        message: b.message,
        by,
        ip: by.ip ?? null,
      });
      return ev.alarm;
    },
    step: (id, body, by) => center.step(id, body, by, by.ip ?? null),
    async stepMany(body, by) {
      const out: AlarmBulkStepResult = { alarms: [], refused: [] };
      for (const id of new Set(body.ids)) {
        try {
          out.alarms.push(await center.step(id, { action: body.action, note: body.note ?? null }, by, by.ip ?? null));
        } catch (err) {
          if (!(err instanceof DomainError) || (err.kind !== ErrorKind.NotFound && err.kind !== ErrorKind.Conflict)) throw err;
          out.refused.push({ id, kind: err.kind === ErrorKind.NotFound ? 'not_found' : 'conflict', message: err.message, reason: err.msg });
        }
      }
      return out;
    },
    listRules: () => store.alarms.listRules(),
    async createRule(body, by) {
      await checkRule(body);
      const r = await store.alarms.createRule(ruleInput(body), ctx.now());
      center.rulesChanged();
      await audit.record({ ...auditBy(by), action: 'alarm.rule.create', targetType: 'alarm_rule', targetId: r.id, detail: r });
      return r;
    },
    async updateRule(id, body: AlarmRulePatch, by) {
      const before = await ruleOr404(id);
      await checkRule(body);
      const after = await store.alarms.updateRule(id, body as Partial<AlarmRuleInput>, ctx.now());
      if (!after) throw DomainError.notFound(msg('alarm_rule.not_found', { id: id }));
      center.rulesChanged();
      const changes = ruleChanges(before, after);
      const action = Object.keys(changes).length === 1 && changes.enabled ? (after.enabled ? 'alarm.rule.enable' : 'alarm.rule.disable') : 'alarm.rule.update';
      await audit.record({ ...auditBy(by), action, targetType: 'alarm_rule', targetId: id, detail: { name: after.name, changes } });
      return after;
    },
    async deleteRule(id, by) {
      const r = await ruleOr404(id);
      if (!(await store.alarms.deleteRule(id))) throw DomainError.notFound(msg('alarm_rule.not_found', { id: id }));
      center.rulesChanged();
      await audit.record({ ...auditBy(by), action: 'alarm.rule.delete', targetType: 'alarm_rule', targetId: id, detail: r });
    },
    async testRule(id, by) {
      const r = await ruleOr404(id);
      await audit.record({ ...auditBy(by), action: 'alarm.rule.test', targetType: 'alarm_rule', targetId: id, detail: { name: r.name } });
      return (await center.fireTest(r, by, by.ip ?? null)).alarm;
    },
  };

  return {
    control,
    center,
    disk,
    mounts: [],
    async start() {
      // Recovery is queued first; live events queue behind it (and are skipped if recovery already raised them).
      const recovered = center.startRecovery();
      unsubs.push(ctx.deviceEvents.on((ev) => center.onDeviceEvent(ev)));
      await recovered;
      unsubs.push(ctx.onServerEvent((ev) => status.onServerEvent(ev)));
      disk.start();
      escalationTimer = setInterval(() => {
        if (escalating) return;
        escalating = true;
        center
          .escalateDue()
          .catch((err: Error) => ctx.log(`[alarms] escalation check failed: ${err.message}`))
          .finally(() => (escalating = false));
      }, ctx.config.alarmEscalationCheckMs);
      escalationTimer.unref();
      const prune = () =>
        void Promise.all([store.alarms.pruneFeed(ctx.now() - ctx.config.alarmFeedKeepMs), store.alarms.pruneDoneEvents(DONE_EVENTS_KEPT)]).catch((err: Error) =>
          ctx.log(`[alarms] pruning failed: ${err.message}`),
        );
      prune();
      pruneTimer = setInterval(prune, 3600_000);
      pruneTimer.unref();
    },
    async close() {
      for (const u of unsubs.splice(0)) u();
      disk.close();
      if (escalationTimer) clearInterval(escalationTimer);
      if (pruneTimer) clearInterval(pruneTimer);
      await center.close();
    },
  };
}

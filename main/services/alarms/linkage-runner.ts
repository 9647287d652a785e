// Linkage runner of the alarm center: a raised alarm's server-side actions (PTZ preset, bookmark, snapshot, each timed out) and every outcome stored and pushed.
import type { Alarm, AlarmActionKind, AlarmActionOutcome, AlarmLinkage, AlarmOutcomeCode, AlarmOutcomeParams, AlarmRule } from '../../../common/alarms';
import type { Actor } from '../contracts';
import type { AlarmCenterOptions } from './center';
import { ActionTimeout, alarmNote, errText, failureReason, outcomeLogText } from './outcomes';

/** What the runner needs from the center's options. */
export type LinkageRunnerDeps = Pick<AlarmCenterOptions, 'store' | 'publish' | 'log' | 'now' | 'ptz' | 'evidence' | 'actionTimeoutMs'>;

/** Runs the server-side actions (PTZ preset, bookmark, snapshot) and records every action's outcome (a code and params) on the alarm. */
export async function runLinkageActions(o: LinkageRunnerDeps, alarm: Alarm, rules: AlarmRule[], linkage: AlarmLinkage): Promise<void> {
  const outcomes: AlarmActionOutcome[] = [];
  const push = (
    ruleId: number | null,
    kind: AlarmActionKind,
    status: AlarmActionOutcome['status'],
    code: AlarmOutcomeCode,
    params: AlarmOutcomeParams,
    resultId: number | null = null,
  ) => outcomes.push({ ruleId, kind, status, code, params, message: outcomeLogText(code, params), resultId, atMs: o.now() });
  const firstRule = (pred: (r: AlarmRule) => boolean) => rules.find(pred)?.id ?? null;
  for (const w of linkage.wall)
    push(
      firstRule((r) => !!r.actions.wall),
      'wall',
      'sent',
      'wall',
      { cameraId: w.cameraId, window: w.window, tile: w.tile === null ? null : w.tile + 1 },
    );
  if (linkage.sound)
    push(
      firstRule((r) => !!r.actions.sound),
      'sound',
      'sent',
      'sound',
      {},
    );
  if (linkage.desktop)
    push(
      firstRule((r) => !!r.actions.desktop),
      'desktop',
      'sent',
      'desktop',
      {},
    );
  if (linkage.notifyRoles.length || linkage.notifyUserIds.length)
    push(
      firstRule((r) => !!r.actions.notify),
      'notify',
      'sent',
      'notify',
      { roles: linkage.notifyRoles.join(','), users: linkage.notifyUserIds.join(',') },
    );
  const actor: Actor = { kind: 'system', reason: `alarm ${alarm.id}` };
  const timeoutMs = o.actionTimeoutMs ?? 15_000;
  const attempt = async (ruleId: number, kind: AlarmActionKind, code: AlarmOutcomeCode, params: AlarmOutcomeParams, fn: () => Promise<number | null>) => {
    let timer: NodeJS.Timeout | undefined;
    try {
      const id = await Promise.race([
        fn(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new ActionTimeout(timeoutMs)), timeoutMs);
        }),
      ]);
      push(ruleId, kind, 'ok', code, params, id);
    } catch (err) {
      // The raw error goes to the server log only; the alarm keeps a reason code the console words.
      o.log(`[alarms] alarm ${alarm.id}: ${kind} (${outcomeLogText(code, params)}) failed: ${errText(err)}`);
      push(ruleId, kind, 'failed', code, { ...params, ...failureReason(err) });
    } finally {
      clearTimeout(timer);
    }
  };
  const jobs: Array<Promise<void>> = [];
  for (const r of rules) {
    const a = r.actions;
    const rid = r.id;
    const camOf = (c: number | null | undefined) => c ?? alarm.sourceId;
    if (a.ptz) {
      const cam = camOf(a.ptz.cameraId);
      const preset = a.ptz.presetId;
      if (cam === null) push(rid, 'ptz', 'failed', 'no_camera', {});
      else jobs.push(attempt(rid, 'ptz', 'ptz_preset', { cameraId: cam, presetId: preset }, async () => (await o.ptz.gotoPreset(cam, preset, actor), null)));
    }
    if (a.bookmark) {
      const cam = camOf(a.bookmark.cameraId);
      const startMs = alarm.firstMs - a.bookmark.beforeS * 1000;
      const endMs = alarm.firstMs + a.bookmark.afterS * 1000;
      if (cam === null) push(rid, 'bookmark', 'failed', 'no_camera', {});
      else
        jobs.push(
          attempt(rid, 'bookmark', 'bookmark', { cameraId: cam, beforeS: a.bookmark.beforeS, afterS: a.bookmark.afterS }, async () => {
            const b = await o.evidence.createBookmark({
              cameraId: cam,
              startMs,
              endMs,
              note: alarmNote(alarm),
              actor,
            });
            return b.id;
          }),
        );
    }
    if (a.snapshot) {
      const cam = alarm.sourceId;
      if (cam === null) push(rid, 'snapshot', 'failed', 'no_camera', {});
      else
        jobs.push(
          attempt(
            rid,
            'snapshot',
            'snapshot',
            { cameraId: cam },
            async () => (await o.evidence.takeSnapshot({ cameraId: cam, note: alarmNote(alarm), actor })).id,
          ),
        );
    }
  }
  await Promise.all(jobs);
  if (outcomes.length === 0) return;
  const ev = await o.store.alarms.addActions(alarm.id, outcomes, o.now());
  if (ev) o.publish(ev);
}

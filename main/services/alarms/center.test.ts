// Tests of the alarm center with an injected clock and a real SQLite store: escalation timing, action outcomes, test alarms, merging.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlarmFeedEvent } from '../../../common/alarms';
import type { ServerEvent } from '../../../common/events';
import { openTempStore, T0, type TempStore } from '../../../storage/sqlite/test-utils';
import { AuditLog } from '../audit-log';
import { msg } from '../../../common/messages';
import { DomainError as ApiError } from '../../platform/errors';
import type { UserActor } from '../../platform/actor';
import type { Actor, EvidenceActions, PtzActions } from '../contracts';
import { AlarmCenter } from './center';

describe('AlarmCenter', () => {
  let t: TempStore;
  let now: number;
  let pushed: AlarmFeedEvent[];
  let calls: string[];
  let logs: string[];
  let center: AlarmCenter;
  let camId: number;
  let op: UserActor;

  /** Contract implementations standing in for the ONVIF and investigation features (which live in other branches). */
  const ptz: PtzActions = {
    async gotoPreset(cameraId: number, presetId: number, actor: Actor) {
      calls.push(`ptz ${cameraId} ${presetId} ${actor.kind}`);
      if (presetId === 99) throw ApiError.notFound(msg('preset.not_found', { cameraId, presetId }));
    },
  };
  const evidence: EvidenceActions = {
    async createBookmark(i) {
      calls.push(`bookmark ${i.cameraId} ${i.startMs - T0} ${i.endMs - T0}`);
      return { id: 41 };
    },
    async takeSnapshot(i) {
      calls.push(`snapshot ${i.cameraId}`);
      return { id: 42 };
    },
  };

  beforeEach(async () => {
    t = await openTempStore();
    now = T0;
    pushed = [];
    calls = [];
    logs = [];
    const audit = new AuditLog(t.store, () => now);
    center = new AlarmCenter({
      store: t.store,
      publish: (ev: ServerEvent) => {
        if (ev.type === 'alarm.event') pushed.push(ev);
      },
      audit,
      log: (m) => logs.push(m),
      now: () => now,
      ptz,
      evidence,
      mergeWindowMs: 10_000,
      offsetMinutes: () => 0,
    });
    const cam = await t.store.cameras.create(
      {
        name: 'Gate',
        url: 'rtsp://x/1',
        subUrl: null,
        username: null,
        password: null,
        transport: 'tcp',
        enabled: false,
        segmentSeconds: 10,
        retentionDays: 1,
        groupName: 'North',
        description: null,
      },
      T0,
    );
    camId = cam.id;
    const user = await t.store.users.create({ username: 'ann', passwordHash: 'x', role: 'dispatcher', displayName: 'Ann', disabled: false, createdMs: T0 });
    op = { kind: 'user', userId: user.id, username: user.username, role: user.role };
  });
  afterEach(async () => {
    await center.close();
    await t.cleanup();
  });

  it('escalates exactly when the configured time passes without an acknowledgement', async () => {
    await t.store.alarms.createRule(
      {
        name: 'esc',
        enabled: true,
        sourceIds: [],
        groups: ['North'],
        types: ['sos'],
        minSeverity: 'info',
        schedule: null,
        actions: { escalate: { afterS: 30, role: 'admin' } },
      },
      T0,
    );
    const a = await center.raise({ sourceId: camId, type: 'sos', atMs: T0 });
    const b = await center.raise({ sourceId: camId, type: 'tamper', atMs: T0 }); // no rule: never escalates
    expect(a.alarm.ruleIds).toHaveLength(1);
    now = T0 + 29_999;
    expect(await center.escalateDue()).toBe(0);
    now = T0 + 30_000;
    expect(await center.escalateDue()).toBe(1);
    expect(await center.escalateDue()).toBe(0);
    const esc = pushed.find((e) => e.kind === 'escalated')!;
    expect(esc.alarm).toMatchObject({ id: a.alarm.id, escalatedToRole: 'admin', escalatedMs: T0 + 30_000 });
    expect(esc.linkage?.notifyRoles).toEqual(['admin']);
    expect((await t.store.alarms.get(b.alarm.id))!.escalatedMs).toBeNull();
    const log = await t.store.audit.query({ action: 'alarm.escalate' });
    expect(log.map((e) => e.targetId)).toEqual([String(a.alarm.id)]);
  });

  it('does not escalate an alarm acknowledged in time', async () => {
    await t.store.alarms.createRule(
      {
        name: 'esc',
        enabled: true,
        sourceIds: [camId],
        groups: [],
        types: [],
        minSeverity: 'info',
        schedule: null,
        actions: { escalate: { afterS: 30, role: 'admin' } },
      },
      T0,
    );
    const a = await center.raise({ sourceId: camId, type: 'sos', atMs: T0 });
    now = T0 + 10_000;
    await center.step(a.alarm.id, { action: 'acknowledge' }, op, null);
    now = T0 + 60_000;
    expect(await center.escalateDue()).toBe(0);
    expect(pushed.map((e) => e.kind)).toEqual(['raised', 'state']);
  });

  it('runs PTZ, bookmark and snapshot for a matching rule and records ok and failed outcomes', async () => {
    await t.store.alarms.createRule(
      {
        name: 'ok',
        enabled: true,
        sourceIds: [camId],
        groups: [],
        types: ['motion'],
        minSeverity: 'info',
        schedule: null,
        actions: { ptz: { cameraId: null, presetId: 2 }, bookmark: { cameraId: null, beforeS: 10, afterS: 20 }, snapshot: true },
      },
      T0,
    );
    await t.store.alarms.createRule(
      {
        name: 'bad preset',
        enabled: true,
        sourceIds: [camId],
        groups: [],
        types: ['motion'],
        minSeverity: 'info',
        schedule: null,
        actions: { ptz: { cameraId: null, presetId: 99 } },
      },
      T0,
    );
    await center.raise({ sourceId: camId, type: 'motion', atMs: T0 });
    await center.idle();
    expect(calls.sort()).toEqual([`bookmark ${camId} -10000 20000`, `ptz ${camId} 2 system`, `ptz ${camId} 99 system`, `snapshot ${camId}`]);
    const last = pushed.at(-1)!;
    expect(last.kind).toBe('action');
    const outcomes = last.alarm.actions.map((a) => [a.kind, a.status, a.resultId]).sort();
    expect(outcomes).toEqual([
      ['bookmark', 'ok', 41],
      ['ptz', 'failed', null],
      ['ptz', 'ok', null],
      ['snapshot', 'ok', 42],
    ]);
    // Outcomes are codes with params the console words; the raw error reaches the server log only.
    const failed = last.alarm.actions.find((a) => a.status === 'failed')!;
    expect([failed.code, failed.params]).toEqual(['ptz_preset', { cameraId: camId, presetId: 99, reason: 'not_found' }]);
    expect(JSON.stringify(last.alarm.actions)).not.toContain('does not exist');
    expect(logs.some((l) => l.includes(`alarm ${last.alarm.id}: ptz`) && l.includes('has no preset 99'))).toBe(true);
    expect(last.alarm.actions.find((a) => a.kind === 'bookmark')).toMatchObject({
      code: 'bookmark',
      params: { cameraId: camId, beforeS: 10, afterS: 20 },
      resultId: 41,
    });
  });

  it('merges repeats within the window, applies rules only to the first, and skips rules outside their schedule', async () => {
    // Mondays 08:00-18:00 only; T0 is Saturday 2025-03-01 00:00 UTC.
    await t.store.alarms.createRule(
      {
        name: 'weekday',
        enabled: true,
        sourceIds: [],
        groups: [],
        types: [],
        minSeverity: 'info',
        schedule: { days: [1], startMinute: 480, endMinute: 1080 },
        actions: { sound: true },
      },
      T0,
    );
    const a = await center.raise({ sourceId: camId, type: 'motion', atMs: T0 });
    expect(a.alarm.ruleIds).toEqual([]);
    expect(a.linkage).toBeNull();
    now = T0 + 5000;
    const b = await center.raise({ sourceId: camId, type: 'motion', atMs: T0 + 5000 });
    expect(b).toMatchObject({ kind: 'merged', alarm: { id: a.alarm.id, count: 2 } });
    const monday = Date.UTC(2025, 2, 3, 9, 0);
    now = monday;
    const c = await center.raise({ sourceId: camId, type: 'motion', atMs: monday });
    expect(c.kind).toBe('raised');
    expect(c.linkage).toMatchObject({ sound: true });
  });

  it('fires a test alarm of a disabled group rule from a member of the group', async () => {
    const r = await t.store.alarms.createRule(
      {
        name: 'grp',
        enabled: false,
        sourceIds: [],
        groups: ['North'],
        types: ['tamper'],
        minSeverity: 'critical',
        schedule: { days: [1], startMinute: 0, endMinute: 1 },
        actions: { wall: { window: 0, tile: null } },
      },
      T0,
    );
    const ev = await center.fireTest(r, op, '127.0.0.1');
    expect(ev.alarm).toMatchObject({ test: true, sourceId: camId, type: 'tamper', severity: 'critical', ruleIds: [r.id] });
    expect(ev.linkage?.wall).toEqual([{ cameraId: camId, window: 0, tile: null }]);
    // Test alarms never merge.
    const again = await center.fireTest(r, op, null);
    expect(again.alarm.id).not.toBe(ev.alarm.id);
  });
  it("never merges an officer's manual alarm into another: its severity, text, place, reporter and rules stand (13a)", async () => {
    await t.store.alarms.createRule(
      {
        name: 'critical manual',
        enabled: true,
        sourceIds: [],
        groups: [],
        types: ['manual'],
        minSeverity: 'critical',
        schedule: null,
        actions: { sound: true },
      },
      T0,
    );
    const first = await center.raise({ sourceId: camId, type: 'manual', severity: 'minor', atMs: T0, message: 'Loitering at the gate', by: op });
    now = T0 + 2000;
    const shots = await center.raise({
      sourceId: camId,
      type: 'manual',
      severity: 'critical',
      atMs: now,
      message: 'Shots fired, Elm St 12',
      lat: 31.2,
      lon: 121.4,
      by: op,
    });
    expect(shots.kind).toBe('raised');
    expect(shots.alarm.id).not.toBe(first.alarm.id);
    expect(shots.alarm).toMatchObject({ severity: 'critical', count: 1, message: 'Shots fired, Elm St 12', lat: 31.2, lon: 121.4, reporter: 'ann' });
    expect(shots.alarm.ruleIds).toHaveLength(1);
    expect(shots.linkage).toMatchObject({ sound: true });
    // Even the same text from the same officer is a report of its own.
    const again = await center.raise({ sourceId: camId, type: 'manual', severity: 'minor', atMs: now, message: 'Loitering at the gate', by: op });
    expect(again.kind).toBe('raised');
    const stored = await t.store.alarms.search({ type: 'manual' });
    expect(stored.map((a) => [a.severity, a.message, a.reporter, a.count]).sort()).toEqual([
      ['critical', 'Shots fired, Elm St 12', 'ann', 1],
      ['minor', 'Loitering at the gate', 'ann', 1],
      ['minor', 'Loitering at the gate', 'ann', 1],
    ]);
  });

  it('a merge never lowers severity and keeps every merged message and place (13a)', async () => {
    const minor = await center.raise({ sourceId: camId, type: 'tamper', severity: 'minor', atMs: T0, message: 'lens dirty' });
    now = T0 + 1000;
    // More severe than the open alarm: an alarm of its own (its rules run), not a count on the minor one.
    const major = await center.raise({ sourceId: camId, type: 'tamper', severity: 'major', atMs: now, message: 'camera turned away' });
    expect(major.kind).toBe('raised');
    expect(major.alarm).toMatchObject({ severity: 'major', message: 'camera turned away', count: 1 });
    // As severe or less: merged into the newest open one that is at least as severe, with its text and place kept.
    now = T0 + 2000;
    const m1 = await center.raise({ sourceId: camId, type: 'tamper', severity: 'minor', atMs: now, message: 'lens covered', lat: 31.5, lon: 121.5 });
    expect(m1).toMatchObject({
      kind: 'merged',
      alarm: { id: major.alarm.id, severity: 'major', count: 2, message: 'camera turned away', lat: 31.5, lon: 121.5 },
    });
    expect(m1.alarm.occurrences).toEqual([{ atMs: now, severity: 'minor', message: 'lens covered', reason: null, lat: 31.5, lon: 121.5, reporter: null }]);
    const back = await t.store.alarms.get(minor.alarm.id);
    expect(back).toMatchObject({ severity: 'minor', count: 1, message: 'lens dirty' });
  });
  it('merges only occurrences of the same cause: a unit losing video and losing GPS are two alarms (item 10)', async () => {
    const video = await center.raise({
      sourceId: camId,
      type: 'unit_offline',
      severity: 'minor',
      atMs: T0,
      message: 'Unit lost its video link',
      cause: 'video_link_lost',
    });
    now = T0 + 1000;
    const gps = await center.raise({
      sourceId: camId,
      type: 'unit_offline',
      severity: 'minor',
      atMs: now,
      message: 'Unit stopped reporting its position',
      cause: 'telemetry_link_lost',
    });
    expect(gps.kind).toBe('raised');
    expect(gps.alarm).toMatchObject({ cause: 'telemetry_link_lost', message: 'Unit stopped reporting its position' });
    now = T0 + 2000;
    const again = await center.raise({
      sourceId: camId,
      type: 'unit_offline',
      severity: 'minor',
      atMs: now,
      message: 'Unit lost its video link',
      cause: 'video_link_lost',
    });
    expect(again).toMatchObject({ kind: 'merged', alarm: { id: video.alarm.id, count: 2, cause: 'video_link_lost' } });
  });
});

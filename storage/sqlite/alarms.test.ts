// Tests of SqliteAlarmRepo against a real SQLite file: merging within the window, workflow steps, feed order and replay, escalation, search, rules.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlarmOccurrence } from '../repos/alarms';
import { openTempStore, T0, type TempStore } from './test-utils';

function occ(o: Partial<AlarmOccurrence> = {}): AlarmOccurrence {
  return {
    sourceId: 3,
    sourceName: 'Gate',
    type: 'motion',
    severity: 'minor',
    atMs: T0,
    lat: null,
    lon: null,
    message: null,
    reason: null,
    deviceEventId: null,
    test: false,
    mergeable: true,
    reporter: null,
    cause: null,
    ruleIds: [],
    escalateRole: null,
    escalateDueMs: null,
    linkage: null,
    ...o,
  };
}

describe('SqliteAlarmRepo', () => {
  let t: TempStore;
  beforeEach(async () => {
    t = await openTempStore();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('merges occurrences of one source and type within the window into one alarm with a count', async () => {
    const linkage = { wall: [{ cameraId: 3, window: 0, tile: null }], sound: true, desktop: false, notifyRoles: [], notifyUserIds: [] };
    const a = await t.store.alarms.raise(occ({ linkage, ruleIds: [7] }), 10_000, T0);
    expect(a.kind).toBe('raised');
    expect(a.linkage).toEqual(linkage);
    expect(a.alarm).toMatchObject({ count: 1, state: 'new', firstMs: T0, lastMs: T0, ruleIds: [7], sourceName: 'Gate' });
    expect(a.alarm.steps).toEqual([{ state: 'new', userId: null, username: null, atMs: T0, note: null }]);
    const b = await t.store.alarms.raise(occ({ atMs: T0 + 9_000 }), 10_000, T0 + 9_000);
    expect(b.kind).toBe('merged');
    expect(b.alarm).toMatchObject({ id: a.alarm.id, count: 2, firstMs: T0, lastMs: T0 + 9_000 });
    // The window slides with the latest occurrence.
    const c = await t.store.alarms.raise(occ({ atMs: T0 + 18_000 }), 10_000, T0 + 18_000);
    expect(c.alarm).toMatchObject({ id: a.alarm.id, count: 3 });
    // Beyond the window, another type, another source, a test alarm: new alarms.
    const d = await t.store.alarms.raise(occ({ atMs: T0 + 40_000 }), 10_000, T0 + 40_000);
    const e = await t.store.alarms.raise(occ({ atMs: T0 + 40_000, type: 'tamper' }), 10_000, T0 + 40_000);
    const f = await t.store.alarms.raise(occ({ atMs: T0 + 40_000, sourceId: 4 }), 10_000, T0 + 40_000);
    const g = await t.store.alarms.raise(occ({ atMs: T0 + 40_000, test: true }), 10_000, T0 + 40_000);
    expect(new Set([a.alarm.id, d.alarm.id, e.alarm.id, f.alarm.id, g.alarm.id]).size).toBe(5);
    expect([d.kind, e.kind, f.kind, g.kind]).toEqual(['raised', 'raised', 'raised', 'raised']);
    // Server-wide alarms (no source) merge among themselves.
    const s1 = await t.store.alarms.raise(occ({ sourceId: null, type: 'disk_low' }), 10_000, T0);
    const s2 = await t.store.alarms.raise(occ({ sourceId: null, type: 'disk_low', atMs: T0 + 1 }), 10_000, T0);
    expect(s2.alarm).toMatchObject({ id: s1.alarm.id, count: 2 });
  });

  it('keeps a status reason as a code with params on the alarm and each occurrence (migration 013), null when none', async () => {
    const refused = { code: 'status.refused', params: {} };
    const a = await t.store.alarms.raise(
      occ({ type: 'camera_offline', message: 'Camera refused the connection (check address and port)', reason: refused }),
      10_000,
      T0,
    );
    expect(a.alarm.reason).toEqual(refused);
    // A merged occurrence keeps its own reason; the alarm keeps its first one.
    const sub = { code: 'status.sub_stream', params: { reason: { code: 'status.timeout' } } };
    const b = await t.store.alarms.raise(occ({ type: 'camera_offline', atMs: T0 + 1000, message: 'x', reason: sub }), 10_000, T0 + 1000);
    expect(b.alarm.id).toBe(a.alarm.id);
    expect(b.alarm.reason).toEqual(refused);
    expect(b.alarm.occurrences.map((o) => o.reason)).toEqual([{ code: 'status.sub_stream', params: { reason: { code: 'status.timeout' } } }]);
    // An alarm raised without a message takes the first reason that comes with one.
    const c = await t.store.alarms.raise(occ({ type: 'video_loss' }), 10_000, T0);
    expect(c.alarm.reason).toBeNull();
    const d = await t.store.alarms.raise(
      occ({ type: 'video_loss', atMs: T0 + 1000, message: 'Camera stopped sending video', reason: { code: 'status.stalled', params: {} } }),
      10_000,
      T0 + 1000,
    );
    expect(d.alarm).toMatchObject({ id: c.alarm.id, message: 'Camera stopped sending video', reason: { code: 'status.stalled', params: {} } });
    expect((await t.store.alarms.get(a.alarm.id))?.reason).toEqual(refused);
  });

  it('does not merge into a closed alarm', async () => {
    const a = await t.store.alarms.raise(occ(), 60_000, T0);
    await t.store.alarms.step(a.alarm.id, { state: 'closed', userId: 1, username: 'ann', note: 'done' }, T0 + 1);
    const b = await t.store.alarms.raise(occ({ atMs: T0 + 2 }), 60_000, T0 + 2);
    expect(b.kind).toBe('raised');
    expect(b.alarm.id).not.toBe(a.alarm.id);
  });

  it('records workflow steps with user and time, and the feed replays every event in order', async () => {
    const a = await t.store.alarms.raise(occ({ escalateRole: 'admin', escalateDueMs: T0 + 30_000 }), 0, T0);
    await t.store.alarms.step(a.alarm.id, { state: 'acknowledged', userId: 2, username: 'ann', note: null }, T0 + 1000);
    await t.store.alarms.step(a.alarm.id, { state: 'in_progress', userId: 2, username: 'ann', note: 'patrol sent' }, T0 + 2000);
    await t.store.alarms.step(a.alarm.id, { state: null, userId: 3, username: 'bob', note: 'still there' }, T0 + 2500);
    await t.store.alarms.addActions(
      a.alarm.id,
      [
        {
          ruleId: 1,
          kind: 'ptz',
          status: 'failed',
          message: 'preset 2 on camera 4 (not_found)',
          resultId: null,
          atMs: T0 + 10,
          code: 'ptz_preset',
          params: { cameraId: 4, presetId: 2, reason: 'not_found' },
        },
      ],
      T0 + 10,
    );
    // A row stored before outcome codes (migration 011) reads back with code null and its message.
    await t.store.db.run(
      "INSERT INTO alarm_actions (alarm_id, rule_id, kind, status, message, result_id, at_ms) VALUES (?, 1, 'sound', 'sent', 'alarm sound', NULL, ?)",
      [a.alarm.id, T0 + 11],
    );
    const last = await t.store.alarms.step(a.alarm.id, { state: 'closed', userId: 2, username: 'ann', note: 'false alarm' }, T0 + 3000);
    expect(last!.alarm.state).toBe('closed');
    expect(last!.alarm.handler).toBe('ann');
    expect(last!.alarm.steps.map((s) => [s.state, s.username, s.atMs, s.note])).toEqual([
      ['new', null, T0, null],
      ['acknowledged', 'ann', T0 + 1000, null],
      ['in_progress', 'ann', T0 + 2000, 'patrol sent'],
      ['in_progress', 'bob', T0 + 2500, 'still there'],
      ['closed', 'ann', T0 + 3000, 'false alarm'],
    ]);
    expect(last!.alarm.actions).toEqual([
      {
        ruleId: 1,
        kind: 'ptz',
        status: 'failed',
        message: 'preset 2 on camera 4 (not_found)',
        resultId: null,
        atMs: T0 + 10,
        code: 'ptz_preset',
        params: { cameraId: 4, presetId: 2, reason: 'not_found' },
      },
      { ruleId: 1, kind: 'sound', status: 'sent', message: 'alarm sound', resultId: null, atMs: T0 + 11, code: null, params: {} },
    ]);
    const feed = await t.store.alarms.feedSince(0, 100);
    expect(feed.map((e) => e.kind)).toEqual(['raised', 'state', 'state', 'state', 'action', 'state']);
    expect(feed.map((e) => e.seq)).toEqual([...feed.map((e) => e.seq)].sort((x, y) => x - y));
    expect(await t.store.alarms.feedSince(feed[2]!.seq, 100)).toEqual(feed.slice(3));
    expect(await t.store.alarms.lastSeq()).toBe(feed[5]!.seq);
    // Acknowledged in time: never due for escalation.
    expect(await t.store.alarms.dueForEscalation(T0 + 60_000, 10)).toEqual([]);
    // Pruning keeps the sequence going.
    expect(await t.store.alarms.pruneFeed(T0 + 10_000)).toBe(6);
    const next = await t.store.alarms.raise(occ({ sourceId: 9 }), 0, T0 + 20_000);
    expect(next.seq).toBeGreaterThan(feed[5]!.seq);
  });

  it('escalates an unacknowledged alarm once, when due', async () => {
    const a = await t.store.alarms.raise(occ({ escalateRole: 'admin', escalateDueMs: T0 + 30_000 }), 0, T0);
    expect(await t.store.alarms.dueForEscalation(T0 + 29_999, 10)).toEqual([]);
    const due = await t.store.alarms.dueForEscalation(T0 + 30_000, 10);
    expect(due.map((x) => [x.alarm.id, x.role])).toEqual([[a.alarm.id, 'admin']]);
    const linkage = { wall: [], sound: true, desktop: true, notifyRoles: ['admin' as const], notifyUserIds: [] };
    const out = {
      ruleId: 1,
      kind: 'escalate' as const,
      status: 'sent' as const,
      message: 'to admin',
      resultId: null,
      atMs: T0 + 30_000,
      code: 'escalate' as const,
      params: { role: 'admin', waitedS: 30 },
    };
    const ev = await t.store.alarms.escalate(a.alarm.id, linkage, out, T0 + 30_000);
    expect(ev!.kind).toBe('escalated');
    expect(ev!.alarm).toMatchObject({ escalatedToRole: 'admin', escalatedMs: T0 + 30_000, state: 'new' });
    expect(await t.store.alarms.escalate(a.alarm.id, linkage, out, T0 + 31_000)).toBeNull();
    expect(await t.store.alarms.dueForEscalation(T0 + 90_000, 10)).toEqual([]);
  });

  it('searches history by time, source, type, state, severity and handler', async () => {
    const a = await t.store.alarms.raise(occ({ atMs: T0 }), 0, T0);
    const b = await t.store.alarms.raise(occ({ atMs: T0 + 100, sourceId: 4, type: 'sos', severity: 'critical' }), 0, T0);
    const c = await t.store.alarms.raise(occ({ atMs: T0 + 200, type: 'tamper' }), 0, T0);
    await t.store.alarms.step(b.alarm.id, { state: 'acknowledged', userId: 2, username: 'ann', note: null }, T0 + 300);
    await t.store.alarms.step(c.alarm.id, { state: 'closed', userId: 3, username: 'bob', note: null }, T0 + 300);
    const ids = async (q: Parameters<typeof t.store.alarms.search>[0]) => (await t.store.alarms.search(q)).map((x) => x.id);
    expect(await ids({})).toEqual([c.alarm.id, b.alarm.id, a.alarm.id]);
    expect(await ids({ startMs: T0 + 50, endMs: T0 + 150 })).toEqual([b.alarm.id]);
    expect(await ids({ sourceId: 3 })).toEqual([c.alarm.id, a.alarm.id]);
    expect(await ids({ type: 'sos' })).toEqual([b.alarm.id]);
    expect(await ids({ state: 'open' })).toEqual([b.alarm.id, a.alarm.id]);
    expect(await ids({ state: 'closed' })).toEqual([c.alarm.id]);
    expect(await ids({ severity: 'critical' })).toEqual([b.alarm.id]);
    expect(await ids({ handler: 'bob' })).toEqual([c.alarm.id]);
    expect(await ids({ limit: 1 })).toEqual([c.alarm.id]);
  });

  it('knows which stored device events were not handled yet, also when they were handled out of order', async () => {
    const ev = () => t.store.events.insert({ cameraId: 3, type: 'motion', state: 'active', startMs: T0, endMs: null, detail: null });
    const [e1, e2, e3, e4] = [await ev(), await ev(), await ev(), await ev()];
    await t.store.alarms.raise(occ({ deviceEventId: e3.id }), 0, T0);
    await t.store.alarms.markEventDone(e4.id);
    expect((await t.store.alarms.pendingEvents(10)).map((e) => e.id)).toEqual([e1.id, e2.id]);
    await t.store.alarms.raise(occ({ deviceEventId: e1.id }), 60_000, T0);
    expect((await t.store.alarms.pendingEvents(10)).map((e) => e.id)).toEqual([e2.id]);
    // Pruning keeps the newest handled ids; the oldest kept one is the floor.
    expect(await t.store.alarms.pruneDoneEvents(0)).toBeGreaterThan(0);
    expect(await t.store.alarms.pendingEvents(10)).toEqual([]);
  });

  it('creates, updates, lists and deletes rules', async () => {
    const r = await t.store.alarms.createRule(
      {
        name: 'Gate motion',
        enabled: true,
        sourceIds: [3],
        groups: [],
        types: ['motion'],
        minSeverity: 'info',
        schedule: { days: [1, 2], startMinute: 60, endMinute: 120 },
        actions: { ptz: { cameraId: null, presetId: 2 } },
      },
      T0,
    );
    expect(r).toMatchObject({ name: 'Gate motion', enabled: true, sourceIds: [3], schedule: { days: [1, 2], startMinute: 60, endMinute: 120 }, createdMs: T0 });
    const u = await t.store.alarms.updateRule(r.id, { enabled: false, schedule: null }, T0 + 5);
    expect(u).toMatchObject({ id: r.id, enabled: false, schedule: null, types: ['motion'], updatedMs: T0 + 5, createdMs: T0 });
    expect(await t.store.alarms.listRules()).toEqual([u]);
    expect(await t.store.alarms.updateRule(999, { enabled: true }, T0)).toBeNull();
    expect(await t.store.alarms.deleteRule(r.id)).toBe(true);
    expect(await t.store.alarms.deleteRule(r.id)).toBe(false);
    expect(await t.store.alarms.getRule(r.id)).toBeNull();
  });

  it('search keeps only the alarms of a scope of sources, in the query before the limit', async () => {
    const id = async (sourceId: number | null, atMs: number) => (await t.store.alarms.raise(occ({ sourceId, atMs, mergeable: false }), 0, atMs)).alarm.id;
    const old = [await id(3, T0), await id(4, T0 + 1)];
    const server = await id(null, T0 + 2);
    for (let i = 0; i < 20; i++) await id(5, T0 + 100 + i); // newer, of a source outside the scope
    const ids = async (scope: Parameters<typeof t.store.alarms.search>[1], limit = 10) =>
      (await t.store.alarms.search({ limit }, scope)).map((a) => a.id).sort((a, b) => a - b);
    expect(await ids({ sourceIds: [3, 4], withoutSource: false })).toEqual(old);
    expect(await ids({ sourceIds: [3, 4], withoutSource: true })).toEqual([...old, server]);
    expect(await ids({ sourceIds: [4], withoutSource: false }, 1)).toEqual([old[1]]);
    expect(await ids({ sourceIds: [], withoutSource: false })).toEqual([]);
    expect(await ids({ sourceIds: [], withoutSource: true })).toEqual([server]);
    expect((await ids({ sourceIds: 'all', withoutSource: false }, 100)).length).toBe(22);
    expect((await ids(undefined, 100)).length).toBe(23);
    // The feed the same way: events of the scope's alarms only, the limit counting those.
    const feed = await t.store.alarms.feedSince(0, 2, { sourceIds: [3, 4], withoutSource: true });
    expect(feed.map((e) => e.alarm.id)).toEqual(old);
    expect((await t.store.alarms.feedSince(feed[1]!.seq, 10, { sourceIds: [3, 4], withoutSource: true })).map((e) => e.alarm.id)).toEqual([server]);
  });
});

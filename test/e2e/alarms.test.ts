// End to end: the alarm center in a real back end: device events through the real DeviceEventService, consoles on the real WebSocket.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bookmark } from '../../common/investigation';
import type { Alarm, AlarmFeedPage, AlarmList, AlarmRule } from '../../common/alarms';
import type { AuditEntry, Camera, UnitKey } from '../../common/api';
import { connectConsole, eventually, startAlarmServer, type AlarmTestServer } from './alarms-support';

const MERGE_WINDOW_MS = 30_000;

describe('alarm center (real back end, SQLite, WebSocket consoles)', () => {
  let srv: AlarmTestServer;
  const cams: Camera[] = [];

  beforeAll(async () => {
    srv = await startAlarmServer({ overrides: { alarmMergeWindowMs: MERGE_WINDOW_MS, alarmEscalationCheckMs: 200 } });
    for (let i = 0; i < 50; i++) {
      const r = await srv.api<Camera>('POST', '/api/v1/cameras', {
        name: `Cam ${i}`,
        url: `rtsp://127.0.0.1:9/cam${i}`,
        enabled: false,
        groupName: i < 5 ? 'Gate' : 'Yard',
      });
      expect(r.status).toBe(201);
      cams.push(r.body);
    }
  }, 60_000);

  afterAll(async () => {
    await srv?.close();
  });

  const audit = async (action: string) => (await srv.api<AuditEntry[]>('GET', `/api/v1/audit?action=${encodeURIComponent(action)}&limit=5000`)).body;

  it('an SOS from a unit reaches a connected console within 1 s', async () => {
    const unit = await srv.api<UnitKey>('POST', '/api/v1/units', { callsign: 'Patrol 7', type: 'vehicle' });
    expect(unit.status).toBe(201);
    const unitId = unit.body.unit.id;
    const console1 = await connectConsole(srv.backend.url, srv.token);
    try {
      const sent = performance.timeOrigin + performance.now();
      await srv.backend.deviceEvents.record({
        cameraId: unitId,
        type: 'sos',
        state: 'pulse',
        startMs: Date.now(),
        lat: 31.23,
        lon: 121.47,
        detail: { source: 'agent' },
      });
      await console1.waitFor((evs) => evs.some((e) => e.alarm.type === 'sos'), 5000, 'the SOS alarm');
      const got = console1.alarms.find((a) => a.ev.alarm.type === 'sos')!;
      expect(got.ev.kind).toBe('raised');
      expect(got.ev.alarm).toMatchObject({ sourceId: unitId, sourceName: 'Patrol 7', severity: 'critical', state: 'new', lat: 31.23, lon: 121.47, count: 1 });
      expect(got.atMs - sent).toBeLessThan(1000);
      // Stored before it was pushed: the API has it with the same id.
      expect((await srv.api<Alarm>('GET', `/api/v1/alarms/${got.ev.alarm.id}`)).body.type).toBe('sos');
    } finally {
      await console1.close();
    }
  });

  it('stores 1,000 alarms from 50 sources arriving in 10 s without loss, merged per source within the window', async () => {
    const console1 = await connectConsole(srv.backend.url, srv.token);
    try {
      const before = (await srv.api<AlarmList>('GET', '/api/v1/alarms?type=motion&limit=10000')).body.alarms.length;
      expect(before).toBe(0);
      const started = Date.now();
      const pending: Array<Promise<unknown>> = [];
      // 100 per second for 10 s, round robin over the 50 sources: 20 occurrences each.
      for (let i = 0; i < 1000; i++) {
        const due = started + i * 10;
        const wait = due - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const cam = cams[i % 50]!;
        pending.push(
          srv.backend.deviceEvents.record({ cameraId: cam.id, type: 'motion', state: 'active', startMs: Date.now(), detail: { source: 'onvif', n: i } }),
        );
      }
      await Promise.all(pending);
      await console1.waitFor((evs) => evs.filter((e) => e.alarm.type === 'motion').length >= 1000, 30_000, '1,000 motion alarm events');
      const list = (await srv.api<AlarmList>('GET', '/api/v1/alarms?type=motion&limit=10000')).body.alarms;
      expect(list).toHaveLength(50);
      expect(list.reduce((n, a) => n + a.count, 0)).toBe(1000);
      for (const a of list) expect(a.count).toBe(20);
      expect(new Set(list.map((a) => a.sourceId))).toEqual(new Set(cams.map((c) => c.id)));
      // The console got every occurrence: 50 raised + 950 merged, in sequence order without gaps.
      const evs = console1.alarms.map((a) => a.ev).filter((e) => e.alarm.type === 'motion');
      expect(evs.filter((e) => e.kind === 'raised')).toHaveLength(50);
      expect(evs.filter((e) => e.kind === 'merged')).toHaveLength(950);
      const seqs = console1.alarms.map((a) => a.ev.seq);
      for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBe(seqs[i - 1]! + 1);
      // The final count of each alarm reached the console too.
      const lastCount = new Map<number, number>();
      for (const e of evs) lastCount.set(e.alarm.id, Math.max(lastCount.get(e.alarm.id) ?? 0, e.alarm.count));
      expect([...lastCount.values()].every((c) => c === 20)).toBe(true);
      // Every device event is stored as well (the events table).
      const stored = await srv.backend.store.events.listRange({ type: 'motion', startMs: started - 1000, endMs: Date.now() + 1000, limit: 5000 });
      expect(stored).toHaveLength(1000);
    } finally {
      await console1.close();
    }
  }, 90_000);

  it('a console that was disconnected receives the missed alarms by replay from its last sequence number', async () => {
    const c1 = await connectConsole(srv.backend.url, srv.token);
    const seen = (await srv.api<AlarmList>('GET', '/api/v1/alarms?state=open')).body.seq;
    await c1.close();
    // While it is away: three tamper alarms and a workflow step.
    for (const cam of cams.slice(10, 13))
      await srv.backend.deviceEvents.record({ cameraId: cam.id, type: 'tamper', state: 'pulse', startMs: Date.now(), detail: null });
    const tampers = await eventually(async () => {
      const l = (await srv.api<AlarmList>('GET', '/api/v1/alarms?type=tamper')).body.alarms;
      return l.length === 3 ? l : null;
    });
    const acked = await srv.api<Alarm>('POST', `/api/v1/alarms/${tampers[0]!.id}/steps`, { action: 'acknowledge' });
    expect(acked.status).toBe(200);
    // Back: it connects again and asks for everything after what it saw.
    const c2 = await connectConsole(srv.backend.url, srv.token);
    try {
      const page = (await srv.api<AlarmFeedPage>('GET', `/api/v1/alarms/feed?since=${seen}`)).body;
      expect(page.more).toBe(false);
      expect(page.events.map((e) => e.kind)).toEqual(['raised', 'raised', 'raised', 'state']);
      expect(new Set(page.events.slice(0, 3).map((e) => e.alarm.id))).toEqual(new Set(tampers.map((t) => t.id)));
      expect(page.events[3]!.alarm).toMatchObject({ id: tampers[0]!.id, state: 'acknowledged', handler: 'admin' });
      expect(page.events.map((e) => e.seq)).toEqual([seen + 1, seen + 2, seen + 3, seen + 4]);
      // Paging works for a long absence.
      const first = (await srv.api<AlarmFeedPage>('GET', `/api/v1/alarms/feed?since=${seen}&limit=2`)).body;
      expect(first.more).toBe(true);
      expect(first.events).toHaveLength(2);
      // And it is live again.
      await srv.backend.deviceEvents.record({ cameraId: cams[13]!.id, type: 'tamper', state: 'pulse', startMs: Date.now(), detail: null });
      await c2.waitFor((evs) => evs.some((e) => e.alarm.sourceId === cams[13]!.id), 5000, 'the live alarm after reconnect');
    } finally {
      await c2.close();
    }
  });

  it('escalates to another role when nobody acknowledges in time (real timers), and not when acknowledged', async () => {
    const rule = await srv.api<AlarmRule>('POST', '/api/v1/alarm-rules', {
      name: 'Input escalation',
      types: ['digital_input'],
      actions: { escalate: { afterS: 1, role: 'admin' }, sound: true },
    });
    expect(rule.status).toBe(201);
    const c1 = await connectConsole(srv.backend.url, srv.token);
    try {
      await srv.backend.deviceEvents.record({ cameraId: cams[20]!.id, type: 'digital_input', state: 'active', startMs: Date.now(), detail: { input: 1 } });
      await srv.backend.deviceEvents.record({ cameraId: cams[21]!.id, type: 'digital_input', state: 'active', startMs: Date.now(), detail: { input: 1 } });
      await c1.waitFor((evs) => evs.filter((e) => e.kind === 'raised' && e.alarm.type === 'digital_input').length === 2, 5000, 'two input alarms');
      const raised = c1.alarms.filter((a) => a.ev.kind === 'raised' && a.ev.alarm.type === 'digital_input');
      const ignored = raised.find((a) => a.ev.alarm.sourceId === cams[20]!.id)!;
      const handled = raised.find((a) => a.ev.alarm.sourceId === cams[21]!.id)!;
      expect(ignored.ev.alarm.ruleIds).toEqual([rule.body.id]);
      expect((await srv.api('POST', `/api/v1/alarms/${handled.ev.alarm.id}/steps`, { action: 'acknowledge' })).status).toBe(200);
      await c1.waitFor((evs) => evs.some((e) => e.kind === 'escalated'), 10_000, 'the escalation');
      const esc = c1.alarms.find((a) => a.ev.kind === 'escalated')!;
      expect(esc.ev.alarm.id).toBe(ignored.ev.alarm.id);
      expect(esc.ev.alarm).toMatchObject({ escalatedToRole: 'admin', state: 'new' });
      expect(esc.ev.linkage).toMatchObject({ notifyRoles: ['admin'], sound: true, desktop: true });
      const waited = esc.atMs - ignored.atMs;
      expect(waited).toBeGreaterThanOrEqual(900);
      expect(waited).toBeLessThan(5000);
      expect(esc.ev.alarm.actions.some((x) => x.kind === 'escalate' && x.status === 'sent' && x.message.includes('admin'))).toBe(true);
      // The acknowledged one never escalates.
      await new Promise((r) => setTimeout(r, 1500));
      expect(c1.alarms.filter((a) => a.ev.kind === 'escalated').map((a) => a.ev.alarm.id)).toEqual([ignored.ev.alarm.id]);
      const entries = await audit('alarm.escalate');
      expect(entries.map((e) => e.targetId)).toEqual([String(ignored.ev.alarm.id)]);
    } finally {
      await c1.close();
      await srv.api('DELETE', `/api/v1/alarm-rules/${rule.body.id}`);
    }
  });

  it("runs a rule's PTZ, bookmark and snapshot actions and records each outcome on the alarm; rule changes are audited", async () => {
    const cam = cams[30]!;
    const created = await srv.api<AlarmRule>('POST', '/api/v1/alarm-rules', {
      name: 'Gate tamper',
      sourceIds: [cam.id],
      types: ['tamper'],
      minSeverity: 'major',
      actions: {
        wall: { window: 0, tile: 2 },
        ptz: { cameraId: null, presetId: 3 },
        bookmark: { cameraId: null, beforeS: 10, afterS: 20 },
        snapshot: true,
        sound: true,
        desktop: true,
        notify: { roles: ['dispatcher'], userIds: [] },
      },
    });
    expect(created.status).toBe(201);
    const c1 = await connectConsole(srv.backend.url, srv.token);
    try {
      const t = Date.now();
      await srv.backend.deviceEvents.record({ cameraId: cam.id, type: 'tamper', state: 'pulse', startMs: t, detail: null });
      await c1.waitFor((evs) => evs.some((e) => e.kind === 'action' && e.alarm.sourceId === cam.id), 20_000, 'action outcomes');
      const raised = c1.alarms.find((a) => a.ev.kind === 'raised' && a.ev.alarm.sourceId === cam.id)!.ev;
      expect(raised.linkage).toEqual({
        wall: [{ cameraId: cam.id, window: 0, tile: 2 }],
        sound: true,
        desktop: true,
        notifyRoles: ['dispatcher'],
        notifyUserIds: [],
      });
      const alarm = (await srv.api<Alarm>('GET', `/api/v1/alarms/${raised.alarm.id}`)).body;
      const byKind = Object.fromEntries(alarm.actions.map((a) => [a.kind, a]));
      // The camera is a plain RTSP camera: the ONVIF feature refuses the preset and the reason shows on the alarm.
      expect(byKind.ptz).toMatchObject({ status: 'failed', ruleId: created.body.id });
      // Outcomes are codes with params (the console words them); the raw error text stays in the server log.
      expect(byKind.ptz).toMatchObject({ code: 'ptz_preset', params: { cameraId: cam.id, presetId: 3, reason: 'no_ptz' } });
      // The bookmark is made by the investigation feature: from 10 s before the alarm (continuous recording) to 20 s after.
      expect(byKind.bookmark).toMatchObject({ status: 'ok', code: 'bookmark', params: { cameraId: cam.id, beforeS: 10, afterS: 20 } });
      const marks = (await srv.api<Bookmark[]>('GET', `/api/v1/bookmarks?cameraId=${cam.id}`)).body;
      const mark = marks.find((m) => m.id === byKind.bookmark!.resultId)!;
      expect(mark.startMs).toBeLessThanOrEqual(t - 10_000);
      expect(mark.endMs).toBeGreaterThanOrEqual(t + 20_000);
      // This camera is not recording (no RTSP source), so there is no live picture: the snapshot fails with a reason code.
      expect(byKind.snapshot).toMatchObject({ status: 'failed', code: 'snapshot', params: { cameraId: cam.id, reason: 'not_recording' } });
      expect(byKind.wall).toMatchObject({ status: 'sent', code: 'wall', params: { cameraId: cam.id, window: 0, tile: 3 } });
      expect(byKind.notify).toMatchObject({ code: 'notify', params: { roles: 'dispatcher', users: '' } });
      // Disable, test-fire (applies although disabled), delete: each in the audit log.
      expect((await srv.api('PATCH', `/api/v1/alarm-rules/${created.body.id}`, { enabled: false })).status).toBe(200);
      const test = await srv.api<Alarm>('POST', `/api/v1/alarm-rules/${created.body.id}/test`);
      expect(test.status).toBe(201);
      expect(test.body).toMatchObject({ test: true, type: 'tamper', sourceId: cam.id, ruleIds: [created.body.id] });
      await eventually(
        async () => (await srv.api<Alarm>('GET', `/api/v1/alarms/${test.body.id}`)).body.actions.some((a) => a.kind === 'ptz'),
        20_000,
        'test outcomes',
      );
      // A disabled rule no longer applies to real alarms.
      await srv.backend.deviceEvents.record({ cameraId: cams[31]!.id, type: 'tamper', state: 'pulse', startMs: Date.now(), detail: null });
      await c1.waitFor((evs) => evs.some((e) => e.alarm.sourceId === cams[31]!.id), 5000);
      expect(c1.alarms.find((a) => a.ev.alarm.sourceId === cams[31]!.id)!.ev.alarm.ruleIds).toEqual([]);
      expect((await audit('alarm.rule.create')).some((e) => e.targetId === String(created.body.id))).toBe(true);
      expect((await audit('alarm.rule.disable')).some((e) => e.targetId === String(created.body.id))).toBe(true);
      expect((await audit('alarm.rule.test')).some((e) => e.targetId === String(created.body.id))).toBe(true);
      expect((await srv.api('DELETE', `/api/v1/alarm-rules/${created.body.id}`)).status).toBe(204);
      expect((await audit('alarm.rule.delete')).some((e) => e.targetId === String(created.body.id))).toBe(true);
    } finally {
      await c1.close();
    }
  });

  it('works an alarm from acknowledge to close with user and time per step, audited; refuses wrong steps and bad input', async () => {
    const manual = await srv.api<Alarm>('POST', '/api/v1/alarms', { sourceId: cams[40]!.id, message: 'Suspicious person at the gate', lat: 31.2, lon: 121.5 });
    expect(manual.status).toBe(201);
    expect(manual.body).toMatchObject({ type: 'manual', severity: 'major', state: 'new', message: 'Suspicious person at the gate', sourceName: 'Cam 40' });
    const id = manual.body.id;
    const step = (action: string, note?: string) => srv.api<Alarm>('POST', `/api/v1/alarms/${id}/steps`, note === undefined ? { action } : { action, note });
    expect((await step('acknowledge')).body.state).toBe('acknowledged');
    expect((await step('acknowledge')).status).toBe(409);
    expect((await step('start', 'Patrol 7 on the way')).body.state).toBe('in_progress');
    expect((await step('note', 'Person left')).body.state).toBe('in_progress');
    const closed = await step('close', 'No incident');
    expect(closed.body.state).toBe('closed');
    expect(closed.body.steps.map((s) => [s.state, s.username, s.note])).toEqual([
      ['new', null, null],
      ['acknowledged', 'admin', null],
      ['in_progress', 'admin', 'Patrol 7 on the way'],
      ['in_progress', 'admin', 'Person left'],
      ['closed', 'admin', 'No incident'],
    ]);
    expect(closed.body.steps.every((s, i, all) => i === 0 || s.atMs >= all[i - 1]!.atMs)).toBe(true);
    const conflict = await step('start');
    expect(conflict.status).toBe(409);
    for (const action of ['alarm.raise', 'alarm.acknowledge', 'alarm.start', 'alarm.note', 'alarm.close'])
      expect(
        (await audit(action)).some((e) => e.targetId === String(id)),
        action,
      ).toBe(true);
    // Field-named 400s.
    const bad = await srv.api<{ error: { fields: Array<{ path: string }> } }>('POST', `/api/v1/alarms/${id}/steps`, { action: 'fly' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0]!.path).toBe('action');
    const badRule = await srv.api<{ error: { fields: Array<{ path: string }> } }>('POST', '/api/v1/alarm-rules', {
      name: 'x',
      sourceIds: [99999],
      actions: {},
    });
    expect(badRule.status).toBe(400);
    expect(badRule.body.error.fields[0]!.path).toBe('sourceIds.0');
    const badSchedule = await srv.api<{ error: { fields: Array<{ path: string }> } }>('POST', '/api/v1/alarm-rules', {
      name: 'x',
      schedule: { days: [7], startMinute: 0, endMinute: 60 },
      actions: {},
    });
    expect(badSchedule.status).toBe(400);
    expect(badSchedule.body.error.fields[0]!.path).toBe('schedule.days.0');
    expect((await srv.api('GET', '/api/v1/alarms/999999')).status).toBe(404);
    // Roles: an investigator reads alarms but neither writes rules nor works alarms.
    expect((await srv.api('POST', '/api/v1/users', { username: 'ivy', password: 'violet-harbor-1', role: 'investigator', displayName: 'Ivy' })).status).toBe(
      201,
    );
    const ivy = await srv.login('ivy', 'violet-harbor-1');
    expect((await srv.api('GET', '/api/v1/alarms', undefined, ivy)).status).toBe(200);
    expect((await srv.api('POST', '/api/v1/alarm-rules', { name: 'x', actions: {} }, ivy)).status).toBe(403);
    expect((await srv.api('POST', `/api/v1/alarms/${id}/steps`, { action: 'note', note: 'x' }, ivy)).status).toBe(403);
  });

  it('searches history by handler and state and exports it as CSV', async () => {
    const closed = (await srv.api<AlarmList>('GET', '/api/v1/alarms?state=closed&handler=admin')).body.alarms;
    expect(closed.length).toBeGreaterThanOrEqual(1);
    expect(closed.every((a) => a.state === 'closed' && a.steps.some((s) => s.username === 'admin'))).toBe(true);
    const res = await fetch(`${srv.backend.url}/api/v1/alarms/export.csv?type=manual`, { headers: { Authorization: `Bearer ${srv.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const text = await res.text();
    const lines = text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('id,type,severity,state,source,sourceId,firstTime,lastTime,count,handler,escalatedTo,lat,lon,message');
    expect(lines.length).toBe(2);
    expect(lines[1]).toContain('manual,major,closed,Cam 40');
    expect(lines[1]).toContain('Suspicious person at the gate');
    expect((await fetch(`${srv.backend.url}/api/v1/alarms/export.csv`)).status).toBe(401);
    expect((await fetch(`${srv.backend.url}/api/v1/alarms/export.csv?type=nope`, { headers: { Authorization: `Bearer ${srv.token}` } })).status).toBe(400);
    const exportsBefore = (await audit('alarm.export')).length;
    expect(exportsBefore).toBeGreaterThanOrEqual(1);
    // The same export as JSON rows (the console words them into its CSV), audited the same way.
    const json = await fetch(`${srv.backend.url}/api/v1/alarms/export.json?type=manual`, { headers: { Authorization: `Bearer ${srv.token}` } });
    expect(json.status).toBe(200);
    const rows = (await json.json()) as Alarm[];
    expect(rows.map((a) => [a.type, a.state, a.sourceName])).toEqual([['manual', 'closed', 'Cam 40']]);
    expect((await audit('alarm.export')).length).toBe(exportsBefore + 1);
    expect((await fetch(`${srv.backend.url}/api/v1/alarms/export.json`)).status).toBe(401);
    expect((await fetch(`${srv.backend.url}/api/v1/alarms/export.xml`, { headers: { Authorization: `Bearer ${srv.token}` } })).status).toBe(404);
  });

  it("places a camera's alarm where the camera stands on the map when the event has no position", async () => {
    // Two cameras of their own, so no earlier alarm of theirs can absorb these by merging.
    const mk = async (name: string) => (await srv.api<Camera>('POST', '/api/v1/cameras', { name, url: 'rtsp://127.0.0.1:9/x', enabled: false })).body;
    const [placedCam, loose] = [await mk('Placed gate'), await mk('Unplaced gate')];
    expect((await srv.api('PUT', `/api/v1/gps/cameras/${placedCam.id}/place`, { lat: 31.2304, lon: 121.4737, viewDeg: 90 })).status).toBe(200);
    const alarmOf = async (cameraId: number) =>
      eventually(async () =>
        (await srv.api<AlarmList>('GET', `/api/v1/alarms?type=motion&sourceId=${cameraId}`)).body.alarms.find((x) => x.sourceId === cameraId),
      );
    await srv.backend.deviceEvents.record({ cameraId: placedCam.id, type: 'motion', state: 'active', startMs: Date.now(), detail: { source: 'onvif' } });
    expect(await alarmOf(placedCam.id)).toMatchObject({ lat: 31.2304, lon: 121.4737 });
    // Not placed: no position is made up.
    await srv.backend.deviceEvents.record({ cameraId: loose.id, type: 'motion', state: 'active', startMs: Date.now(), detail: { source: 'onvif' } });
    expect(await alarmOf(loose.id)).toMatchObject({ lat: null, lon: null });
  });

  it('raises low disk from the free space of the recordings volume', async () => {
    const disk = srv.backend.features.alarms.disk;
    disk.freeBytesOverride = () => 1024;
    disk.check();
    disk.check(); // still low: no second event
    const a = await eventually(async () => (await srv.api<AlarmList>('GET', '/api/v1/alarms?type=disk_low')).body.alarms[0]);
    expect(a).toMatchObject({ sourceId: null, sourceName: 'server', severity: 'critical', count: 1 });
    disk.freeBytesOverride = null;
  });
});

describe('alarm center after a crash', () => {
  it('raises the alarms of device events stored before the crash', async () => {
    const first = await startAlarmServer();
    const tmp = first.tmp;
    const cam = (await first.api<Camera>('POST', '/api/v1/cameras', { name: 'Dock', url: 'rtsp://127.0.0.1:9/dock', enabled: false })).body;
    // Stored, but the server stops before the alarm center sees it (what a crash at that moment leaves).
    await first.backend.features.alarms.close();
    const ev = await first.backend.store.events.insert({ cameraId: cam.id, type: 'tamper', state: 'pulse', startMs: Date.now(), endMs: null, detail: null });
    await first.backend.close();
    const second = await startAlarmServer({ tmp });
    try {
      const list = (await second.api<AlarmList>('GET', '/api/v1/alarms?type=tamper')).body.alarms;
      expect(list).toHaveLength(1);
      expect(list[0]).toMatchObject({ sourceId: cam.id, deviceEventId: ev.id, state: 'new' });
    } finally {
      await second.close();
      (await import('node:fs')).rmSync(tmp, { recursive: true, force: true });
    }
  }, 60_000);
});

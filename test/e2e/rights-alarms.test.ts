// Alarm rights on the full back end (issue 13): alarms.view to list/read/replay/export, alarms.handle to work and raise; refusals are not actions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UnitKey } from '../../common/api';
import type { Alarm, AlarmFeedPage, AlarmList } from '../../common/alarms';
import type { DeviceView } from '../../common/devices';
import type { AlarmOccurrence } from '../../storage/repos/alarms';
import { startAlarmServer, type AlarmTestServer } from './alarms-support';

const PASSWORD = 'cobalt-harbor-violet-42';

describe('alarm rights with real grants (officers with their own unit, a dispatcher who may see but not handle)', () => {
  let srv: AlarmTestServer;
  const tok: Record<string, string> = {};
  const uid: Record<string, number> = {};
  let u1: number; // officer A's own unit
  let u2: number; // officer B's own unit
  let camN: number; // a camera under node N
  let camS: number; // a camera under node S
  let nodeN: number;
  const alarm: Record<string, number> = {};

  const as = <T>(who: string, method: string, p: string, body?: unknown) => srv.api<T>(method, `/api/v1${p}`, body, tok[who]);
  const admin = <T>(method: string, p: string, body?: unknown) => srv.api<T>(method, `/api/v1${p}`, body);
  const occurrence = (sourceId: number | null, type: AlarmOccurrence['type'], atMs: number): AlarmOccurrence => ({
    sourceId,
    sourceName: `source ${sourceId ?? '-'}`,
    type,
    severity: type === 'sos' ? 'critical' : 'minor',
    atMs,
    lat: null,
    lon: null,
    message: null,
    reason: null,
    deviceEventId: null,
    test: false,
    mergeable: false,
    reporter: null,
    cause: null,
    ruleIds: [],
    escalateRole: null,
    escalateDueMs: null,
    linkage: null,
  });
  const store = async (sourceId: number | null, type: AlarmOccurrence['type'], atMs: number) =>
    (await srv.backend.store.alarms.raise(occurrence(sourceId, type, atMs), 0, atMs)).alarm.id;
  const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);
  const listIds = async (who: string, q = '') => sorted((await as<AlarmList>(who, 'GET', `/alarms${q}`)).body.alarms.map((a) => a.id));
  const csvIds = (csv: string) =>
    sorted(
      csv
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => Number(l.split(',')[0])),
    );
  const stepsAudited = async () => (await srv.backend.store.audit.query({ limit: 1000 })).filter((a) => a.action.startsWith('alarm.'));

  beforeAll(async () => {
    srv = await startAlarmServer();
    const node = async (name: string) => (await admin<{ id: number }>('POST', '/org/nodes', { parentId: 1, name })).body.id;
    nodeN = await node('North');
    const nodeS = await node('South');
    const cam = async (nodeId: number, name: string) =>
      (await admin<DeviceView>('POST', '/devices/rtsp', { nodeId, name, channels: [{ name, url: 'rtsp://127.0.0.1:9/none' }] })).body.channels[0]!.id;
    camN = await cam(nodeN, 'North gate');
    camS = await cam(nodeS, 'South gate');
    u1 = (await admin<UnitKey>('POST', '/units', { callsign: 'Car A', type: 'vehicle' })).body.unit.id;
    u2 = (await admin<UnitKey>('POST', '/units', { callsign: 'Car B', type: 'vehicle' })).body.unit.id;
    for (const [name, role] of [
      ['ofca', 'officer'],
      ['ofcb', 'officer'],
      ['dview', 'dispatcher'],
      ['dhandle', 'dispatcher'],
    ] as const) {
      const r = await admin<{ id: number }>('POST', '/users', { username: name, password: PASSWORD, role, displayName: name });
      expect(r.status).toBe(201);
      uid[name] = r.body.id;
    }
    // The dispatcher template no longer sees or handles alarms everywhere: each dispatcher gets what is granted to them.
    const templ = (await admin<Array<{ id: number; right: string }>>('GET', '/access/grants?principalKind=role&role=dispatcher')).body;
    for (const g of templ.filter((x) => x.right === 'alarms.view' || x.right === 'alarms.handle'))
      expect((await admin('DELETE', `/access/grants/${g.id}`)).status).toBe(204);
    const grant = async (user: string, right: string, scopeId: number) =>
      expect(
        (await admin('POST', '/access/grants', { principalKind: 'user', principalId: uid[user], right, scopeKind: 'node', scopeId, effect: 'allow' })).status,
      ).toBe(201);
    await grant('dview', 'alarms.view', nodeN);
    await grant('dhandle', 'alarms.view', 1);
    await grant('dhandle', 'alarms.handle', 1);
    expect((await admin('PUT', `/access/devices/${u1}/users`, { userIds: [uid.ofca] })).status).toBe(200);
    expect((await admin('PUT', `/access/devices/${u2}/users`, { userIds: [uid.ofcb] })).status).toBe(200);
    for (const name of Object.keys(uid)) tok[name] = await srv.login(name, PASSWORD);

    const t0 = Date.now() - 3_600_000;
    alarm.sosA = await store(u1, 'sos', t0);
    alarm.u2 = await store(u2, 'sos', t0 + 1000);
    alarm.camN = await store(camN, 'motion', t0 + 2000);
    alarm.camS = await store(camS, 'motion', t0 + 3000);
    alarm.server = await store(null, 'manual', t0 + 4000);
  }, 60_000);
  afterAll(async () => {
    await srv?.close();
  });

  it('list, history, replay and read hold exactly the alarms of sources each user may see (404 for the others)', async () => {
    const sees: Record<string, number[]> = {
      ofca: [alarm.sosA],
      ofcb: [alarm.u2],
      dview: [alarm.camN],
      dhandle: Object.values(alarm),
    };
    for (const [who, want] of Object.entries(sees)) {
      expect(await listIds(who), who).toEqual(sorted(want));
      expect(await listIds(who, '?state=new&limit=50'), `${who} history`).toEqual(sorted(want));
      const feed = (await as<AlarmFeedPage>(who, 'GET', '/alarms/feed?since=0')).body;
      expect(sorted([...new Set(feed.events.map((e) => e.alarm.id))]), `${who} replay`).toEqual(sorted(want));
      for (const id of Object.values(alarm))
        expect((await as<Alarm>(who, 'GET', `/alarms/${id}`)).status, `${who} reads ${id}`).toBe(want.includes(id) ? 200 : 404);
    }
  });

  it('the CSV and JSON exports carry only the alarms the user may see', async () => {
    for (const [who, want] of [
      ['ofca', [alarm.sosA]],
      ['ofcb', [alarm.u2]],
      ['dview', [alarm.camN]],
    ] as const) {
      const csv = await as<string>(who, 'GET', '/alarms/export.csv');
      expect(csv.status).toBe(200);
      expect(csvIds(csv.body), `${who} csv`).toEqual(sorted([...want]));
      const json = await as<Alarm[]>(who, 'GET', '/alarms/export.json');
      expect(sorted(json.body.map((a) => a.id)), `${who} json`).toEqual(sorted([...want]));
    }
    expect(csvIds((await as<string>('dhandle', 'GET', '/alarms/export.csv')).body)).toEqual(sorted(Object.values(alarm)));
  });

  it("B cannot work A's SOS, the dispatcher who may only see cannot work hers; a dispatcher with alarms.handle can; refusals are not actions", async () => {
    for (const action of ['acknowledge', 'close'] as const) {
      expect((await as('ofcb', 'POST', `/alarms/${alarm.sosA}/steps`, { action })).status, `B ${action}`).toBe(404);
      // dview holds alarms.handle nowhere: refused before any alarm is looked at (403 whatever the id, so nothing leaks).
      expect((await as('dview', 'POST', `/alarms/${alarm.sosA}/steps`, { action })).status, `dview ${action} SOS`).toBe(403);
      expect((await as('dview', 'POST', `/alarms/${alarm.camN}/steps`, { action })).status, `dview ${action} camN`).toBe(403);
      expect((await as('dview', 'POST', `/alarms/999999/steps`, { action })).status, `dview ${action} unknown`).toBe(403);
    }
    // Officer A is now granted to see North's alarms (not to handle them): North's alarm is 403 to her, B's unit's 404.
    const g = { principalKind: 'user', principalId: uid.ofca, right: 'alarms.view', scopeKind: 'node', scopeId: nodeN, effect: 'allow' };
    expect((await admin('POST', '/access/grants', g)).status).toBe(201);
    expect(await listIds('ofca')).toEqual(sorted([alarm.sosA, alarm.camN]));
    expect((await as('ofca', 'POST', `/alarms/${alarm.camN}/steps`, { action: 'close' })).status).toBe(403);
    expect((await as('ofca', 'POST', `/alarms/${alarm.u2}/steps`, { action: 'close' })).status).toBe(404);
    expect((await as('ofca', 'POST', '/alarms', { sourceId: camN, message: 'see only' })).status).toBe(403);
    const bulk = await as<{ alarms: Alarm[]; refused: Array<{ id: number }> }>('ofcb', 'POST', '/alarms/steps', {
      ids: [alarm.sosA, alarm.u2],
      action: 'close',
    });
    expect(bulk.status).toBe(200);
    expect(bulk.body.refused.map((r) => r.id)).toEqual([alarm.sosA]);
    expect(bulk.body.alarms.map((a) => a.id)).toEqual([alarm.u2]); // B's own unit's alarm: closed
    expect((await srv.backend.store.alarms.get(alarm.sosA))!.state).toBe('new');
    expect((await srv.backend.store.alarms.get(alarm.camN))!.state).toBe('new');
    // Nothing was done to either alarm, so nothing is in the audit about them (the bulk close of B's own alarm is).
    const audited = await stepsAudited();
    expect(audited.filter((a) => a.targetId === String(alarm.sosA) || a.targetId === String(alarm.camN))).toEqual([]);
    expect(audited.filter((a) => a.targetId === String(alarm.u2)).map((a) => [a.action, a.username])).toEqual([['alarm.close', 'ofcb']]);

    const ack = await as<Alarm>('dhandle', 'POST', `/alarms/${alarm.sosA}/steps`, { action: 'acknowledge' });
    expect(ack.status).toBe(200);
    expect(ack.body.state).toBe('acknowledged');
    expect((await as<Alarm>('dhandle', 'POST', `/alarms/${alarm.sosA}/steps`, { action: 'close' })).body.state).toBe('closed');
    const done = (await stepsAudited()).filter((a) => a.targetId === String(alarm.sosA));
    expect(done.map((a) => [a.action, a.username])).toEqual(
      expect.arrayContaining([
        ['alarm.acknowledge', 'dhandle'],
        ['alarm.close', 'dhandle'],
      ]),
    );
    expect(done.some((a) => a.username !== 'dhandle')).toBe(false);
  });

  it('raising a manual alarm on a source needs alarms.handle there; one without a source needs it globally', async () => {
    const raised = async () => (await srv.backend.store.alarms.search({ type: 'manual', limit: 1000 })).length;
    const n = await raised();
    expect((await as('dview', 'POST', '/alarms', { sourceId: camN, message: 'see only' })).status).toBe(403);
    expect((await as('ofcb', 'POST', '/alarms', { sourceId: u1, message: 'not my car' })).status).toBe(400);
    expect((await as('ofcb', 'POST', '/alarms', { sourceId: null, message: 'server-wide' })).status).toBe(403);
    expect((await as('dview', 'POST', '/alarms', { message: 'server-wide' })).status).toBe(403);
    expect(await raised()).toBe(n);
    expect((await srv.backend.store.audit.query({ action: 'alarm.raise', limit: 100 })).filter((a) => a.username === 'dview' || a.username === 'ofcb')).toEqual(
      [],
    );
    const own = await as<Alarm>('ofca', 'POST', '/alarms', { sourceId: u1, message: 'officer needs help' });
    expect(own.status).toBe(201);
    expect(own.body.sourceId).toBe(u1);
    expect((await as<Alarm>('dhandle', 'POST', '/alarms', { message: 'server-wide' })).status).toBe(201);
    expect(await raised()).toBe(n + 2);
  });

  it('rights are applied in the query, before its limit: 60 newer alarms of sources B may not see leave his 5 older ones on the page', async () => {
    const t0 = Date.now() - 7_200_000; // older than every alarm above
    const mine: number[] = [];
    for (let i = 0; i < 5; i++) mine.push(await store(u2, 'digital_input', t0 + i));
    for (let i = 0; i < 60; i++) await store(i % 2 ? camS : u1, 'motion', Date.now() - 1000 + i);
    const want = sorted([...mine, alarm.u2]);
    expect(await listIds('ofcb', '?limit=50')).toEqual(want);
    expect(await listIds('ofcb', '?limit=3')).toEqual(sorted([alarm.u2, mine[4]!, mine[3]!])); // the newest three he may see
    expect(csvIds((await as<string>('ofcb', 'GET', '/alarms/export.csv?limit=50')).body)).toEqual(want);
    expect(sorted((await as<Alarm[]>('ofcb', 'GET', '/alarms/export.json?limit=50')).body.map((a) => a.id))).toEqual(want);
    // The replay pages through what he may see: each page full, its last seq the place to go on from.
    const replayed: number[] = [];
    for (let since = 0, pages = 0; ; pages++) {
      expect(pages).toBeLessThan(20);
      const page = (await as<AlarmFeedPage>('ofcb', 'GET', `/alarms/feed?since=${since}&limit=2`)).body;
      expect(page.events.length).toBe(page.more ? 2 : page.events.length);
      replayed.push(...page.events.map((e) => e.alarm.id));
      if (!page.more) break;
      since = page.events.at(-1)!.seq;
    }
    expect(sorted([...new Set(replayed)])).toEqual(want);
    // The dispatcher who sees only North: camN's alarms only, none of the 60 (South and the unit are not under North).
    expect(await listIds('dview', '?limit=50')).toEqual([alarm.camN]);
  });
});

// `npx tsx scripts/make-datadir-fixture.ts [--out DIR]`: records a small data directory with today's server (real RTSP cameras, a real RTMP unit, the HTTP API) for the upgrade test (test/e2e/datadir-upgrade.test.ts).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Camera, Segment, Unit, UnitKey, WallLayout } from '../common/api';
import type { Alarm, AlarmRule } from '../common/alarms';
import type { Geofence } from '../common/gps';
import type { AddDeviceResponse, PtzPreset, PtzTour } from '../common/onvif';
import type { Bookmark, Case, ExportJob, LegalHold, Snapshot } from '../common/investigation';
import { OnvifSimulator } from '../test/onvif-sim/simulator';
import { ensureClip } from '../test/helpers/clips';
import { publishRtmp, type Publisher } from '../test/helpers/rtmp';
import { startRtspServer, type RtspServer } from '../test/helpers/rtsp-server';
import { ADMIN_PASSWORD, startServerProcess, type ServerProcess } from '../test/harness';
import type { FixtureIds } from '../test/helpers/datadir-fixture';
import { fixtureReadme } from './datadir-fixture-readme';

const ROOT = path.resolve(import.meta.dirname, '..');
const outArg = process.argv.indexOf('--out');
const OUT = path.resolve(outArg > 0 ? process.argv[outArg + 1]! : path.join(ROOT, 'test/fixtures/datadir-r1'));
const INVESTIGATOR = { username: 'ines', password: 'harbour-lantern-42', role: 'investigator' };

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function call<T>(s: ServerProcess, token: string, method: string, p: string, body: unknown, status: number): Promise<T> {
  const r = await s.api<T>(method, p, token, body);
  if (r.status !== status) throw new Error(`${method} ${p}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-fixture-'));
  const dataDir = path.join(work, 'data');
  fs.mkdirSync(dataDir);
  // GPS points older than gpsRetentionDays are deleted at start: a fixture is read years after it was made.
  fs.writeFileSync(path.join(dataDir, 'argus.json'), JSON.stringify({ gpsRetentionDays: 0, segmentSeconds: 2 }, null, 2) + '\n');
  let rtsp: RtspServer | null = null;
  let server: ServerProcess | null = null;
  let publisher: Publisher | null = null;
  let sim: OnvifSimulator | null = null;
  try {
    // Small and cheap: 320x180, 10 fps, one keyframe a second, 120 kbit/s.
    const clipAudio = await ensureClip({ width: 320, height: 180, fps: 10, seconds: 4, bitrateKbps: 120, audio: true });
    const clipMute = await ensureClip({ width: 320, height: 180, fps: 10, seconds: 4, bitrateKbps: 120, audio: false });
    rtsp = await startRtspServer({ mounts: { '/gate': clipAudio, '/dock': clipMute, '/ptz': clipMute } });
    sim = new OnvifSimulator({
      username: 'onvif',
      password: 'fixture-onvif-pw',
      manufacturer: 'FixtureCam',
      model: 'PTZ-1',
      serial: 'FX0017',
      sources: [{ token: 'vs1', mainUri: rtsp.url('/ptz') }],
    });
    await sim.start();
    server = await startServerProcess(dataDir);
    const s = server;
    const admin = await s.login();
    await call(s, admin, 'POST', '/api/v1/users', INVESTIGATOR, 201);
    const ines = await s.login(INVESTIGATOR.username, INVESTIGATOR.password);

    // Cameras and units (shared id space): records for 10 years so retention never eats the fixture.
    const gate = await call<Camera>(
      s,
      admin,
      'POST',
      '/api/v1/cameras',
      {
        name: 'Gate North',
        url: rtsp.url('/gate'),
        segmentSeconds: 2,
        retentionDays: 3650,
        groupName: 'North yard',
        description: 'fixed, with audio, placed on the map',
      },
      201,
    );
    const dock = await call<Camera>(
      s,
      admin,
      'POST',
      '/api/v1/cameras',
      { name: 'Dock East', url: rtsp.url('/dock'), transport: 'tcp', segmentSeconds: 2, retentionDays: 3650, groupName: 'East dock' },
      201,
    );
    await call(s, admin, 'PUT', `/api/v1/gps/cameras/${gate.id}/place`, { lat: 39.9042, lon: 116.4074, viewDeg: 135 }, 200);
    const patrol = await call<UnitKey>(
      s,
      admin,
      'POST',
      '/api/v1/units',
      { callsign: 'PATROL-7', type: 'vehicle', officer: 'Wang Wei', groupName: 'Patrol', segmentSeconds: 2, retentionDays: 3650 },
      201,
    );
    const body = await call<UnitKey>(s, admin, 'POST', '/api/v1/units', { callsign: 'BODY-12', type: 'body', officer: 'Li Na', retentionDays: 3650 }, 201);
    // An ONVIF PTZ camera (the simulator): device, its camera, two presets and a tour (not running).
    const onvif = await call<AddDeviceResponse>(
      s,
      admin,
      'POST',
      '/api/v1/onvif/devices',
      { host: '127.0.0.1', port: sim.port, username: 'onvif', password: 'fixture-onvif-pw', name: 'Yard PTZ', groupName: 'North yard' },
      201,
    );
    const ptzCam = onvif.cameraIds[0]!;
    await call(s, admin, 'PATCH', `/api/v1/cameras/${ptzCam}`, { segmentSeconds: 2, retentionDays: 3650 }, 200);
    const presets: PtzPreset[] = [];
    for (const name of ['Gate view', 'Yard wide']) {
      presets.push(await call<PtzPreset>(s, admin, 'POST', `/api/v1/cameras/${ptzCam}/ptz/presets`, { name }, 201));
      await call(s, admin, 'POST', `/api/v1/cameras/${ptzCam}/ptz/move`, { pan: 0.5, tilt: 0 }, 204);
      await new Promise((r) => setTimeout(r, 300));
      await call(s, admin, 'POST', `/api/v1/cameras/${ptzCam}/ptz/stop`, undefined, 204);
    }
    const tour = await call<PtzTour>(
      s,
      admin,
      'POST',
      `/api/v1/cameras/${ptzCam}/ptz/tours`,
      { name: 'Yard round', steps: presets.map((p) => ({ presetId: p.id, dwellSeconds: 10 })) },
      201,
    );
    await call(s, admin, 'POST', `/api/v1/cameras/${ptzCam}/ptz/release`, undefined, 204);
    publisher = publishRtmp(patrol.publishUrl.replace(/\/\/[^/:]+:/, '//127.0.0.1:'), clipMute, { loop: true });

    // GPS: a short drive of the patrol car and a few fixes of the body camera (HTTP batches, as the agent sends them).
    const t0 = Date.now() - 20_000;
    const drive = Array.from({ length: 8 }, (_, i) => ({
      tMs: t0 + i * 2000,
      lat: 39.905 + i * 0.0002,
      lon: 116.408 + i * 0.0001,
      speedMps: 8.5,
      headingDeg: 20,
      accuracyM: 4,
      batteryPct: 90 - i,
    }));
    const walk = Array.from({ length: 4 }, (_, i) => ({ tMs: t0 + i * 5000, lat: 39.9031 - i * 0.0001, lon: 116.4062, accuracyM: 6 }));
    for (const [u, points] of [
      [patrol, drive],
      [body, walk],
    ] as const) {
      const r = await fetch(`${s.base}/api/v1/gps/telemetry?unit=${u.unit.id}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-unit-key': u.streamKey },
        body: JSON.stringify({ points }),
      });
      if (r.status !== 200) throw new Error(`telemetry: ${r.status} ${await r.text()}`);
    }

    // A few closed 2 s segments of each source.
    const closed = async (id: number) =>
      (await call<Segment[]>(s, admin, 'GET', `/api/v1/segments?cameraId=${id}&startMs=0&endMs=${Date.now() + 3_600_000}`, undefined, 200)).filter(
        (x) => x.state === 'closed',
      );
    for (const id of [gate.id, dock.id, ptzCam, patrol.unit.id]) await until(`3 closed segments of ${id}`, async () => (await closed(id)).length >= 3, 90_000);

    // Stop recording so every segment is closed through the muxer: cameras disabled, the unit stops publishing.
    await publisher.kill();
    publisher = null;
    for (const id of [gate.id, dock.id, ptzCam]) await call(s, admin, 'PATCH', `/api/v1/cameras/${id}`, { enabled: false }, 200);
    await until(
      'the unit to stop recording',
      async () => (await call<Unit>(s, admin, 'GET', `/api/v1/units/${patrol.unit.id}`, undefined, 200)).status.recording !== 'recording',
      30_000,
    );
    const segs = async (id: number) =>
      call<Segment[]>(s, admin, 'GET', `/api/v1/segments?cameraId=${id}&startMs=0&endMs=${Date.now() + 3_600_000}`, undefined, 200);
    for (const id of [gate.id, dock.id, ptzCam, patrol.unit.id])
      await until(`no segment of ${id} writing`, async () => (await segs(id)).every((x) => x.state === 'closed'), 30_000);
    // The dock camera is enabled again, on an address where nothing answers: an enabled camera that is offline.
    await call(s, admin, 'PATCH', `/api/v1/cameras/${dock.id}`, { enabled: true, url: 'rtsp://127.0.0.1:9/dock' }, 200);
    const gateSegs = await segs(gate.id);

    // A saved wall layout of the admin.
    const layout = await call<WallLayout>(
      s,
      admin,
      'PUT',
      '/api/v1/layouts/Fixture%20wall',
      { name: 'Fixture wall', layout: '4', tiles: [gate.id, dock.id, patrol.unit.id, null] },
      200,
    );

    // Investigation: a case with a bookmark, a snapshot and an export, under legal hold.
    const kase = await call<Case>(s, ines, 'POST', '/api/v1/cases', { reference: 'FX-2026/0017', title: 'Fixture case' }, 201);
    const a = gateSegs[1]!;
    const bookmark = await call<Bookmark>(
      s,
      ines,
      'POST',
      '/api/v1/bookmarks',
      { cameraId: gate.id, startMs: a.startMs + 200, endMs: a.endMs - 200, note: 'car at the gate', caseId: kase.id },
      201,
    );
    const snapshot = await call<Snapshot>(
      s,
      ines,
      'POST',
      '/api/v1/snapshots',
      { cameraId: gate.id, tMs: a.startMs + 1000, note: 'plate visible', caseId: kase.id },
      201,
    );
    const job = await call<ExportJob>(
      s,
      ines,
      'POST',
      '/api/v1/exports',
      { caseId: kase.id, name: 'gate-and-patrol', sources: [{ cameraId: gate.id }, { cameraId: patrol.unit.id }], startMs: a.startMs, endMs: a.endMs + 1000 },
      201,
    );
    const done = await until(
      'the export',
      async () => {
        const j = await call<ExportJob>(s, ines, 'GET', `/api/v1/exports/${job.id}`, undefined, 200);
        return j.state === 'done' || j.state === 'failed' ? j : null;
      },
      120_000,
    );
    if (done.state !== 'done') throw new Error(`export failed: ${done.error}`);
    const hold = await call<LegalHold>(s, ines, 'POST', `/api/v1/cases/${kase.id}/hold`, { reason: 'court order FX-17' }, 201);

    // Alarms: a rule, a geofence, one alarm worked through to closed, one left open.
    const rule = await call<AlarmRule>(
      s,
      admin,
      'POST',
      '/api/v1/alarm-rules',
      { name: 'Dock to wall', sourceIds: [dock.id], minSeverity: 'major', actions: { wall: { window: 0, tile: null } } },
      201,
    );
    const fence = await call<Geofence>(
      s,
      admin,
      'POST',
      '/api/v1/gps/geofences',
      {
        name: 'Depot',
        shape: 'polygon',
        polygon: [
          [39.9, 116.4],
          [39.91, 116.4],
          [39.91, 116.41],
        ],
      },
      201,
    );
    const closedAlarm = await call<Alarm>(s, admin, 'POST', '/api/v1/alarms', { sourceId: dock.id, severity: 'major', message: 'Fence cut at the dock' }, 201);
    await call(s, admin, 'POST', `/api/v1/alarms/${closedAlarm.id}/steps`, { action: 'acknowledge', note: 'patrol sent' }, 200);
    await call(s, admin, 'POST', `/api/v1/alarms/${closedAlarm.id}/steps`, { action: 'close', note: 'false alarm: a fox' }, 200);
    const openAlarm = await call<Alarm>(
      s,
      admin,
      'POST',
      '/api/v1/alarms',
      { sourceId: patrol.unit.id, severity: 'critical', message: 'Officer requests backup', lat: 39.9061, lon: 116.4085 },
      201,
    );

    const ids: FixtureIds = {
      adminPassword: ADMIN_PASSWORD,
      investigator: INVESTIGATOR,
      cameras: { gate: gate.id, dock: dock.id, ptz: ptzCam },
      onvif: { device: onvif.device.id, presets: presets.map((p) => p.id), tour: tour.id },
      units: { patrol: patrol.unit.id, body: body.unit.id },
      segments: Object.fromEntries(await Promise.all([gate.id, dock.id, ptzCam, patrol.unit.id].map(async (id) => [id, (await segs(id)).map((x) => x.id)]))),
      layout: layout.id,
      caseId: kase.id,
      caseReference: kase.reference,
      bookmark: bookmark.id,
      snapshot: snapshot.id,
      exportId: job.id,
      exportDir: done.dirName,
      hold: hold.id,
      heldSegments: hold.segments,
      alarmRule: rule.id,
      geofence: fence.id,
      alarms: { closed: closedAlarm.id, open: openAlarm.id },
      gpsPoints: { [patrol.unit.id]: drive.map((p) => p.tMs), [body.unit.id]: walk.map((p) => p.tMs) },
      auditActions: [],
    };
    const audit = await call<Array<{ id: number; action: string }>>(s, admin, 'GET', '/api/v1/audit?limit=5000', undefined, 200);
    ids.auditActions = audit.map((x) => ({ id: x.id, action: x.action }));

    if ((await s.stop()) !== 0) throw new Error(`server did not stop cleanly:\n${s.logs.slice(-20).join('\n')}`);
    server = null;

    // The committed tree: argus-data/ (the data directory as the server left it), ids.json, FIXTURE.md.
    fs.rmSync(path.join(OUT, 'argus-data'), { recursive: true, force: true });
    fs.mkdirSync(OUT, { recursive: true });
    fs.cpSync(dataDir, path.join(OUT, 'argus-data'), { recursive: true });
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'main', 'media', 'storage', 'common'], { cwd: ROOT, encoding: 'utf8' }).trim() !== '';
    const manifest = { madeBy: { commit, dirty, madeMs: Date.now() }, ...ids };
    fs.writeFileSync(path.join(OUT, 'ids.json'), JSON.stringify(manifest, null, 2) + '\n');
    const sizeKb = execFileSync('du', ['-sk', path.join(OUT, 'argus-data')], { encoding: 'utf8' }).split('\t')[0];
    fs.writeFileSync(path.join(OUT, 'FIXTURE.md'), fixtureReadme(manifest, Number(sizeKb)));
    console.log(`fixture written to ${OUT} (commit ${commit}${dirty ? ', with uncommitted changes' : ''})`);
    console.log(execFileSync('du', ['-sh', OUT], { encoding: 'utf8' }).trim());
  } finally {
    await publisher?.kill();
    if (server) await server.stop();
    await rtsp?.stop();
    await sim?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(`make-datadir-fixture: ${(e as Error).stack ?? String(e)}`);
  process.exit(1);
});

// End to end: a data directory made by an earlier release (test/fixtures/datadir-r1, scripts/make-datadir-fixture.ts) opens in today's server with every id, recording and reference reachable through the public API.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry, Camera, Segment, Unit, WallLayout } from '../../common/api';
import type { Alarm, AlarmRule } from '../../common/alarms';
import type { CameraPlacement, Geofence, TrackPointView } from '../../common/gps';
import type { Bookmark, Case, ExportJob, PlaybackMap, Snapshot } from '../../common/investigation';
import type { OnvifDeviceView, PtzPreset, PtzTour } from '../../common/onvif';
import type { ChannelRef, ChannelView, DeviceView, OrgSearchHit, OrgTree } from '../../common/devices';
import { copyFixtureDataDir, DATADIR_FIXTURE, readFixtureIds, type FixtureManifest } from '../helpers/datadir-fixture';
import { generateSecretKey, SecretBox, secretKeySourceOf } from '../../main/platform/secret-box';
import { decodeErrors, ffprobeFile } from '../helpers/media-assert';
import { startServerProcess, type ServerProcess } from '../helpers/server-process';
import { Db } from '../../storage/sqlite/db';
import { loadMigrations } from '../../storage/sqlite/migrate';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

describe("data directory of release r1 (committed fixture) in today's server", () => {
  const ids: FixtureManifest = readFixtureIds();
  let dataDir: string;
  let work: string;
  let s: ServerProcess;
  let admin: string;
  let ines: string;

  beforeAll(async () => {
    dataDir = copyFixtureDataDir();
    work = fs.mkdtempSync(path.join(path.dirname(dataDir), 'argus-datadir-r1-work-'));
    s = await startServerProcess(dataDir);
    admin = await s.login('admin', ids.adminPassword);
    ines = await s.login(ids.investigator.username, ids.investigator.password);
  }, 90_000);

  afterAll(async () => {
    if (s) expect(await s.stop()).toBe(0);
    for (const d of [dataDir, work]) if (d) fs.rmSync(d, { recursive: true, force: true });
  });

  const get = async <T>(p: string, token = admin): Promise<T> => {
    const r = await s.api<T>('GET', p, token);
    expect(r.status, `GET ${p}: ${JSON.stringify(r.body)}`).toBe(200);
    return r.body;
  };
  const allSegments = (id: number) => get<Segment[]>(`/api/v1/segments?cameraId=${id}&startMs=0&endMs=${Date.now() + 86_400_000}`);

  it('keeps the cameras, their settings and map place, and the units with their GPS tracks', async () => {
    const gate = await get<Camera>(`/api/v1/cameras/${ids.cameras.gate}`);
    expect(gate).toMatchObject({ id: ids.cameras.gate, name: 'Gate North', enabled: false, segmentSeconds: 2, retentionDays: 3650, groupName: 'North yard' });
    const dock = await get<Camera>(`/api/v1/cameras/${ids.cameras.dock}`);
    expect(dock).toMatchObject({ id: ids.cameras.dock, name: 'Dock East', enabled: true, url: 'rtsp://127.0.0.1:9/dock', groupName: 'East dock' });
    expect(await get<Camera>(`/api/v1/cameras/${ids.cameras.ptz}`)).toMatchObject({
      id: ids.cameras.ptz,
      name: 'Yard PTZ',
      enabled: false,
      groupName: 'North yard',
    });
    expect((await get<Camera[]>('/api/v1/cameras')).map((c) => c.id).sort()).toEqual(Object.values(ids.cameras).sort());

    const patrol = await get<Unit>(`/api/v1/units/${ids.units.patrol}`);
    expect(patrol).toMatchObject({
      id: ids.units.patrol,
      callsign: 'PATROL-7',
      type: 'vehicle',
      officer: 'Wang Wei',
      groupName: 'Patrol',
      retentionDays: 3650,
    });
    expect(await get<Unit>(`/api/v1/units/${ids.units.body}`)).toMatchObject({ id: ids.units.body, callsign: 'BODY-12', type: 'body', officer: 'Li Na' });

    // The PTZ camera's ONVIF link, presets and tour (the device itself is unreachable now: they come from storage).
    const device = (await get<OnvifDeviceView[]>('/api/v1/onvif/devices')).find((d) => d.id === ids.onvif.device);
    expect(device).toMatchObject({ cameraIds: [ids.cameras.ptz], manufacturer: 'FixtureCam', model: 'PTZ-1', serial: 'FX0017', hasPassword: true });
    // The ONVIF link names its device: ONVIF link 1 belongs to device 5 (the PTZ camera's id, kept by the migration).
    expect([ids.onvif.device, ids.cameras.ptz]).toEqual([1, 5]);
    expect(device).toMatchObject({ id: 1, deviceId: 5 });
    expect(await get<DeviceView>(`/api/v1/devices/${device!.deviceId}`)).toMatchObject({
      id: 5,
      kind: 'onvif',
      channels: [expect.objectContaining({ id: ids.cameras.ptz })],
    });
    expect((await get<PtzPreset[]>(`/api/v1/cameras/${ids.cameras.ptz}/ptz/presets`)).map((p) => p.id).sort()).toEqual([...ids.onvif.presets].sort());
    expect((await get<PtzTour[]>(`/api/v1/cameras/${ids.cameras.ptz}/ptz/tours`)).find((t) => t.id === ids.onvif.tour)).toMatchObject({
      name: 'Yard round',
      steps: ids.onvif.presets.map((presetId) => ({ presetId, dwellSeconds: 10 })),
    });

    const placed = await get<CameraPlacement[]>('/api/v1/gps/cameras');
    expect(placed.find((p) => p.cameraId === ids.cameras.gate)).toMatchObject({ lat: 39.9042, lon: 116.4074, viewDeg: 135 });

    for (const [unitId, times] of Object.entries(ids.gpsPoints)) {
      const points = await get<TrackPointView[]>(`/api/v1/gps/units/${unitId}/track?startMs=${times[0]! - 1000}&endMs=${times.at(-1)! + 1000}`);
      expect(
        points.map((p) => p.tMs),
        `track of unit ${unitId}`,
      ).toEqual(times);
    }
  });

  it('keeps every segment: listed by id, in the playback playlist, and playable from the playback pieces', async () => {
    for (const [sourceId, segIds] of Object.entries(ids.segments)) {
      const segs = await allSegments(Number(sourceId));
      expect(
        segs.map((x) => x.id).sort((a, b) => a - b),
        `segments of ${sourceId}`,
      ).toEqual([...segIds].sort((a, b) => a - b));
      expect(segs.every((x) => x.state === 'closed' && x.durationMs > 0 && x.videoCodec === 'h264')).toBe(true);
      const startMs = Math.min(...segs.map((x) => x.startMs));
      const endMs = Math.max(...segs.map((x) => x.endMs));
      const map = await get<PlaybackMap>(`/api/v1/playback-map/${sourceId}?startMs=${startMs}&endMs=${endMs}`);
      expect(new Set(map.pieces.map((p) => p.segmentId))).toEqual(new Set(segIds));
      const playlist = await (await fetch(`${s.base}${map.playlist}`)).text(); // the map's signed link, no session token
      const pieceUrls = playlist.split('\n').filter((l) => l && !l.startsWith('#'));
      for (const id of segIds) {
        // The pieces of one segment, fetched as a player would and joined, are that segment's media: ffprobe reads it, ffmpeg decodes it without error.
        const urls = pieceUrls.filter((u) => u.includes(`/piece/${id}/`));
        expect(urls.length, `playlist pieces of segment ${id}`).toBeGreaterThan(0);
        const bytes = await Promise.all(
          urls.map(async (u) => {
            const r = await fetch(new URL(u, s.base), { headers: { authorization: `Bearer ${admin}` } });
            expect(r.status).toBe(200);
            return Buffer.from(await r.arrayBuffer());
          }),
        );
        const file = path.join(work, `seg-${id}.ts`);
        fs.writeFileSync(file, Buffer.concat(bytes));
        const seg = segs.find((x) => x.id === id)!;
        const probedMs = ffprobeFile(file).durationS * 1000;
        expect(probedMs).toBeGreaterThan(0);
        expect(Math.abs(probedMs - seg.durationMs), `segment ${id}: ${probedMs} ms played, ${seg.durationMs} ms indexed`).toBeLessThan(500);
        expect(decodeErrors(file)).toBe('');
      }
    }
    // The gate camera's audio is still there.
    expect((await allSegments(ids.cameras.gate)).every((x) => x.audioCodec === 'aac')).toBe(true);
  }, 60_000);

  it('keeps the saved layout, the case with its bookmark, snapshot, export and legal hold', async () => {
    const layouts = await get<WallLayout[]>('/api/v1/layouts');
    expect(layouts.find((l) => l.id === ids.layout)).toMatchObject({
      name: 'Fixture wall',
      layout: '4',
      tiles: [ids.cameras.gate, ids.cameras.dock, ids.units.patrol, null],
    });

    const kase = await get<Case>(`/api/v1/cases/${ids.caseId}`, ines);
    expect(kase).toMatchObject({ id: ids.caseId, reference: ids.caseReference, bookmarks: 1, exports: 1 });
    expect(kase.hold).toMatchObject({ id: ids.hold, segments: ids.heldSegments, releasedMs: null });
    const held = (await Promise.all(Object.keys(ids.segments).map((id) => allSegments(Number(id))))).flat().filter((x) => x.protected);
    expect(held.length).toBe(ids.heldSegments);

    const bookmarks = await get<Bookmark[]>(`/api/v1/bookmarks?caseId=${ids.caseId}`, ines);
    expect(bookmarks.map((b) => b.id)).toEqual([ids.bookmark]);
    expect(bookmarks[0]).toMatchObject({ cameraId: ids.cameras.gate, note: 'car at the gate' });

    const snaps = await get<Snapshot[]>(`/api/v1/snapshots?caseId=${ids.caseId}`, ines);
    expect(snaps.map((x) => x.id)).toEqual([ids.snapshot]);
    const jpg = await fetch(`${s.base}/api/v1/snapshot-files/${ids.snapshot}.jpg`, { headers: { authorization: `Bearer ${ines}` } });
    expect(jpg.status).toBe(200);
    expect(
      crypto
        .createHash('sha256')
        .update(Buffer.from(await jpg.arrayBuffer()))
        .digest('hex'),
    ).toBe(snaps[0]!.sha256);

    const job = await get<ExportJob>(`/api/v1/exports/${ids.exportId}`, ines);
    expect(job).toMatchObject({ id: ids.exportId, caseId: ids.caseId, state: 'done', dirName: ids.exportDir });
    // The package, downloaded as one archive and unpacked, still verifies against its manifest.
    const zip = await fetch(`${s.base}/api/v1/export-files/${ids.exportId}.zip`, { headers: { authorization: `Bearer ${ines}` } });
    expect(zip.status).toBe(200);
    const zipFile = path.join(work, 'package.zip');
    fs.writeFileSync(zipFile, Buffer.from(await zip.arrayBuffer()));
    const out = path.join(work, 'unpacked');
    expect(spawnSync('unzip', ['-q', zipFile, '-d', out]).status).toBe(0);
    const v = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/verify-export.ts'), path.join(out, ids.exportDir), '--allow-unsigned'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(v.status, v.stdout + v.stderr).toBe(0);
    // Made before manifests were signed (issue 13): only its hashes can be checked, and the tool says so.
    expect(v.stdout).toContain('UNSIGNED the manifest carries no signature');
  }, 60_000);

  it('keeps the alarms (closed with its steps, open), the rule, the geofence and every audit row', async () => {
    const closed = await get<Alarm>(`/api/v1/alarms/${ids.alarms.closed}`);
    expect(closed).toMatchObject({ id: ids.alarms.closed, state: 'closed', sourceId: ids.cameras.dock, severity: 'major' });
    expect(closed.steps.map((x) => [x.state, x.note])).toEqual(
      expect.arrayContaining([
        ['acknowledged', 'patrol sent'],
        ['closed', 'false alarm: a fox'],
      ]),
    );
    // Its linkage outcome, stored before outcome codes (migration 011): no code, its text kept for the console to show as is.
    expect(closed.actions.map((a) => [a.kind, a.code, a.params, a.message])).toEqual([
      ['wall', null, {}, `camera ${ids.cameras.dock} → window 0, next free tile`],
    ]);
    const open = await get<Alarm>(`/api/v1/alarms/${ids.alarms.open}`);
    expect(open).toMatchObject({ id: ids.alarms.open, state: 'new', sourceId: ids.units.patrol, severity: 'critical' });

    expect((await get<AlarmRule[]>('/api/v1/alarm-rules')).find((r) => r.id === ids.alarmRule)).toMatchObject({
      name: 'Dock to wall',
      sourceIds: [ids.cameras.dock],
    });
    expect((await get<Geofence[]>('/api/v1/gps/geofences')).find((g) => g.id === ids.geofence)).toMatchObject({ name: 'Depot' });

    const audit = await get<AuditEntry[]>('/api/v1/audit?limit=5000');
    const byId = new Map(audit.map((a) => [a.id, a.action]));
    for (const row of ids.auditActions) expect(byId.get(row.id), `audit row ${row.id}`).toBe(row.action);
  });

  it('stores them in the device model (migration 014): channel ids = camera and unit ids, device ids kept, the groups as nodes', async () => {
    // A second connection to the server's live database (WAL: readers do not block it).
    const db = await Db.open(path.join(dataDir, 'argus.db'));
    try {
      // Every migration ran (014 and the later ones).
      expect(await db.get('SELECT max(version) AS v FROM schema_migrations')).toEqual({ v: (await loadMigrations()).length });
      expect(await db.all('SELECT id, device_id FROM channels ORDER BY id')).toEqual(
        [...Object.values(ids.cameras), ...Object.values(ids.units)].sort((a, b) => a - b).map((id) => ({ id, device_id: id })),
      );
      expect(await db.all('SELECT d.id, d.kind, d.callsign, n.name AS node FROM devices d JOIN org_nodes n ON n.id = d.node_id ORDER BY d.id')).toEqual([
        { id: ids.cameras.gate, kind: 'rtsp', callsign: null, node: 'North yard' },
        { id: ids.cameras.dock, kind: 'rtsp', callsign: null, node: 'East dock' },
        { id: ids.units.patrol, kind: 'agent', callsign: 'PATROL-7', node: 'Patrol' },
        { id: ids.units.body, kind: 'agent', callsign: 'BODY-12', node: '' },
        { id: ids.cameras.ptz, kind: 'onvif', callsign: null, node: 'North yard' },
      ]);
      expect(await db.get('SELECT device_id FROM onvif_devices WHERE id = ?', [ids.onvif.device])).toEqual({ device_id: ids.cameras.ptz });
      expect(await db.get("SELECT next FROM id_counter WHERE name = 'source'")).toEqual({ next: 6 });
    } finally {
      await db.close();
    }
  });
  it('seals the passwords it left in clear or under onvif.key with the secrets key (migration 019), and makes its files owner-only', async () => {
    // What r1 stored: the ONVIF camera's RTSP password in clear, the ONVIF device's sealed (v1) under onvif.key.
    const fixtureDb = `file:${path.join(DATADIR_FIXTURE, 'argus-data', 'argus.db')}?immutable=1`;
    const old = (q: string) => spawnSync('sqlite3', ['-readonly', fixtureDb, q], { encoding: 'utf8' }).stdout.trim();
    const clearRtsp = old(`SELECT password FROM cameras WHERE id = ${ids.cameras.ptz}`);
    const oldOnvif = old(`SELECT password_enc FROM onvif_devices WHERE id = ${ids.onvif.device}`);
    expect(clearRtsp.length).toBeGreaterThan(0);
    expect(oldOnvif).toMatch(/^v1:/);
    const legacyBox = SecretBox.open(
      { keyFile: '/nonexistent', envKey: generateSecretKey(), legacyOnvifKeyFile: path.join(dataDir, 'onvif.key') },
      { mayCreate: false },
    );
    const onvifPassword = legacyBox.open(oldOnvif);

    const db = await Db.open(path.join(dataDir, 'argus.db'));
    try {
      const rtsp = await db.get<{ password: string | null; password_enc: string }>('SELECT password, password_enc FROM rtsp_channels WHERE channel_id = ?', [
        ids.cameras.ptz,
      ]);
      const onvif = await db.get<{ password_enc: string }>('SELECT password_enc FROM onvif_devices WHERE id = ?', [ids.onvif.device]);
      const box = SecretBox.open(secretKeySourceOf({ dataDir, secretsKeyFile: path.join(dataDir, 'secrets.key') }), { mayCreate: false });
      expect(rtsp!.password).toBeNull();
      expect(rtsp!.password_enc).toMatch(new RegExp(`^s1:${box.keyId}:`));
      expect(box.open(rtsp!.password_enc)).toBe(clearRtsp);
      expect(onvif!.password_enc).toMatch(new RegExp(`^s1:${box.keyId}:`));
      expect(box.open(onvif!.password_enc)).toBe(onvifPassword);
      expect(await db.get('SELECT count(*) AS n FROM rtsp_channels WHERE password IS NOT NULL')).toEqual({ n: 0 });
    } finally {
      await db.close();
    }
    const mode = (p: string) => (fs.statSync(path.join(dataDir, p)).mode & 0o777).toString(8);
    expect([mode('.'), mode('argus.db'), mode('secrets.key'), mode('onvif.key'), mode('recordings'), mode('exports')]).toEqual([
      '700',
      '600',
      '600',
      '600',
      '700',
      '700',
    ]);
  });

  it('answers the new API over the upgraded data: devices, channels, the tree with the old groups, search', async () => {
    const patrol = await get<DeviceView>(`/api/v1/devices/${ids.units.patrol}`);
    expect(patrol).toMatchObject({
      id: ids.units.patrol,
      kind: 'agent',
      name: 'PATROL-7',
      mobile: { callsign: 'PATROL-7', type: 'vehicle', officer: 'Wang Wei' },
    });
    expect(patrol.channels.map((c) => c.id)).toEqual([ids.units.patrol]);
    const ptz = await get<ChannelView>(`/api/v1/channels/${ids.cameras.ptz}`);
    expect(ptz).toMatchObject({ id: ids.cameras.ptz, deviceId: ids.cameras.ptz, name: 'Yard PTZ', ptz: true, enabled: false });
    const gate = await get<ChannelView>(`/api/v1/channels/${ids.cameras.gate}`);
    expect(gate.place).not.toBeNull();
    expect((await get<ChannelView[]>('/api/v1/channels?placed=true')).map((c) => c.id)).toContain(ids.cameras.gate);
    const tree = await get<OrgTree>('/api/v1/org/tree');
    const byName = new Map(tree.nodes.map((n) => [n.name, n]));
    expect(tree.nodes[0]).toMatchObject({ id: 1, parentId: null, name: '', path: [1] });
    expect([...byName.keys()].filter((n) => n !== '').sort()).toEqual(['East dock', 'North yard', 'Patrol']);
    for (const n of ['East dock', 'North yard', 'Patrol']) expect(byName.get(n)!.parentId).toBe(1);
    expect(tree.nodes[0]!.counts).toMatchObject({ devices: 5, channels: 5 });
    expect(byName.get('North yard')!.counts).toMatchObject({ devices: 2, channels: 2 });
    const refs = await get<ChannelRef[]>(`/api/v1/org/nodes/${byName.get('North yard')!.id}/channels?recursive=true`);
    expect(refs.map((r) => r.channelId).sort()).toEqual([ids.cameras.gate, ids.cameras.ptz].sort());
    const hits = await get<OrgSearchHit[]>('/api/v1/org/search?q=patrol-7');
    expect(hits.map((h) => [h.kind, h.id])).toEqual([
      ['device', ids.units.patrol],
      ['channel', ids.units.patrol],
    ]);
    expect((await get<DeviceView[]>('/api/v1/devices?mobile=true')).map((d) => d.id).sort()).toEqual(Object.values(ids.units).sort());
  });
});

// Migration 014 (devices, channels, organisation tree) on a copy of the r1 data directory fixture: nothing lost, ids kept, all or nothing.
import { appendFile, copyFile, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore, type SqliteStore } from './index';
import { loadMigrations, MIGRATIONS_DIR } from './migrate';
import { makeTempDir } from './test-utils';

const FIXTURE = fileURLToPath(new URL('../../test/fixtures/datadir-r1/', import.meta.url));
const quiet = { log: () => undefined };

interface Ids {
  cameras: { gate: number; dock: number; ptz: number };
  onvif: { device: number; presets: number[]; tour: number };
  units: { patrol: number; body: number };
  segments: Record<string, number[]>;
  gpsPoints: Record<string, number[]>;
  auditActions: Array<{ id: number; action: string }>;
  layout: number;
  caseId: number;
  bookmark: number;
  snapshot: number;
  exportId: number;
  hold: number;
  heldSegments: number;
  alarms: { closed: number; open: number };
}

/** Evidence and other tables 014 must not change (columns as r1 had them; 014 and later migrations only add columns: alarms, events, users, cases). */
const KEPT: Record<string, string> = {
  segments: '*',
  segment_totals: '*',
  events: 'id, camera_id, type, state, start_ms, end_ms, detail',
  bookmarks: '*',
  snapshots: '*',
  exports: '*',
  cases: 'id, reference, title, created_by, created_ms, updated_ms',
  legal_holds: '*',
  legal_hold_segments: '*',
  wall_layouts: '*',
  wall_states: '*',
  alarm_rules: '*',
  alarms: 'id, source_id, source_name, type, severity, state, first_ms, last_ms, count, message, reporter, cause, reason',
  alarm_steps: '*',
  alarm_actions: '*',
  gps_points: '*',
  gps_geofences: '*',
  users: 'id, username, password_hash, role, display_name, disabled, created_ms, must_change_password, password_changed_ms',
  ptz_presets: '*',
  ptz_tours: '*',
  ptz_user_priority: '*',
};

/** The audit log's columns in r1 (migration 016 adds the hash chain's). */
const AUDIT_R1 = 'id, ts_ms, user_id, username, action, target_type, target_id, detail, ip';

async function dump(store: SqliteStore): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const [table, cols] of Object.entries(KEPT)) out[table] = await store.db.all(`SELECT ${cols} FROM ${table} ORDER BY 1, 2`);
  return out;
}

describe('migration 014 on the r1 data directory fixture', () => {
  let dir: string;
  let ids: Ids;

  beforeEach(async () => {
    dir = await makeTempDir();
    for (const f of await readdir(join(FIXTURE, 'argus-data'))) if (f.startsWith('argus.db')) await copyFile(join(FIXTURE, 'argus-data', f), join(dir, f));
    ids = JSON.parse(await readFile(join(FIXTURE, 'ids.json'), 'utf8')) as Ids;
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** A migrations directory holding 001..`upTo` (and 014 with `append` appended, when upTo is 14). */
  async function migrationsUpTo(upTo: number, append = ''): Promise<string> {
    const migDir = join(dir, `migrations-${upTo}`);
    await mkdir(migDir);
    for (const name of await readdir(MIGRATIONS_DIR)) {
      if (Number(name.slice(0, 3)) > upTo) continue;
      await copyFile(join(MIGRATIONS_DIR, name), join(migDir, name));
      if (name.startsWith('014_') && append) await appendFile(join(migDir, name), append);
    }
    return migDir;
  }

  it('keeps every id and row, and builds the tree, devices and channels the design names', async () => {
    // r1 brought to 013 (what the previous release would have done), every kept table dumped...
    const before = await openSqliteStore(join(dir, 'argus.db'), { ...quiet, migrationsDir: await migrationsUpTo(13) });
    expect((await before.db.get<{ v: number }>('SELECT max(version) AS v FROM schema_migrations'))!.v).toBe(13);
    const rowsBefore = await dump(before);
    const auditBefore = await before.db.all(`SELECT ${AUDIT_R1} FROM audit_log ORDER BY id`);
    const seqBefore = await before.db.all("SELECT name, seq FROM sqlite_sequence WHERE name IN ('ptz_presets', 'ptz_tours') ORDER BY name");
    await before.close();
    // (the dump holds the fixture's rows, so comparing it means something)
    expect(rowsBefore.segments).toHaveLength(Object.values(ids.segments).flat().length);
    for (const t of [
      'bookmarks',
      'snapshots',
      'exports',
      'cases',
      'legal_holds',
      'wall_layouts',
      'alarm_rules',
      'alarms',
      'gps_points',
      'gps_geofences',
      'ptz_presets',
      'ptz_tours',
    ])
      expect(rowsBefore[t]!.length, t).toBeGreaterThan(0);

    // ...then 014 and every later one: the same rows, byte for byte.
    const s = await openSqliteStore(join(dir, 'argus.db'), quiet);
    expect((await s.db.get<{ v: number }>('SELECT max(version) AS v FROM schema_migrations'))!.v).toBe((await loadMigrations()).length);
    expect(await s.db.all('PRAGMA foreign_key_check')).toEqual([]);
    expect(await s.db.get('PRAGMA integrity_check')).toEqual({ integrity_check: 'ok' });
    expect(await dump(s)).toEqual(rowsBefore);
    expect(await s.db.all("SELECT name, seq FROM sqlite_sequence WHERE name IN ('ptz_presets', 'ptz_tours') ORDER BY name")).toEqual(seqBefore);
    const audit = await s.db.all<{ id: number; action: string; detail: string }>(`SELECT ${AUDIT_R1} FROM audit_log ORDER BY id`);
    expect(audit.slice(0, auditBefore.length)).toEqual(auditBefore);
    for (const row of ids.auditActions) expect(audit.find((a) => a.id === row.id)?.action, `audit row ${row.id}`).toBe(row.action);
    expect(audit.length).toBe(auditBefore.length + 1);
    expect(audit.at(-1)).toMatchObject({ action: 'devices.migrated' });
    expect(JSON.parse(audit.at(-1)!.detail)).toEqual({ nodes: 4, devices: 5, channels: 5, onvifMerged: [], groupsLeft: [] });

    // The tree: the root and one node per group.
    expect((await s.org.list()).map((n) => [n.id, n.parentId, n.name, n.path, n.depth])).toEqual([
      [1, null, '', [1], 0],
      [3, 1, 'East dock', [1, 3], 1],
      [2, 1, 'North yard', [1, 2], 1],
      [4, 1, 'Patrol', [1, 4], 1],
    ]);
    // Devices: each camera and unit keeps its id; the ONVIF device takes its camera's.
    const devices = await s.devices.list();
    expect(devices.map((d) => [d.id, d.kind, d.nodeId, d.name, d.enabled])).toEqual([
      [ids.cameras.gate, 'rtsp', 2, 'Gate North', true],
      [ids.cameras.dock, 'rtsp', 3, 'Dock East', true],
      [ids.units.patrol, 'agent', 4, 'PATROL-7', true],
      [ids.units.body, 'agent', 1, 'BODY-12', true],
      [ids.cameras.ptz, 'onvif', 2, 'FixtureCam PTZ-1', true],
    ]);
    expect(devices[2]!.mobile).toEqual({ callsign: 'PATROL-7', type: 'vehicle', officer: 'Wang Wei', plate: null });
    expect(devices[3]!.mobile).toEqual({ callsign: 'BODY-12', type: 'body', officer: 'Li Na', plate: null });
    expect(devices[4]).toMatchObject({ vendor: 'FixtureCam', model: 'PTZ-1', serial: 'FX0017', mobile: null });
    // Channels: one per camera and unit, same id, channel 1 of its device.
    const channels = await s.channels.list();
    expect(channels.map((c) => [c.id, c.deviceId, c.ordinal, c.enabled, c.recordMode, c.segmentSeconds, c.retentionDays])).toEqual(
      [1, 2, 3, 4, 5].map((id) => [id, id, 1, id !== ids.cameras.gate && id !== ids.cameras.ptz, 'continuous', 2, 3650]),
    );
    expect(channels[0]!.place).toEqual({ lat: 39.9042, lon: 116.4074, viewDeg: 135 });
    expect(channels[4]).toMatchObject({ name: 'Yard PTZ', ptz: true, videoCodec: 'H264', place: null });
    expect(await s.rtsp.get(ids.cameras.dock)).toMatchObject({ url: 'rtsp://127.0.0.1:9/dock', transport: 'tcp' });
    expect(await s.rtsp.get(ids.units.patrol)).toBeNull();
    expect((await s.agents.list()).map((a) => a.deviceId)).toEqual([ids.units.patrol, ids.units.body]);
    expect((await s.onvif.listDevices()).map((d) => [d.id, d.deviceId, d.manufacturer, d.serial])).toEqual([
      [ids.onvif.device, ids.cameras.ptz, 'FixtureCam', 'FX0017'],
    ]);
    expect((await s.onvif.listLinks()).map((l) => [l.cameraId, l.deviceId, l.ptz])).toEqual([[ids.cameras.ptz, ids.onvif.device, true]]);

    // The old views answer as r1 did.
    const cams = await s.cameras.list();
    expect(cams.map((c) => [c.id, c.kind, c.name, c.enabled, c.groupName])).toEqual([
      [ids.cameras.gate, 'rtsp', 'Gate North', false, 'North yard'],
      [ids.cameras.dock, 'rtsp', 'Dock East', true, 'East dock'],
      [ids.units.patrol, 'uplink', 'PATROL-7', true, 'Patrol'],
      [ids.units.body, 'uplink', 'BODY-12', true, null],
      [ids.cameras.ptz, 'rtsp', 'Yard PTZ', false, 'North yard'],
    ]);
    expect((await s.units.list()).map((u) => [u.id, u.callsign, u.type, u.officer, u.groupName])).toEqual([
      [ids.units.patrol, 'PATROL-7', 'vehicle', 'Wang Wei', 'Patrol'],
      [ids.units.body, 'BODY-12', 'body', 'Li Na', null],
    ]);
    expect((await s.gps.placements()).map((p) => [p.cameraId, p.kind, p.lat, p.lon, p.viewDeg])).toEqual([[ids.cameras.gate, 'rtsp', 39.9042, 116.4074, 135]]);

    // Evidence by id through the repositories.
    for (const [sourceId, segIds] of Object.entries(ids.segments)) {
      const segs = await s.segments.listRange(Number(sourceId), 0, Number.MAX_SAFE_INTEGER, 100);
      expect(
        segs.map((x) => x.id).sort((a, b) => a - b),
        `segments of ${sourceId}`,
      ).toEqual([...segIds].sort((a, b) => a - b));
    }
    expect((await s.db.get<{ n: number }>('SELECT count(*) AS n FROM segments WHERE protected = 1'))!.n).toBe(ids.heldSegments);
    expect((await s.onvif.listPresets(ids.cameras.ptz)).map((p) => p.id)).toEqual(ids.onvif.presets);
    expect((await s.onvif.listTours(ids.cameras.ptz)).map((t) => t.id)).toEqual([ids.onvif.tour]);
    for (const [unitId, times] of Object.entries(ids.gpsPoints)) {
      const track = await s.gps.track(Number(unitId), times[0]!, times.at(-1)!, 1000);
      expect(
        track.map((p) => p.tMs),
        `track of ${unitId}`,
      ).toEqual(times);
    }
    // Alarms name their device and channel (the unit's alarms: device and channel 3).
    expect(
      await s.db.all('SELECT id, source_id, device_id, channel_id FROM alarms WHERE id IN (?, ?) ORDER BY id', [ids.alarms.closed, ids.alarms.open]),
    ).toEqual([
      { id: ids.alarms.closed, source_id: ids.cameras.dock, device_id: ids.cameras.dock, channel_id: ids.cameras.dock },
      { id: ids.alarms.open, source_id: ids.units.patrol, device_id: ids.units.patrol, channel_id: ids.units.patrol },
    ]);

    // Counters: a new preset is 8 (r1's sequence was at 7), a new device and its channel 6.
    expect((await s.onvif.upsertPreset(ids.cameras.ptz, 'new-token', 'New')).id).toBe(8);
    expect(await s.devices.nextId()).toBe(6);
    const made = await s.devices.createWithChannels(
      {
        device: { nodeId: 2, kind: 'rtsp', name: 'New gate' },
        channels: [
          {
            name: 'New gate',
            segmentSeconds: 2,
            retentionDays: 30,
            rtsp: { url: 'rtsp://10.0.0.9/', subUrl: null, username: null, password: null, transport: 'tcp' },
          },
        ],
      },
      1,
    );
    expect([made.device.id, made.channels[0]!.id]).toEqual([6, 6]);

    // Deleting the ONVIF device's configuration keeps its recordings.
    expect(await s.devices.delete(ids.cameras.ptz)).toBe(true);
    expect(await s.channels.get(ids.cameras.ptz)).toBeNull();
    expect(await s.onvif.listDevices()).toEqual([]);
    expect(await s.db.get('SELECT count(*) AS n FROM ptz_presets WHERE camera_id = ?', [ids.cameras.ptz])).toEqual({ n: 0 });
    expect((await s.segments.listRange(ids.cameras.ptz, 0, Number.MAX_SAFE_INTEGER, 100)).map((x) => x.id).sort((a, b) => a - b)).toEqual(
      [...ids.segments[String(ids.cameras.ptz)]!].sort((a, b) => a - b),
    );
    await s.close();
  });

  it('is all or nothing: a failing statement at its end leaves schema version 13 and the cameras; the next start runs it again', async () => {
    const broken = await migrationsUpTo(14, '\nINSERT INTO no_such_table (x) VALUES (1);\n');
    await expect(openSqliteStore(join(dir, 'argus.db'), { ...quiet, migrationsDir: broken })).rejects.toThrow(/no such table: no_such_table/);

    const after13 = await openSqliteStore(join(dir, 'argus.db'), { ...quiet, migrationsDir: await migrationsUpTo(13) });
    expect((await after13.db.get<{ v: number }>('SELECT max(version) AS v FROM schema_migrations'))!.v).toBe(13);
    expect(await after13.db.all('SELECT id, name, kind FROM cameras ORDER BY id')).toEqual([
      { id: 1, name: 'Gate North', kind: 'rtsp' },
      { id: 2, name: 'Dock East', kind: 'rtsp' },
      { id: 3, name: 'PATROL-7', kind: 'uplink' },
      { id: 4, name: 'BODY-12', kind: 'uplink' },
      { id: 5, name: 'Yard PTZ', kind: 'rtsp' },
    ]);
    expect(await after13.db.get("SELECT name FROM sqlite_schema WHERE name IN ('devices', 'channels', 'org_nodes', 'id_counter')")).toBeUndefined();
    expect(await after13.db.get("SELECT count(*) AS n FROM audit_log WHERE action = 'devices.migrated'")).toEqual({ n: 0 });
    await after13.close();

    const s = await openSqliteStore(join(dir, 'argus.db'), quiet);
    expect((await s.devices.list()).map((d) => d.id)).toEqual([1, 2, 3, 4, 5]);
    expect(await s.devices.nextId()).toBe(6);
    await s.close();
  });
});

// Export of a unit: its recording as MP4 and its GPS track as GPX and KML (from a PlaceQueries made here), all listed and hashed in the manifest.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportJob, Manifest } from '../../../common/investigation';
import { loadConfig } from '../../config';
import { AuditLog } from '../audit-log';
import { openTempStore, type TempStore } from '../../../storage/sqlite/test-utils';
import { indexSegments, makeSegments } from '../../../test/e2e/investigation-fixtures';
import type { PlaceQueries, TrackPoint } from '../contracts';
import type { FeatureContext } from '../features';
import { verifyPackage } from './manifest';
import { InvestigationService } from './service';
import { testLauncher } from '../../../test/harness/ffmpeg';

describe('export of a unit with its GPS track', () => {
  let t: TempStore;
  let svc: InvestigationService;
  let unitId: number;
  const jobs: ExportJob[] = [];
  const t0 = Math.floor((Date.now() - 3_600_000) / 1000) * 1000;

  beforeAll(async () => {
    t = await openTempStore();
    const config = loadConfig({ dataDir: t.dir, env: {} });
    unitId = (
      await t.store.units.create(
        {
          callsign: 'PATROL-12',
          type: 'vehicle',
          officer: 'Li',
          enabled: false,
          groupName: null,
          segmentSeconds: 6,
          retentionDays: 30,
          streamKeyHash: 'b'.repeat(64),
        },
        t0,
      )
    ).id;
    await indexSegments(t.store, unitId, await makeSegments(config.recordingsDir, unitId, t0, 2, 6));
    await t.store.db.exec('CREATE TABLE test_track (unit_id INTEGER, t_ms INTEGER, lat REAL, lon REAL)');
    for (let k = 0; k < 12; k++) await t.store.db.run('INSERT INTO test_track VALUES (?, ?, ?, ?)', [unitId, t0 + k * 1000, 31.23 + k * 1e-4, 121.47]);
    const places: PlaceQueries = {
      unitsNear: async () => [],
      camerasNear: async () => [],
      async track(id, a, b, limit = 1000) {
        const rows = await t.store.db.all<{ unit_id: number; t_ms: number; lat: number; lon: number }>(
          'SELECT * FROM test_track WHERE unit_id = ? AND t_ms BETWEEN ? AND ? ORDER BY t_ms LIMIT ?',
          [id, a, b, limit],
        );
        return rows.map((r): TrackPoint => ({
          unitId: r.unit_id,
          tMs: r.t_ms,
          lat: r.lat,
          lon: r.lon,
          altM: null,
          speedMps: null,
          headingDeg: null,
          accuracyM: null,
        }));
      },
    };
    const ctx = {
      config,
      store: t.store,
      log: () => undefined,
      now: Date.now,
      publish: (ev: { type: string; export?: ExportJob }) => ev.export && jobs.push(ev.export),
      onServerEvent: () => () => undefined,
      audit: new AuditLog(t.store, Date.now),
      ffmpeg: testLauncher(),
    } as unknown as FeatureContext;
    svc = new InvestigationService(ctx, places, { exportsDir: path.join(t.dir, 'exports'), snapshotsDir: path.join(t.dir, 'snapshots') });
  }, 60_000);

  afterAll(async () => {
    await svc.exports.close();
    await t.cleanup();
  });

  it('writes MP4, GPX and KML, hashes them in the manifest and reports progress as events', async () => {
    const kase = await svc.createCase(
      { reference: 'GPS-1', title: '' },
      { actor: { kind: 'user', userId: 1, username: 'ines', role: 'investigator' }, access: null },
    );
    const job = await svc.createExport(
      { caseId: kase.id, sources: [{ cameraId: unitId }], startMs: t0 + 2000, endMs: t0 + 9000 },
      { actor: { kind: 'user', userId: 1, username: 'ines', role: 'investigator' }, access: null },
    );
    const deadline = Date.now() + 60_000;
    let done = await svc.getExport(job.id, null);
    while (done.state !== 'done' && done.state !== 'failed' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      done = await svc.getExport(job.id, null);
    }
    expect(done.state, done.error ?? '').toBe('done');
    const dir = svc.exportDir(done);
    const m = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
    expect(m.files.map((f) => f.path)).toEqual(['tracks/01-PATROL-12.gpx', 'tracks/01-PATROL-12.kml', 'video/01-PATROL-12.mp4']);
    expect(m.sources[0]).toMatchObject({ kind: 'unit', name: 'PATROL-12', cameraId: unitId });
    const gpx = fs.readFileSync(path.join(dir, 'tracks/01-PATROL-12.gpx'), 'utf8');
    expect(gpx.match(/<trkpt /g)).toHaveLength(8); // t0+2 s .. t0+9 s
    expect(gpx).toContain(`<time>${new Date(t0 + 2000).toISOString()}</time>`);
    const kml = fs.readFileSync(path.join(dir, 'tracks/01-PATROL-12.kml'), 'utf8');
    expect(kml.match(/<gx:coord>/g)).toHaveLength(8);
    expect(kml).toContain('<gx:coord>121.4700000 31.2302000 0</gx:coord>');
    expect((await verifyPackage(dir)).ok).toBe(true);
    const states = jobs.filter((j) => j.id === job.id).map((j) => j.state);
    expect(states[0]).toBe('queued');
    expect(states).toContain('running');
    expect(states.at(-1)).toBe('done');
  }, 90_000);
});

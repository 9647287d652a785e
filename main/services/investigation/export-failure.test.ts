// A failed export keeps its reason as a registered code (worded by the console) and its English text for the log.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportJob } from '../../../common/investigation';
import { isMessageCode } from '../../../common/messages';
import { loadConfig } from '../../config';
import { AuditLog } from '../audit-log';
import { openTempStore, type TempStore } from '../../../storage/sqlite/test-utils';
import { indexSegments, makeSegments } from '../../../test/e2e/investigation-fixtures';
import type { PlaceQueries } from '../contracts';
import type { FeatureContext } from '../features';
import { InvestigationService } from './service';
import { testLauncher } from '../../../test/harness/ffmpeg';

describe('a failed export', () => {
  let t: TempStore;
  let svc: InvestigationService;
  let camId: number;
  let relPaths: string[];
  const logs: string[] = [];
  const t0 = Math.floor((Date.now() - 3_600_000) / 1000) * 1000;
  const who = { actor: { kind: 'user' as const, userId: 1, username: 'ines', role: 'investigator' as const }, access: null };

  beforeAll(async () => {
    t = await openTempStore();
    const config = loadConfig({ dataDir: t.dir, env: {} });
    camId = (
      await t.store.units.create(
        {
          callsign: 'GATE',
          type: 'vehicle',
          officer: 'Li',
          enabled: false,
          groupName: null,
          segmentSeconds: 6,
          retentionDays: 30,
          streamKeyHash: 'c'.repeat(64),
        },
        t0,
      )
    ).id;
    const segs = await makeSegments(config.recordingsDir, camId, t0, 2, 6);
    await indexSegments(t.store, camId, segs);
    relPaths = (await t.store.segments.listRange(camId, t0, t0 + 60_000, 100)).map((s) => path.join(config.recordingsDir, ...s.relPath.split('/')));
    const places: PlaceQueries = { unitsNear: async () => [], camerasNear: async () => [], track: async () => [] };
    const ctx = {
      config,
      store: t.store,
      log: (m: string) => logs.push(m),
      now: Date.now,
      publish: () => undefined,
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

  it('whose segment vanished says so as a code with the source name, and keeps the English text and the log line', async () => {
    expect(relPaths.length).toBeGreaterThan(0);
    for (const f of relPaths) fs.rmSync(f);
    const kase = await svc.createCase({ reference: 'FAIL-1', title: '' }, who);
    const job = await svc.createExport({ caseId: kase.id, sources: [{ cameraId: camId }], startMs: t0 + 1000, endMs: t0 + 9000 }, who);
    const deadline = Date.now() + 60_000;
    let done: ExportJob = await svc.getExport(job.id, null);
    while (done.state !== 'failed' && done.state !== 'done' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      done = await svc.getExport(job.id, null);
    }
    expect(done.state).toBe('failed');
    expect(done.reason).toEqual({ code: 'export.segment_missing', params: { source: 'GATE' } });
    expect(isMessageCode(done.reason!.code)).toBe(true);
    expect(done.error).toMatch(/is missing/);
    expect(logs.some((l) => l.includes(`[export ${job.id}] failed`))).toBe(true);
    // Read back from storage (a restart): the same reason.
    const again = await t.store.investigation.getExport(job.id);
    expect(again?.reason).toEqual(done.reason);
  });
});

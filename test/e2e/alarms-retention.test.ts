// Retention on a real 64 MiB filesystem (tmpfs, mounted by the test): the default minimum free space follows the volume and
// keeps recordings; settings that cannot keep any recording are logged and raised as a system alarm at start (issue 11, 13c).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlarmList } from '../../common/alarms';
import { loadConfig } from '../../main/config';
import { RetentionService } from '../../main/services/retention';
import { openSqliteStore } from '../../storage/sqlite/index';
import { camera, segment } from '../../storage/sqlite/test-utils';
import { eventually, startAlarmServer, type AlarmTestServer } from './alarms-support';

const VOLUME_BYTES = 64 * 1024 ** 2;
const SEGMENTS = 20;
const SEGMENT_BYTES = 1024 ** 2;

describe('retention on a small volume (64 MiB tmpfs)', () => {
  let tmp: string;
  let vol: string;
  let mounted = false;
  const servers: AlarmTestServer[] = [];

  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-e2e-retention-'));
    vol = path.join(tmp, 'vol');
    fs.mkdirSync(vol);
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${VOLUME_BYTES}`, 'argus-test-volume', vol]);
    mounted = true;
  });

  afterAll(async () => {
    for (const s of servers) await s.close().catch(() => undefined);
    if (mounted) execFileSync('umount', [vol]);
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('by default keeps 5 % of the volume free and deletes none of 20 MiB of recordings', async () => {
    const dataDir = path.join(vol, 'default');
    const config = loadConfig({ dataDir, env: {}, overrides: { port: 0, rtmpPort: 0, sipPort: 0 } });
    fs.mkdirSync(config.recordingsDir, { recursive: true });
    const store = await openSqliteStore(config.dbFile);
    const logs: string[] = [];
    try {
      const cam = await store.cameras.create(camera('Small disk'), Date.now());
      const now = Date.now();
      const ids: number[] = [];
      for (let i = 0; i < SEGMENTS; i++) {
        const startMs = now - (SEGMENTS - i) * 60_000;
        const relPath = `${cam.id}/${startMs}-000000.ts`;
        fs.mkdirSync(path.join(config.recordingsDir, String(cam.id)), { recursive: true });
        fs.writeFileSync(path.join(config.recordingsDir, relPath), Buffer.alloc(SEGMENT_BYTES, 0x47));
        ids.push((await store.segments.insert(segment(cam.id, startMs, startMs + 60_000, { relPath, sizeBytes: SEGMENT_BYTES, state: 'closed' }))).id);
      }
      const retention = new RetentionService(
        { recordingsDir: config.recordingsDir, maxRecordingsBytes: config.maxRecordingsBytes, minFreeBytes: config.minFreeBytes, intervalMs: 60_000 },
        { store, log: (m) => logs.push(m) },
      );
      const rep = await retention.runOnce();
      expect(rep.deletedSegments).toBe(0);
      for (const id of ids) expect(await store.segments.get(id)).not.toBeNull();
      expect(fs.readdirSync(path.join(config.recordingsDir, String(cam.id)))).toHaveLength(SEGMENTS);
      expect(config.minFreeBytesFrom).toBe('auto');
      expect(config.minFreeBytes).toBe(Math.floor(VOLUME_BYTES * 0.05));
      expect(await retention.checkSettings()).toBeNull();
      expect(logs.join('\n')).toContain('keeping 3.2 MiB free on a 64.0 MiB volume');
      expect(logs.join('\n')).not.toMatch(/WARN/);
    } finally {
      await store.close();
    }
  });

  it.each([
    ['minFreeBytes at least the volume', { minFreeBytes: 1024 ** 3 }, /minFreeBytes \(1\.0 GiB\) is not smaller than the recordings volume \(64\.0 MiB\)/],
    ['a tiny byte budget', { maxRecordingsBytes: 1024 ** 2 }, /maxRecordingsBytes \(1\.0 MiB\) is smaller than 64\.0 MiB/],
  ])('%s: a warning in the log and a critical system alarm at start', async (_what, overrides, problem) => {
    const dir = fs.mkdtempSync(path.join(vol, 'srv-'));
    const srv = await startAlarmServer({ tmp: dir, overrides });
    servers.push(srv);
    await eventually(
      async () => srv.log.find((l) => /WARN \[retention\] the retention settings cannot keep any recording/.test(l) && problem.test(l)) ?? null,
      10_000,
      'the warning',
    );
    const alarm = await eventually(
      async () => (await srv.api<AlarmList>('GET', '/api/v1/alarms?type=disk_low')).body.alarms.find((a) => a.cause === 'retention_cannot_keep') ?? null,
      10_000,
      'the system alarm',
    );
    expect(alarm).toMatchObject({ sourceId: null, sourceName: 'server', severity: 'critical', state: 'new' });
    expect(alarm.message).toMatch(problem);
    expect(srv.backend.config.minFreeBytesFrom).toBe('minFreeBytes' in overrides ? 'set' : 'auto');
  });
});

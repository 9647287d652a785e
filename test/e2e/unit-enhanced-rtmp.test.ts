// End to end (in-process back end, real hub and ffmpeg): a unit publishing H.265 over Enhanced RTMP is online, and its
// recorder says in words why it cannot record it and raises the recording alarm (no empty "Recording stopped: " loop).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlarmList } from '../../common/alarms';
import type { UnitKey } from '../../common/api';
import type { Backend } from '../../main/server/backend';
import { fieldClip } from '../helpers/clips';
import { publishEnhancedHevc, type EnhancedPublisher } from '../helpers/enhanced-rtmp';
import { startServer, waitFor, type TestServer } from '../harness';

const PASSWORD = 'enhanced-rtmp-chief';
let srv: TestServer;
let tmp: string;
let b: Backend;
let logs: string[] = [];
let pub: EnhancedPublisher | null = null;

async function api<T>(method: string, urlPath: string, body?: unknown): Promise<{ status: number; body: T }> {
  return srv.client.call<T>(method, urlPath, body);
}

beforeAll(async () => {
  srv = await startServer({ tag: 'e2e-ertmp', adminPassword: PASSWORD });
  ({ tmp, logs } = srv);
  b = srv.backend;
});

afterAll(async () => {
  await pub?.stop();
  await srv?.close();
});

describe('a unit publishing H.265 over Enhanced RTMP', () => {
  it('is online, its recorder fails at once naming the cause, and the recording alarm is raised', async () => {
    const created = await api<UnitKey>('POST', '/api/v1/units', { callsign: 'Car 265', type: 'vehicle', segmentSeconds: 2 });
    expect(created.status).toBe(201);
    const id = created.body.unit.id;
    pub = publishEnhancedHevc(created.body.publishUrl, await fieldClip('h265-silent'));
    await pub.ready;
    await waitFor(() => b.units.status(id).online, { what: 'unit online', timeoutMs: 10_000 });
    const failed = await waitFor(
      () => {
        const s = b.units.status(id);
        return s.recording === 'failed' ? s : null;
      },
      { what: 'the unit recorder failed', timeoutMs: 30_000 },
    );
    expect(failed.online).toBe(true);
    expect(failed.lastError).toBe('Unit sends H.265 (or AV1/VP9) over Enhanced RTMP, which this server cannot record yet');
    const alarm = await waitFor(
      async () => {
        const list = (await api<AlarmList>('GET', `/api/v1/alarms?type=recording_failed&sourceId=${id}`)).body;
        return list.alarms[0] ?? null;
      },
      { what: 'a recording_failed alarm for the unit', timeoutMs: 15_000 },
    );
    expect(alarm.sourceId).toBe(id);
    expect(logs.filter((l) => /Recording stopped: ;|Recording stopped: $/.test(l))).toEqual([]);
    expect(fs.existsSync(path.join(tmp, 'data', 'recordings', String(id))) ? fs.readdirSync(path.join(tmp, 'data', 'recordings', String(id))) : []).toEqual([]);
  }, 90_000);
});

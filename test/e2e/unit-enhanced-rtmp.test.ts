// End to end (in-process back end, real hub and ffmpeg): a unit publishing H.265 over Enhanced RTMP is online, and its
// recorder says in words why it cannot record it and raises the recording alarm (no empty "Recording stopped: " loop).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlarmList } from '../../common/alarms';
import type { LoginResponse, UnitKey } from '../../common/api';
import { loadConfig } from '../../main/config';
import { startBackend, type Backend } from '../../main/server/backend';
import { fieldClip } from '../helpers/clips';
import { publishEnhancedHevc, type EnhancedPublisher } from '../helpers/enhanced-rtmp';
import { waitFor } from '../helpers/media-assert';

const PASSWORD = 'enhanced-rtmp-chief';
let tmp: string;
let b: Backend;
let token: string;
const logs: string[] = [];
let pub: EnhancedPublisher | null = null;

async function api<T>(method: string, urlPath: string, body?: unknown): Promise<{ status: number; body: T }> {
  const r = await fetch(`${b.url}${urlPath}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await r.text();
  return { status: r.status, body: text ? (JSON.parse(text) as T) : (undefined as T) };
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-e2e-ertmp-'));
  const config = loadConfig({ dataDir: path.join(tmp, 'data'), env: {}, overrides: { port: 0, rtmpPort: 0 } });
  b = await startBackend(config, { env: { ARGUS_ADMIN_PASSWORD: PASSWORD }, log: (m) => logs.push(m) });
  const login = await fetch(`${b.url}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
  token = ((await login.json()) as LoginResponse).token;
});

afterAll(async () => {
  await pub?.stop();
  await b?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('a unit publishing H.265 over Enhanced RTMP', () => {
  it('is online, its recorder fails at once naming the cause, and the recording alarm is raised', async () => {
    const created = await api<UnitKey>('POST', '/api/v1/units', { callsign: 'Car 265', type: 'vehicle', segmentSeconds: 2 });
    expect(created.status).toBe(201);
    const id = created.body.unit.id;
    pub = publishEnhancedHevc(created.body.publishUrl, await fieldClip('h265-silent'));
    await pub.ready;
    await waitFor(() => b.units.status(id).online, 'unit online', 10_000);
    const failed = await waitFor(() => {
      const s = b.units.status(id);
      return s.recording === 'failed' ? s : null;
    }, 'the unit recorder failed', 30_000);
    expect(failed.online).toBe(true);
    expect(failed.lastError).toBe('Unit sends H.265 (or AV1/VP9) over Enhanced RTMP, which this server cannot record yet');
    const alarm = await waitFor(async () => {
      const list = (await api<AlarmList>('GET', `/api/v1/alarms?type=recording_failed&sourceId=${id}`)).body;
      return list.alarms[0] ?? null;
    }, 'a recording_failed alarm for the unit', 15_000);
    expect(alarm.sourceId).toBe(id);
    expect(logs.filter((l) => /Recording stopped: ;|Recording stopped: $/.test(l))).toEqual([]);
    expect(fs.existsSync(path.join(tmp, 'data', 'recordings', String(id))) ? fs.readdirSync(path.join(tmp, 'data', 'recordings', String(id))) : []).toEqual([]);
  }, 90_000);
});

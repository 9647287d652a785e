// End to end: the real agent CLI started with only --server and --key (no --unit, no --rtmp) asks the server which unit it
// is and where to publish, waits for a server that is not up yet, then its test video is recorded and its NMEA fixture
// drive stored; a wrong key, a disabled unit and a --unit that does not match stop it with the cause in its log.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UnitKey } from '../../common/api';
import { loadConfig, type Config } from '../../main/config';
import type { Backend } from '../../main/server/backend';
import { startServer, waitFor } from '../harness';
import { ffprobeFile } from '../helpers/media-assert';
import { freePort } from '../helpers/net';
import { spawnGroup, type Group } from '../agent/process-group';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const NMEA = path.join(ROOT, 'test', 'fixtures', 'nmea', 'drive-gll-vtg-zda.nmea');
const PASSWORD = 'agent-key-only-chief';
let tmp: string;
let config: Config;
let b: Backend | null = null;
let token: string;
const procs: Group[] = [];

/** The back end on the test's data dir and fixed port (so it can stop and come back where the agent looks), signed in as admin. */
async function start(): Promise<Backend> {
  const srv = await startServer({ tmp, dataDir: config.dataDir, adminPassword: PASSWORD, overrides: { port: config.port } });
  token = srv.token;
  return srv.backend;
}

const admin = async <T>(method: string, p: string, body?: unknown): Promise<T> =>
  (await (
    await fetch(b!.url + p, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  ).json()) as T;

function agent(args: string[], lines: string[]): Group {
  const g = spawnGroup(process.execPath, ['--import', 'tsx', 'agent/cli.ts', ...args], ROOT, lines);
  procs.push(g);
  return g;
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-e2e-agent-key-only-'));
  // rtmpPort 0: the hub listens on a free port, never 1935, so only the server's publish URL reaches it.
  config = loadConfig({ dataDir: path.join(tmp, 'data'), env: {}, overrides: { port: await freePort(), rtmpPort: 0, sipPort: 0 } });
  b = await start();
});

afterAll(async () => {
  await Promise.all(procs.map((g) => g.stop()));
  await b?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('field agent with only the server address and the stream key', () => {
  it('waits for the server, then publishes video the server records and sends GPS the server stores', async () => {
    const unit = await admin<UnitKey>('POST', '/api/v1/units', { callsign: 'Car 41', type: 'vehicle', segmentSeconds: 2 });
    // The agent starts while the server is down: it retries asking for its settings.
    await b!.close();
    b = null;
    const log: string[] = [];
    const a = agent(
      [
        '--server',
        `http://127.0.0.1:${config.port}`,
        '--key',
        unit.streamKey,
        '--video',
        'testsrc',
        '--nmea',
        NMEA,
        '--buffer',
        path.join(tmp, 'b1.jsonl'),
        '--max-backoff-ms',
        '1000',
      ],
      log,
    );
    await waitFor(() => log.filter((l) => /settings failed .*retrying/.test(l)).length >= 2, {
      what: 'agent retrying while the server is down',
      timeoutMs: 30_000,
      intervalMs: 100,
    });
    b = await start();
    const hello = await waitFor(() => log.find((l) => l.includes(`unit ${unit.unit.id} (Car 41)`)), {
      what: 'agent learned its unit from the server',
      timeoutMs: 30_000,
      intervalMs: 100,
    });
    expect(hello).toContain(`127.0.0.1:${b.hub.port}/live/${unit.unit.id}`);
    expect(hello).not.toContain(unit.streamKey);

    // Video: online, and closed segments that ffprobe reads as H.264.
    await waitFor(async () => (await admin<UnitKey['unit']>('GET', `/api/v1/units/${unit.unit.id}`)).status.online, {
      what: 'unit online with video',
      timeoutMs: 60_000,
      intervalMs: 500,
    });
    const segs = await waitFor(
      async () => {
        const s = (await b!.store.segments.listRange(unit.unit.id, 0, Date.now() + 3_600_000, 1000)).filter((x) => x.state === 'closed');
        return s.length >= 2 ? s : null;
      },
      { what: 'two closed segments of the unit', timeoutMs: 60_000, intervalMs: 500 },
    );
    const probe = ffprobeFile(path.join(b.config.recordingsDir, segs[0]!.relPath));
    expect(probe.streams.find((s) => s.codec_type === 'video')?.codec_name).toBe('h264');
    expect(probe.durationS).toBeGreaterThan(0.5);

    // GPS: the fixture's fixes are stored under the unit the key belongs to.
    const track = await waitFor(
      async () => {
        const t = await b!.store.gps.track(unit.unit.id, 0, Date.now() + 3_600_000, 10_000);
        return t.length >= 5 ? t : null;
      },
      { what: 'fixture positions stored', timeoutMs: 60_000, intervalMs: 500 },
    );
    expect(track[0]!.lat).toBeCloseTo(31.23, 1);

    // The server goes away: ffmpeg's errors (which quote the publish URL) reach the agent's log without the key.
    await b.close();
    b = null;
    await waitFor(() => log.filter((l) => l.includes('video push ended')).length >= 2, {
      what: 'video push failing while the server is down',
      timeoutMs: 60_000,
      intervalMs: 200,
    });
    await a.stop();
    expect(log.join('\n')).not.toContain(unit.streamKey);
    b = await start();
  }, 240_000);

  it("a wrong key, a disabled unit and a --unit that is not the key's stop the agent with the cause in its log", async () => {
    const unit = await admin<UnitKey>('POST', '/api/v1/units', { callsign: 'Car 42', type: 'vehicle' });
    const run = async (args: string[]) => {
      const log: string[] = [];
      const code = await agent(['--server', b!.url, ...args, '--buffer', path.join(tmp, `b-${procs.length}.jsonl`)], log).exited(30_000);
      return { code, text: log.join('\n') };
    };
    const wrong = await run(['--key', 'not-the-key']);
    expect(wrong.code).toBe(1);
    expect(wrong.text).toMatch(/refused the stream key \(401\)/);

    const mismatch = await run(['--key', unit.streamKey, '--unit', String(unit.unit.id + 100)]);
    expect(mismatch.code).toBe(1);
    expect(mismatch.text).toContain(`--unit ${unit.unit.id + 100} does not match the server: this key belongs to unit ${unit.unit.id} (Car 42)`);

    await admin('PATCH', `/api/v1/units/${unit.unit.id}`, { enabled: false });
    const disabled = await run(['--key', unit.streamKey]);
    expect(disabled.code).toBe(1);
    expect(disabled.text).toMatch(/refused this unit \(403\).*disabled/);
    for (const r of [wrong, mismatch, disabled]) expect(r.text).not.toContain(unit.streamKey);
  }, 120_000);
});

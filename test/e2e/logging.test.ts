// End to end: the real server process logs sign-ins, cameras, units, publishes and live tickets as JSON lines in
// <dataDir>/logs and readable lines on its terminal, and no password, stream key, ticket, token or hub secret in either.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveTicket } from '../../common/api';
import { startServer, waitFor, type TestServer } from '../harness';
import { ensureClip } from '../helpers/clips';
import { freePort } from '../helpers/net';
import { publishRtmp, type Publisher } from '../helpers/rtmp';

const ADMIN_PASSWORD = 'Adm1n-logging-pass-7Q';
const WRONG_PASSWORD = 'Wr0ng-logging-pass-3X';
const CAMERA_PASSWORD = 'Cam-rtsp-secret-9Z';
const WRONG_KEY = 'Wr0ngStreamKey55';

interface LogLine {
  level: string;
  time: string;
  component?: string;
  msg: string;
  [k: string]: unknown;
}

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

describe('logging of a real server run', () => {
  let srv: TestServer;
  const publishers: Publisher[] = [];
  let secrets: string[] = [];
  let fileText = '';
  let lines: LogLine[] = [];
  let terminal = '';
  let cameraId = 0;
  let unitId = 0;

  beforeAll(async () => {
    srv = await startServer({ mode: 'process', tag: 'logging', adminPassword: ADMIN_PASSWORD, env: { ARGUS_LOG_LEVEL: 'debug' } });
    const client = srv.client;
    // A refused sign-in (its password must not be logged either).
    expect((await client.call('POST', '/api/v1/auth/login', { username: 'admin', password: WRONG_PASSWORD }, { token: '' })).status).toBe(401);
    // A camera whose URL carries credentials; nothing answers there, so its recorder fails and retries (and logs it).
    const rtspPort = await freePort();
    const camera = await client.createCamera({ name: 'Gate', url: `rtsp://gate-user:${CAMERA_PASSWORD}@127.0.0.1:${rtspPort}/x` });
    cameraId = camera.id;
    // The recorder logs as its own component with the camera's id as a field.
    const recorderFailed = new RegExp(`\\[recorder\\] ffmpeg ended .* cameraId=${cameraId}(\\s|$)`);
    await waitFor(() => srv.logs.find((l) => recorderFailed.test(l)), { timeoutMs: 60_000, what: "the camera recorder's failure line" });
    // A unit: a publish with a wrong key is refused, one with its key is accepted.
    const unit = await client.createUnit({ callsign: 'Car 7', type: 'vehicle' });
    unitId = unit.unit.id;
    const clip = await ensureClip({ width: 320, height: 180, fps: 10, seconds: 4, bitrateKbps: 200, audio: false });
    const wrong = publishRtmp(unit.publishUrl.replace(/key=[^&]+/, `key=${WRONG_KEY}`), clip);
    publishers.push(wrong);
    await wrong.exited;
    await waitFor(() => srv.logs.find((l) => l.includes(`publish /live/${unitId} from`) && l.includes('refused')), {
      timeoutMs: 20_000,
      what: 'the refused publish',
    });
    const good = publishRtmp(unit.publishUrl, clip, { loop: true });
    publishers.push(good);
    await waitFor(() => srv.logs.find((l) => new RegExp(`\\] publish /live/${unitId} from`).test(l)), { timeoutMs: 30_000, what: 'the accepted publish' });
    // A live ticket, used: its signed URL is in the request log.
    const ticket = await client.ok<LiveTicket>('POST', '/api/v1/live/tickets', { sourceId: unitId }, 200);
    await waitFor(
      async () => {
        const abort = new AbortController();
        const res = await fetch(srv.url + ticket.flvUrl, { signal: abort.signal });
        if (res.status === 200) await res.body!.getReader().read();
        abort.abort();
        return res.status === 200;
      },
      { timeoutMs: 30_000, intervalMs: 500, what: 'the live stream through its ticket' },
    );
    // A token in a query (players and tiles pass it so).
    await client.call('GET', `/api/v1/gps/tiles/1/0/0.png?token=${srv.token}`, undefined, { token: '' });
    await good.kill();
    await waitFor(() => srv.logs.find((l) => l.includes(`publish /live/${unitId} ended`)), { timeoutMs: 20_000, what: 'the end of the publish' });
    const sig = new URL(ticket.flvUrl, srv.url).searchParams.get('sig')!;
    secrets = [ADMIN_PASSWORD, WRONG_PASSWORD, CAMERA_PASSWORD, unit.streamKey, encodeURIComponent(unit.streamKey), WRONG_KEY, sig, srv.token];
    await srv.close({ keepData: true });
    const logDir = path.join(srv.dataDir, 'logs');
    fileText = filesUnder(logDir)
      .map((f) => fs.readFileSync(f, 'utf8'))
      .join('\n');
    lines = fileText
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as LogLine);
    terminal = srv.logs.join('\n');
  }, 240_000);

  afterAll(async () => {
    for (const p of publishers) await p.kill();
    await srv?.close();
    if (srv) fs.rmSync(srv.tmp, { recursive: true, force: true });
  });

  it('writes no secret to the log files or the terminal', () => {
    expect(secrets.every((s) => s.length >= 8)).toBe(true);
    for (const s of secrets) {
      expect(fileText, `log file contains ${s}`).not.toContain(s);
      expect(terminal, `terminal output contains ${s}`).not.toContain(s);
    }
    // Nor any other secret query value (the hub's internal secret among them): each is censored.
    for (const text of [fileText, terminal]) expect(text).not.toMatch(/[?&](key|secret|sig|token|ticket|password)=(?!\*\*\*)[^&\s"]/);
  });

  it('writes JSON lines with time, level, component and message for each action', () => {
    expect(lines.length).toBeGreaterThan(10);
    for (const l of lines) {
      expect(typeof l.time).toBe('string');
      expect(['debug', 'info', 'warn', 'error']).toContain(l.level);
      expect(typeof l.msg).toBe('string');
    }
    const has = (component: string, level: string, re: RegExp) => lines.some((l) => l.component === component && l.level === level && re.test(l.msg));
    expect(has('http', 'info', /^POST \/api\/v1\/auth\/login 200$/)).toBe(true);
    expect(has('http', 'warn', /^POST \/api\/v1\/auth\/login 401$/)).toBe(true);
    expect(has('http', 'info', /^POST \/api\/v1\/cameras 201$/)).toBe(true);
    expect(has('http', 'info', /^POST \/api\/v1\/units 201$/)).toBe(true);
    expect(has('http', 'info', /^POST \/api\/v1\/live\/tickets 200$/)).toBe(true);
    expect(has('http', 'debug', new RegExp(`^GET /api/v1/live/flv/${unitId}\\.flv\\?.*sig=\\*\\*\\* 200$`))).toBe(true);
    expect(has('http', 'warn', /^GET \/api\/v1\/gps\/tiles\/1\/0\/0\.png\?token=\*\*\* 4\d\d$/)).toBe(true);
    expect(has('units', 'warn', new RegExp(`^publish /live/${unitId} from 127\\.0\\.0\\.1 refused`))).toBe(true);
    expect(has('hub', 'info', new RegExp(`^publish /live/${unitId} from 127\\.0\\.0\\.1$`))).toBe(true);
    expect(lines.some((l) => l.component === 'recorder' && l.cameraId === cameraId && l.level === 'info' && /^ffmpeg ended/.test(l.msg))).toBe(true);
    expect(has('auth', 'info', /created the first user "admin"/)).toBe(true);
    expect(has('argus', 'info', /^listening on http/)).toBe(true);
    // The shutdown's lines are in the file too (every line is written before the process exits).
    expect(has('argus', 'info', /^SIGTERM: closing recordings/)).toBe(true);
    expect(lines[lines.length - 1]).toMatchObject({ component: 'argus', level: 'info', msg: 'closed' });
    expect(lines.find((l) => l.component === 'http' && /^POST \/api\/v1\/units 201$/.test(l.msg))).toMatchObject({ method: 'POST', status: 201 });
  });

  it('shows readable lines on the terminal', () => {
    expect(terminal).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}Z INFO {2}\[argus\] listening on http/m);
    expect(terminal).toMatch(/WARN {2}\[units\] publish \/live\/\d+ from 127\.0\.0\.1 refused/);
  });
});

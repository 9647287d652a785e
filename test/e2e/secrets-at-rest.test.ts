// End to end: clear camera passwords sealed at start (camera keeps recording), owner-only data, a missing/wrong key refused untouched, key rotation.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Camera, Segment } from '../../common/api';
import { generateSecretKey } from '../../main/platform/secret-box';
import { rotateSecretsKey } from '../../scripts/rotate-secrets-key';
import { ensureClip } from '../helpers/clips';
import { startRtspServer, type RtspServer } from '../helpers/rtsp-server';
import { startServer, waitFor, type TestServer } from '../harness';

const PASSWORD = 'rotor-Blade-77';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-secrets-rest-'));
const dataDir = path.join(tmp, 'data');
const db = path.join(dataDir, 'argus.db');
const keyFile = path.join(dataDir, 'secrets.key');
let rtsp: RtspServer;
let srv: TestServer | null = null;

beforeAll(async () => {
  const clip = await ensureClip({ width: 320, height: 240, fps: 25, seconds: 4, bitrateKbps: 300, audio: false });
  rtsp = await startRtspServer({ mounts: { cam: clip }, auth: `op:${PASSWORD}` }); // RTSP Basic
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(path.join(dataDir, 'argus.json'), JSON.stringify({ port: 0 })); // the rotation command checks the port
}, 60_000);
afterAll(async () => {
  await srv?.close({ keepData: true });
  await rtsp?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const sql = (q: string) => execFileSync('sqlite3', [db, q], { encoding: 'utf8' }).trim();
const mode = (p: string) => (fs.statSync(p).mode & 0o777).toString(8);
const start = () => startServer({ tmp, dataDir });

async function recordsAfter(s: TestServer, id: number, sinceMs: number): Promise<void> {
  await waitFor(
    async () =>
      (await s.client.ok<Segment[]>('GET', `/api/v1/segments?cameraId=${id}&startMs=0&endMs=${Date.now() + 3600_000}`)).some(
        (x) => x.state === 'closed' && x.startMs >= sinceMs,
      ),
    { what: `a segment of camera ${id} closed after ${sinceMs}`, timeoutMs: 45_000 },
  );
}

describe('camera passwords at rest', () => {
  let camId = 0;

  it('seals a clear password left by an older release at start, narrows loose modes with a log line, and the camera records', async () => {
    srv = await start();
    const url = rtsp.url('/cam').replace('rtsp://', `rtsp://op:${PASSWORD}@`);
    camId = (await srv.client.createCamera({ name: 'Rotor', url, segmentSeconds: 2 })).id;
    await recordsAfter(srv, camId, 0);
    await srv.close({ keepData: true });
    srv = null;

    // As a database from before migration 019 holds it (in clear), and modes as an older release left them.
    sql(`UPDATE rtsp_channels SET password = '${PASSWORD}', password_enc = NULL WHERE channel_id = ${camId}`);
    fs.chmodSync(dataDir, 0o755);
    fs.chmodSync(db, 0o644);
    fs.chmodSync(keyFile, 0o644);

    const t0 = Date.now();
    srv = await start();
    const logs = srv.logs;
    expect(logs.join('\n')).toMatch(/sealed 1 clear camera password/);
    expect(logs.join('\n')).toMatch(new RegExp(`${db.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} was readable by other users \\(mode 644\\); narrowed to 600`));
    expect(sql(`SELECT coalesce(password, 'NULL') || '|' || substr(password_enc, 1, 3) FROM rtsp_channels WHERE channel_id = ${camId}`)).toBe('NULL|s1:');
    expect([mode(dataDir), mode(db), mode(keyFile), mode(path.join(dataDir, 'recordings'))]).toEqual(['700', '600', '600', '700']);
    const cam = await srv.client.ok<Camera>('GET', `/api/v1/cameras/${camId}`);
    expect(cam.hasPassword).toBe(true);
    await recordsAfter(srv, camId, t0);
    // New files are owner-only (umask 0077, inherited by ffmpeg).
    const segDir = path.join(dataDir, 'recordings', String(camId));
    const newest = fs.readdirSync(segDir).sort().at(-1)!;
    expect(mode(path.join(segDir, newest))).toBe('600');
    await srv.close({ keepData: true });
    srv = null;
  }, 150_000);

  it('refuses to start without the key or with another one, naming the setting, and leaves the stored value untouched', async () => {
    const before = sql(`SELECT password_enc FROM rtsp_channels WHERE channel_id = ${camId}`);
    const saved = fs.readFileSync(keyFile, 'utf8');
    fs.renameSync(keyFile, `${keyFile}.away`);
    await expect(start()).rejects.toThrow(/secrets key file .*secrets\.key \(setting secretsKeyFile.*is missing/);
    expect(fs.existsSync(keyFile)).toBe(false); // no new key made in its place
    fs.writeFileSync(keyFile, generateSecretKey() + '\n', { mode: 0o600 });
    await expect(start()).rejects.toThrow(/sealed with secrets key [0-9a-f]{8}, but secretsKeyFile .*secrets\.key holds/);
    expect(sql(`SELECT password_enc FROM rtsp_channels WHERE channel_id = ${camId}`)).toBe(before);
    fs.rmSync(keyFile);
    fs.renameSync(`${keyFile}.away`, keyFile);
    expect(fs.readFileSync(keyFile, 'utf8')).toBe(saved);
  }, 60_000);

  it('rotates the key with npm run rotate-secrets-key: every value re-sealed under the new key, the camera still records', async () => {
    const kid = (v: string) => v.split(':')[1];
    const before = sql(`SELECT password_enc FROM rtsp_channels WHERE channel_id = ${camId}`);
    const lines: string[] = [];
    const r = await rotateSecretsKey(dataDir, (l) => lines.push(l));
    expect(r.from).toBe(kid(before));
    expect(r.to).not.toBe(r.from);
    expect(r.resealed).toBe(1);
    const after = sql(`SELECT password_enc FROM rtsp_channels WHERE channel_id = ${camId}`);
    expect(kid(after)).toBe(r.to);
    expect(fs.readFileSync(keyFile, 'utf8').trim().split('\n')).toHaveLength(1); // the old key is gone from the file
    expect(mode(keyFile)).toBe('600');
    expect(lines.join('\n')).toMatch(/Back up .*secrets\.key/);
    const t0 = Date.now();
    srv = await start();
    await recordsAfter(srv, camId, t0);
  }, 120_000);
});

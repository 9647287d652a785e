// End to end: a camera behind RTSP Digest auth and a publishing unit recorded and relayed; no password, hub secret or key in any process list or the DB file.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Camera, Segment } from '../../common/api';
import { ensureClip } from '../helpers/clips';
import { ffprobeFile } from '../helpers/media-assert';
import { publishRtmp, type Publisher } from '../helpers/rtmp';
import { startRtspServer, type RtspServer } from '../helpers/rtsp-server';
import { startServer, waitFor, type TestServer } from '../harness';

const CAM_USER = 'viewer';
const CAM_PASSWORD = 'Gate#Pa55-9f3k'; // '#' must be URL-encoded: both forms are looked for
let rtsp: RtspServer;
let srv: TestServer;
let clip: string;
const publishers: Publisher[] = [];

beforeAll(async () => {
  clip = await ensureClip({ width: 320, height: 240, fps: 25, seconds: 4, bitrateKbps: 300, audio: true });
  rtsp = await startRtspServer({ mounts: { main: clip, sub: clip }, auth: `${CAM_USER}:${CAM_PASSWORD}`, digest: true });
  srv = await startServer({ tag: 'secrets-ps' });
}, 60_000);
afterAll(async () => {
  for (const p of publishers) await p.kill();
  await srv?.close();
  await rtsp?.stop();
});

/** Every process's command line, from /proc (as any local user reads it) and from `ps -eo args`. */
function commandLines(): string[] {
  const out: string[] = [];
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      out.push(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' '));
    } catch {
      // the process ended meanwhile
    }
  }
  out.push(...execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' }).split('\n'));
  return out;
}

describe('secrets in process lists and at rest', () => {
  it('records and relays a camera with a password and a unit, with no credential or secret on any command line', async () => {
    const withCreds = (mount: string) => rtsp.url(mount).replace('rtsp://', `rtsp://${CAM_USER}:${encodeURIComponent(CAM_PASSWORD)}@`);
    const cam = await srv.client.createCamera({ name: 'Locked gate', url: withCreds('/main'), subUrl: withCreds('/sub'), segmentSeconds: 2 });
    const unit = await srv.client.createUnit({ callsign: 'Car 13', type: 'vehicle', segmentSeconds: 2 });
    // The unit's own publisher stands for the remote device (its key is on ITS command line, not the server's).
    const pub = publishRtmp(unit.publishUrl, clip, { loop: true });
    publishers.push(pub);

    const hub = srv.backend.hub;
    await waitFor(() => hub.isLive(`/cam/${cam.id}`) && hub.isLive(`/cam/${cam.id}_sub`) && hub.isLive(`/live/${unit.unit.id}`), {
      what: 'camera main and sub relays and the unit live in the hub',
      timeoutMs: 60_000,
    });
    const closed = async (id: number) =>
      (await srv.client.ok<Segment[]>('GET', `/api/v1/segments?cameraId=${id}&startMs=0&endMs=${Date.now() + 3600_000}`)).filter((s) => s.state === 'closed');
    await waitFor(async () => (await closed(cam.id)).length >= 2 && (await closed(unit.unit.id)).length >= 1, {
      what: 'closed segments of the camera and the unit',
      timeoutMs: 60_000,
    });
    expect((await srv.client.ok<Camera>('GET', `/api/v1/cameras/${cam.id}`)).status.state).toBe('recording');

    const hubSecret = new URL(hub.internalUrlFor('/cam/1')).searchParams.get('secret')!;
    const forbidden = [CAM_PASSWORD, encodeURIComponent(CAM_PASSWORD), hubSecret, unit.streamKey];
    // The unit's own publisher (the remote device) is the one process allowed to show its key.
    const lines = commandLines().filter((l) => !l.includes(unit.publishUrl));
    const ffmpegs = lines.filter((l) => /\bffmpeg\b/.test(l) && l.includes(srv.dataDir));
    expect(ffmpegs.length).toBeGreaterThanOrEqual(2); // the camera's recorder and the unit's recorder at least
    for (const l of lines) for (const f of forbidden) expect(l, 'a command line').not.toContain(f);
    // What the relays and the unit's recorder show of the hub is a used-up one-time token.
    expect(lines.some((l) => /\/cam\/\d+\?once=/.test(l))).toBe(true);

    // The recording plays.
    const dir = path.join(srv.dataDir, 'recordings', String(cam.id));
    const first = fs.readdirSync(dir).sort()[0]!; // the oldest file: closed (two are)
    const info = ffprobeFile(path.join(dir, first));
    expect(info.durationS).toBeGreaterThan(1);
    expect(info.streams.some((s) => s.codec_name === 'h264')).toBe(true);

    // At rest: sealed in the DB; the clear password is nowhere in the database files.
    const db = path.join(srv.dataDir, 'argus.db');
    const row = execFileSync('sqlite3', [db, `SELECT coalesce(password, 'NULL') || '|' || password_enc FROM rtsp_channels WHERE channel_id = ${cam.id}`], {
      encoding: 'utf8',
    }).trim();
    expect(row).toMatch(/^NULL\|s1:[0-9a-f]{8}:/);
    for (const f of [db, `${db}-wal`].filter((x) => fs.existsSync(x))) expect(fs.readFileSync(f).includes(Buffer.from(CAM_PASSWORD))).toBe(false);
  }, 180_000);
});

// End to end (in-process back end, real hub, ffmpeg publishers, GStreamer camera): units publishing and live FLV viewing.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { Camera, LiveTicket, LoginResponse, UnitKey, UnitStatus } from '../../common/api';
import type { ServerEvent } from '../../common/events';
import type { Backend } from '../../main/server/backend';
import type { SegmentRow } from '../../storage/repositories';
import { ensureClip } from '../helpers/clips';
import { ffprobe } from '../helpers/ffmpeg';
import { decodeErrors, ffprobeFile } from '../helpers/media-assert';
import { publishRtmp, type Publisher } from '../helpers/rtmp';
import { startRtspServer, type RtspServer } from '../helpers/rtsp-server';
import { startServer, waitFor, type TestServer } from '../harness';

const PASSWORD = 'live-units-chief';
let srv: TestServer;
let tmp: string;
let clip: string;
let rtsp: RtspServer;
let b: Backend;
let token: string;
let ws: WebSocket;
const events: Array<{ atMs: number; ev: ServerEvent }> = [];
const publishers: Publisher[] = [];

async function api<T>(method: string, p: string, body?: unknown): Promise<{ status: number; body: T }> {
  return srv.client.call<T>(method, p, body);
}

function publish(url: string): Publisher {
  const p = publishRtmp(url, clip, { loop: true });
  publishers.push(p);
  return p;
}

function unitEvents(unitId: number): UnitStatus[] {
  return events.flatMap(({ ev }) => (ev.type === 'unit.status' && ev.status.unitId === unitId ? [ev.status] : []));
}

async function segmentsOf(id: number): Promise<SegmentRow[]> {
  return b.store.segments.listRange(id, 0, Date.now() + 3_600_000, 1000);
}

/** Reads `ms` of an HTTP-FLV stream into a file; returns the response headers and the file. */
async function readFlv(url: string, ms: number, file: string): Promise<{ status: number; headers: Headers; bytes: number }> {
  const ctrl = new AbortController();
  const r = await fetch(b.url + url, { signal: ctrl.signal });
  if (r.status !== 200) return { status: r.status, headers: r.headers, bytes: 0 };
  const chunks: Buffer[] = [];
  const reader = r.body!.getReader();
  const stop = setTimeout(() => ctrl.abort(), ms);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(Buffer.from(value));
    }
  } catch {
    /* aborted */
  }
  clearTimeout(stop);
  fs.writeFileSync(file, Buffer.concat(chunks));
  return { status: r.status, headers: r.headers, bytes: fs.statSync(file).size };
}

beforeAll(async () => {
  clip = await ensureClip({ width: 320, height: 240, fps: 25, seconds: 4, bitrateKbps: 300, audio: true });
  rtsp = await startRtspServer({ count: 1, clip });
  srv = await startServer({ tag: 'e2e-units', adminPassword: PASSWORD });
  tmp = srv.tmp;
  b = srv.backend;
  token = srv.token;
  ws = new WebSocket(`${b.url.replace('http', 'ws')}/api/v1/events?token=${token}`);
  ws.on('message', (d) => events.push({ atMs: Date.now(), ev: JSON.parse(String(d)) as ServerEvent }));
  await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
});

afterAll(async () => {
  for (const p of publishers) await p.kill();
  ws?.close();
  await srv?.close();
  await rtsp?.stop();
});

describe('mobile units publishing to the hub', () => {
  let unit: UnitKey;

  it('a unit publishing with its key is online within 2 s and recorded into playable segments', async () => {
    const r = await api<UnitKey>('POST', '/api/v1/units', { callsign: 'Car 7', type: 'vehicle', segmentSeconds: 2 });
    expect(r.status).toBe(201);
    unit = r.body;
    expect(unit.publishUrl).toBe(`rtmp://127.0.0.1:${b.hub.port}/live/${unit.unit.id}?key=${unit.streamKey}`);
    const spawnedMs = Date.now();
    const p = publish(unit.publishUrl);
    const online = await waitFor(() => events.find(({ ev }) => ev.type === 'unit.status' && ev.status.unitId === unit.unit.id && ev.status.online), {
      what: 'unit.status online',
      timeoutMs: 2000,
      intervalMs: 20,
    });
    expect(online.atMs - spawnedMs).toBeLessThan(2000);
    const st = (await api<UnitKey['unit']>('GET', `/api/v1/units/${unit.unit.id}`)).body.status;
    expect(st).toMatchObject({ online: true, remoteAddress: '127.0.0.1' });
    await waitFor(async () => (await segmentsOf(unit.unit.id)).filter((s) => s.state === 'closed').length >= 2, {
      what: 'two unit segments',
      timeoutMs: 30_000,
    });
    expect(unitEvents(unit.unit.id).some((s) => s.recording === 'recording')).toBe(true);
    await p.kill();
    await waitFor(() => unitEvents(unit.unit.id).at(-1)?.online === false && unitEvents(unit.unit.id).at(-1)?.recording === 'stopped', {
      what: 'offline and recorder stopped',
      timeoutMs: 15_000,
    });
    await b.recording.flush();
    const segs = await segmentsOf(unit.unit.id);
    expect(
      segs.filter((s) => s.state !== 'closed'),
      JSON.stringify(segs, null, 1),
    ).toEqual([]);
    const total = segs.reduce((a, s) => a + s.durationMs, 0);
    expect(total).toBeGreaterThan(3000);
    for (const s of segs) {
      const file = path.join(b.config.recordingsDir, s.relPath);
      expect(
        ffprobeFile(file)
          .streams.map((x) => x.codec_name)
          .sort(),
      ).toEqual(['aac', 'h264']);
      expect(decodeErrors(file)).toBe('');
      expect(s.endMs - s.startMs).toBe(s.durationMs);
    }
    const audit = await b.store.audit.query({ action: 'unit.publish', limit: 10 });
    expect(audit.find((a) => a.targetId === String(unit.unit.id))).toMatchObject({ userId: null, ip: '127.0.0.1', detail: { remoteAddress: '127.0.0.1' } });
  });

  it('refuses a wrong key, a rotated (old) key and a disabled unit, and audits each with reason and address', async () => {
    const id = unit.unit.id;
    const base = unit.publishUrl.split('?')[0];
    const eventsBefore = events.length;
    const refused = async (url: string) => {
      const p = publish(url);
      const code = await Promise.race([p.exited, new Promise((r) => setTimeout(() => r('still running'), 10_000))]);
      expect(code).not.toBe('still running');
      expect(code).not.toBe(0);
    };
    await refused(`${base}?key=not-the-key`);
    const rotated = (await api<UnitKey>('POST', `/api/v1/units/${id}/rotate-key`)).body;
    await refused(unit.publishUrl); // the old key
    expect((await api('PATCH', `/api/v1/units/${id}`, { enabled: false })).status).toBe(200);
    await refused(rotated.publishUrl);
    await refused(`${b.hub.internalUrlFor('/live/424242').split('?')[0]}?key=x`); // no such unit
    expect(events.slice(eventsBefore).some(({ ev }) => ev.type === 'unit.status' && ev.status.online)).toBe(false);
    const rejected = await b.store.audit.query({ action: 'unit.publish_rejected', limit: 20 });
    expect(rejected.map((a) => (a.detail as { reason: string }).reason).reverse()).toEqual(['bad_key', 'bad_key', 'disabled', 'unknown_unit']);
    for (const a of rejected) expect(a).toMatchObject({ ip: '127.0.0.1', detail: { remoteAddress: '127.0.0.1' } });
    expect(JSON.stringify(rejected)).not.toContain(rotated.streamKey);
    expect((await api('PATCH', `/api/v1/units/${id}`, { enabled: true })).status).toBe(200);
    unit = rotated;
  });

  it('a second publisher of the same unit replaces the first', async () => {
    const id = unit.unit.id;
    const first = publish(unit.publishUrl);
    await waitFor(() => b.hub.isLive(`/live/${id}`), { what: 'first publisher live', timeoutMs: 10_000 });
    const firstSession = b.hub.publisher(`/live/${id}`)!.sessionId;
    const second = publish(unit.publishUrl);
    await waitFor(() => b.hub.publisher(`/live/${id}`) !== null && b.hub.publisher(`/live/${id}`)!.sessionId !== firstSession, {
      what: 'second publisher took over',
      timeoutMs: 10_000,
    });
    await Promise.race([first.exited, new Promise((r) => setTimeout(r, 10_000))]);
    expect(first.proc.exitCode ?? first.proc.signalCode).not.toBeNull();
    expect(second.proc.exitCode).toBeNull();
    await waitFor(() => b.recording.status(id).state === 'recording', { what: 'recording the second publisher', timeoutMs: 15_000 });
    await second.kill();
    await waitFor(() => b.recording.status(id).state === 'stopped' && !b.units.status(id).online, { what: 'offline', timeoutMs: 15_000 });
  });

  it('a 4G drop of ~5 s leaves two runs of playable segments with the outage as a gap', async () => {
    const id = unit.unit.id;
    const before = new Set((await segmentsOf(id)).map((s) => s.relPath));
    const fresh = async () => (await segmentsOf(id)).filter((s) => !before.has(s.relPath));
    /** Run = the recorder start time in the file name (<runStartMs>-<seq>.ts). */
    const runOf = (s: SegmentRow) => Number(s.relPath.split('/')[1].split('-')[0]);
    const a = publish(unit.publishUrl);
    await waitFor(() => b.units.status(id).online, { what: 'online', timeoutMs: 10_000 });
    await waitFor(async () => (await fresh()).filter((s) => s.state === 'closed').length >= 1, { what: 'first run segment', timeoutMs: 30_000 });
    await a.kill();
    const droppedMs = Date.now();
    await waitFor(() => !b.units.status(id).online && b.recording.status(id).state === 'stopped', { what: 'offline after the drop', timeoutMs: 15_000 });
    await new Promise((r) => setTimeout(r, Math.max(0, 5000 - (Date.now() - droppedMs))));
    const c = publish(unit.publishUrl);
    await waitFor(() => b.units.status(id).online, { what: 'online again', timeoutMs: 10_000 });
    await waitFor(async () => (await fresh()).filter((s) => runOf(s) > droppedMs && s.state === 'closed').length >= 1, {
      what: 'second run segment',
      timeoutMs: 30_000,
    });
    await c.kill();
    await waitFor(() => !b.units.status(id).online && b.recording.status(id).state === 'stopped', { what: 'stopped', timeoutMs: 15_000 });
    await b.recording.flush();
    const segs = await fresh();
    const runs = new Map<number, SegmentRow[]>();
    for (const s of segs) runs.set(runOf(s), [...(runs.get(runOf(s)) ?? []), s]);
    expect(runs.size, JSON.stringify(segs.map((s) => [s.relPath, s.startMs, s.endMs, s.state]))).toBe(2);
    const [r1, r2] = [...runs.values()].sort((x, y) => x[0].startMs - y[0].startMs);
    const gapMs = r2[0].startMs - r1.at(-1)!.endMs;
    expect(gapMs).toBeGreaterThan(3500); // the ~5 s outage stays a gap (less the reconnect)
    expect(gapMs).toBeLessThan(8000);
    for (const s of segs) {
      expect(s.state).toBe('closed');
      expect(s.endMs - s.startMs).toBe(s.durationMs);
      expect(decodeErrors(path.join(b.config.recordingsDir, s.relPath))).toBe('');
    }
  });

  it('a unit that is not live answers 503 on a valid ticket', async () => {
    const tk = (await api<LiveTicket>('POST', '/api/v1/live/tickets', { sourceId: unit.unit.id })).body;
    const r = await fetch(b.url + tk.flvUrl);
    expect(r.status).toBe(503);
    expect(((await r.json()) as { error: { message: string } }).error.message).toMatch(/not streaming/);
  });
});

describe('live view of a camera', () => {
  it('serves HTTP-FLV and WS-FLV of the camera relay while its recording keeps going', async () => {
    const cam = (await api<Camera>('POST', '/api/v1/cameras', { name: 'Gate', url: rtsp.url('/cam1'), segmentSeconds: 2 })).body;
    await waitFor(() => b.hub.isLive(`/cam/${cam.id}`), { what: 'camera relayed into the hub', timeoutMs: 30_000 });
    const closedBefore = (await segmentsOf(cam.id)).filter((s) => s.state === 'closed').length;

    const tk = (await api<LiveTicket>('POST', '/api/v1/live/tickets', { sourceId: cam.id, stream: 'sub' })).body;
    expect(tk.stream).toBe('main'); // no sub stream configured
    const file = path.join(tmp, 'cam.flv');
    const got = await readFlv(tk.flvUrl, 3000, file);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('video/x-flv');
    expect(got.headers.get('x-argus-stream')).toBe('main');
    expect(fs.readFileSync(file).subarray(0, 3).toString()).toBe('FLV');
    const probe = await ffprobe(file);
    expect(probe.streams.find((s) => s.codec_type === 'video')).toMatchObject({ codec_name: 'h264', width: 320, height: 240 });
    expect(decodeErrors(file)).toBe('');

    // WS-FLV: binary FLV messages, the first one starting with the FLV header.
    // Tickets are single-use (issue 13): the used one starts nothing more, each further stream takes a new ticket.
    const reused = await fetch(b.url + tk.flvUrl);
    expect(reused.status).toBe(401);
    await reused.body?.cancel();
    const newTicket = async () => (await api<LiveTicket>('POST', '/api/v1/live/tickets', { sourceId: cam.id, stream: 'sub' })).body;
    const wsChunks: Buffer[] = [];
    const client = new WebSocket(`${b.url.replace('http', 'ws')}${(await newTicket()).wsFlvUrl}`);
    client.on('message', (d: Buffer) => wsChunks.push(Buffer.from(d)));
    await new Promise((resolve, reject) => (client.once('open', resolve), client.once('error', reject)));
    await new Promise((r) => setTimeout(r, 1500));
    client.close();
    expect(Buffer.concat(wsChunks).subarray(0, 3).toString()).toBe('FLV');
    expect(Buffer.concat(wsChunks).length).toBeGreaterThan(20_000);

    // Viewers come and go (some cut off mid-stream): the hub, the other viewers and the recording are undisturbed.
    const long = readFlv((await newTicket()).flvUrl, 6000, path.join(tmp, 'long.flv'));
    for (let i = 0; i < 4; i++) await readFlv((await newTicket()).flvUrl, 300 + i * 200, path.join(tmp, `v${i}.flv`));
    const longRes = await long;
    expect(longRes.bytes).toBeGreaterThan(100_000);
    expect(decodeErrors(path.join(tmp, 'long.flv'))).toBe('');
    await waitFor(async () => (await segmentsOf(cam.id)).filter((s) => s.state === 'closed').length >= closedBefore + 3, {
      what: 'segments keep closing',
      timeoutMs: 20_000,
    });
    expect(b.recording.status(cam.id)).toMatchObject({ state: 'recording', lastError: null, failures: 0 });
    expect(b.hub.viewerCount()).toBe(0);
    // After the ticket's 60 s the same URL starts nothing (checked with the clock in the API tests).
  });

  it('serves the sub stream when it is relayed, falls back to main when not, and never restarts recording for it', async () => {
    const cam = (await api<Camera[]>('GET', '/api/v1/cameras')).body.find((c) => c.name === 'Gate')!;
    const recorder = () => b.recording.status(cam.id);
    const runsBefore = new Set((await segmentsOf(cam.id)).map((s) => s.relPath.split('/')[1].split('-')[0]));
    expect((await api('PATCH', `/api/v1/cameras/${cam.id}`, { subUrl: rtsp.url('/cam1') })).status).toBe(200);
    await waitFor(() => b.hub.isLive(`/cam/${cam.id}_sub`), { what: 'sub stream relayed', timeoutMs: 30_000 });
    const sub = (await api<LiveTicket>('POST', '/api/v1/live/tickets', { sourceId: cam.id, stream: 'sub' })).body;
    expect(sub.stream).toBe('sub');
    const got = await readFlv(sub.flvUrl, 1500, path.join(tmp, 'sub.flv'));
    expect(got.headers.get('x-argus-stream')).toBe('sub');
    expect((await ffprobe(path.join(tmp, 'sub.flv'))).streams.some((s) => s.codec_name === 'h264')).toBe(true);

    // A sub stream that cannot be reached: its relay retries, the camera says so, viewers of "sub" get main.
    expect((await api('PATCH', `/api/v1/cameras/${cam.id}`, { subUrl: rtsp.url('/no-such-sub') })).status).toBe(200);
    await waitFor(() => /Live sub stream unavailable/.test(recorder().lastError ?? ''), { what: 'sub stream problem shown', timeoutMs: 30_000 });
    expect(recorder().state).toBe('recording');
    const again = (await api<LiveTicket>('POST', '/api/v1/live/tickets', { sourceId: cam.id, stream: 'sub' })).body; // tickets are single-use
    expect(again.stream).toBe('sub'); // asked for sub; the hub serves main while sub is down
    const fallback = await readFlv(again.flvUrl, 800, path.join(tmp, 'fallback.flv'));
    expect(fallback.status).toBe(200);
    expect(fallback.headers.get('x-argus-stream')).toBe('main');
    expect((await api('PATCH', `/api/v1/cameras/${cam.id}`, { subUrl: null })).status).toBe(200);
    await waitFor(() => recorder().lastError === null, { what: 'sub stream problem gone', timeoutMs: 10_000 });
    // All of it within the same recording run.
    const runsAfter = new Set((await segmentsOf(cam.id)).map((s) => s.relPath.split('/')[1].split('-')[0]));
    expect([...runsAfter]).toEqual([...runsBefore]);
  });

  it('audits who watched which camera, and cuts the streams of a user who is disabled (old tickets start nothing)', async () => {
    const cam = (await api<Camera[]>('GET', '/api/v1/cameras')).body.find((c) => c.name === 'Gate')!;
    expect((await api('POST', '/api/v1/users', { username: 'viewer1', password: 'viewer-password-1', role: 'dispatcher', displayName: 'Viewer' })).status).toBe(
      201,
    );
    const vLogin = await fetch(`${b.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'viewer1', password: 'viewer-password-1' }),
    });
    const vToken = ((await vLogin.json()) as LoginResponse).token;
    const tr = await fetch(`${b.url}/api/v1/live/tickets`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${vToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ sourceId: cam.id }),
    });
    const tk = (await tr.json()) as LiveTicket;
    const ctrl = new AbortController();
    const r = await fetch(b.url + tk.flvUrl, { signal: ctrl.signal });
    expect(r.status).toBe(200);
    const reader = r.body!.getReader();
    let bytes = 0;
    let ended = false;
    const reading = (async () => {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          bytes += value.length;
        }
      } catch {
        /* cut */
      }
      ended = true;
    })();
    await waitFor(() => bytes > 10_000, { what: 'viewer receives video', timeoutMs: 10_000 });
    const audit = await api<Array<{ action: string; username: string | null; targetId: string | null }>>('GET', '/api/v1/audit?action=live.view');
    expect(audit.body.some((e) => e.username === 'viewer1' && e.targetId === String(cam.id))).toBe(true);

    const users = (await api<Array<{ id: number; username: string }>>('GET', '/api/v1/users')).body;
    const viewer = users.find((u) => u.username === 'viewer1')!;
    expect((await api('PATCH', `/api/v1/users/${viewer.id}`, { disabled: true })).status).toBe(200);
    await waitFor(() => ended, { what: "the disabled user's stream is cut", timeoutMs: 5_000 });
    await reading;
    ctrl.abort();
    const again = await fetch(b.url + tk.flvUrl);
    expect(again.status).toBe(401);
    await again.body?.cancel();
  });
});

// End to end (in-process back end, real hub, real ffmpeg, GStreamer cameras, an RTMP agent): each channel's recording policy: off (live only), on alarm, a PATCH that stops recording, an agent's channel.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alarm } from '../../common/alarms';
import type { LiveTicket } from '../../common/api';
import type { AgentKey, DeviceView } from '../../common/devices';
import type { Backend } from '../../main/server/backend';
import type { SegmentRow } from '../../storage/repositories';
import { findRecorderProcesses } from '../../media/orphans';
import { ensureClip } from '../helpers/clips';
import { ffprobe } from '../helpers/ffmpeg';
import { ffprobeFile } from '../helpers/media-assert';
import { publishRtmp } from '../helpers/rtmp';
import { startRtspServer, type RtspServer } from '../helpers/rtsp-server';
import { startServer, waitFor, type TestServer } from '../harness';

let srv: TestServer;
let rtsp: RtspServer;
let b: Backend;
/** The temp dir of the first server, kept across the restart and removed at the end. */
let keptTmp: string | null = null;

const segmentsOf = (id: number): Promise<SegmentRow[]> => b.store.segments.listRange(id, 0, Date.now() + 3_600_000, 1000);
const recorders = () => findRecorderProcesses(b.config.recordingsDir).length;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const deviceOf = new Map<number, number>();
const dev = (channelId: number): number => deviceOf.get(channelId)!;

async function channel(name: string, path_: string, policy: Record<string, unknown>): Promise<number> {
  const d = await srv.client.ok<DeviceView>('POST', '/api/v1/devices/rtsp', {
    nodeId: 1,
    name,
    channels: [{ name, url: rtsp.url(path_), segmentSeconds: 2, ...policy }],
  });
  deviceOf.set(d.channels[0]!.id, d.id);
  return d.channels[0]!.id;
}

/** Reads 3 s of the channel's live HTTP-FLV into a file and returns ffprobe's video stream of it. */
async function liveVideo(id: number): Promise<unknown> {
  const tk = await srv.client.ok<LiveTicket>('POST', '/api/v1/live/tickets', { sourceId: id }, 200);
  const ctrl = new AbortController();
  const r = await fetch(b.url + tk.flvUrl, { signal: ctrl.signal });
  expect(r.status).toBe(200);
  const chunks: Buffer[] = [];
  const stop = setTimeout(() => ctrl.abort(), 3000);
  try {
    const reader = r.body!.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(Buffer.from(value));
    }
  } catch {
    /* aborted */
  }
  clearTimeout(stop);
  const file = path.join(srv.tmp, `live-${id}-${Date.now()}.flv`);
  fs.writeFileSync(file, Buffer.concat(chunks));
  return (await ffprobe(file)).streams.find((s) => s.codec_type === 'video');
}

beforeAll(async () => {
  const clip = await ensureClip({ width: 320, height: 240, fps: 25, seconds: 4, bitrateKbps: 300, audio: false });
  rtsp = await startRtspServer({ count: 3, clip });
  srv = await startServer({ tag: 'e2e-policy', recorderOptions: { minBackoffMs: 300, maxBackoffMs: 2000 } });
  b = srv.backend;
}, 60_000);

afterAll(async () => {
  await srv?.close();
  await rtsp?.stop();
  if (keptTmp) fs.rmSync(keptTmp, { recursive: true, force: true });
});

describe('recording policy per channel', () => {
  it('"off": no recorder and no segments, while the live wall plays the channel through a relay-only ffmpeg', async () => {
    const id = await channel('Off', '/cam1', { recordMode: 'off' });
    await waitFor(() => b.hub.isLive(`/cam/${id}`), { what: 'the live relay in the hub', timeoutMs: 30_000 });
    expect(await liveVideo(id)).toMatchObject({ codec_name: 'h264', width: 320, height: 240 });
    expect(b.recording.status(id)).toMatchObject({ state: 'stopped', reason: { code: 'status.policy_off' } });
    await waitFor(async () => (await srv.client.ok<DeviceView>('GET', `/api/v1/devices/${dev(id)}`)).channels[0]!.status.live === true, {
      what: 'the channel shown live',
      timeoutMs: 10_000,
    });
    const view = await srv.client.ok<DeviceView>('GET', `/api/v1/devices/${dev(id)}`);
    expect(view.status).toMatchObject({ state: 'online', online: true });
    expect(view.channels[0]!.status).toMatchObject({ recording: 'stopped', live: true, reason: { code: 'status.policy_off' } });
    expect(recorders()).toBe(0);
    expect(await segmentsOf(id)).toEqual([]);
    await srv.client.ok('DELETE', `/api/v1/channels/${id}`, undefined, 204);
    await waitFor(() => !b.hub.isLive(`/cam/${id}`), { what: 'the relay gone with the channel', timeoutMs: 15_000 });
  }, 90_000);

  it('"alarm" without pre-alarm: nothing until a manual alarm names the channel, then segments until post_alarm_s after it, then live only again', async () => {
    const id = await channel('OnAlarm', '/cam2', { recordMode: 'alarm', preAlarmS: 0, postAlarmS: 8 });
    await waitFor(() => b.hub.isLive(`/cam/${id}`), { what: 'the live relay before any alarm', timeoutMs: 30_000 });
    expect(b.recording.status(id)).toMatchObject({ state: 'stopped', reason: { code: 'status.policy_alarm' } });
    await sleep(3000);
    expect(await segmentsOf(id)).toEqual([]);
    expect(recorders()).toBe(0);

    const alarm = await srv.client.ok<Alarm>('POST', '/api/v1/alarms', { sourceId: id, message: 'person at the gate' });
    await waitFor(() => b.recording.status(id).state === 'recording', { what: 'the recorder started by the alarm', timeoutMs: 20_000 });
    expect(await b.store.alarmWindows.overlapping(id, alarm.firstMs, alarm.firstMs)).toMatchObject([
      { alarmId: alarm.id, startMs: alarm.firstMs, endMs: alarm.lastMs + 8000 },
    ]);
    await waitFor(() => b.recording.status(id).reason?.code === 'status.policy_alarm', { what: 'the recorder stopped after post_alarm_s', timeoutMs: 30_000 });
    await waitFor(() => b.hub.isLive(`/cam/${id}`), { what: 'the live relay back', timeoutMs: 30_000 });
    expect(recorders()).toBe(0);
    const segs = await segmentsOf(id);
    expect(segs.length).toBeGreaterThanOrEqual(1);
    for (const s of segs) {
      expect(s.state).toBe('closed');
      expect(s.startMs).toBeGreaterThanOrEqual(alarm.firstMs - 1000);
      expect(ffprobeFile(path.join(b.config.recordingsDir, s.relPath)).durationS).toBeGreaterThan(0);
    }
    // the recording reaches past the middle of the window: it ran until the window ended, not just one segment
    expect(Math.max(...segs.map((s) => s.endMs))).toBeGreaterThan(alarm.lastMs + 4000);
    await sleep(3000);
    expect((await segmentsOf(id)).length).toBe(segs.length);
    await srv.client.ok('DELETE', `/api/v1/channels/${id}`, undefined, 204);
  }, 120_000);

  it('a PATCH from continuous to off stops recording at once (last segment closed and playable) and keeps live view', async () => {
    const id = await channel('Patched', '/cam3', {});
    await waitFor(async () => (await segmentsOf(id)).some((s) => s.state === 'closed'), { what: 'a closed segment', timeoutMs: 40_000 });
    await srv.client.ok('PATCH', `/api/v1/channels/${id}`, { recordMode: 'off' });
    await waitFor(() => recorders() === 0, { what: 'the recorder stopped', timeoutMs: 15_000 });
    const segs = await segmentsOf(id);
    for (const s of segs) expect(s.state).toBe('closed');
    const last = segs[segs.length - 1]!;
    const probe = ffprobeFile(path.join(b.config.recordingsDir, last.relPath), true);
    expect(probe.durationS).toBeGreaterThan(0);
    expect(probe.frames).toBeGreaterThan(0);
    await waitFor(() => b.hub.isLive(`/cam/${id}`), { what: 'the live relay after the PATCH', timeoutMs: 30_000 });
    expect(await liveVideo(id)).toMatchObject({ codec_name: 'h264' });
    expect((await segmentsOf(id)).length).toBe(segs.length);
    expect(b.recording.status(id)).toMatchObject({ state: 'stopped', reason: { code: 'status.policy_off' } });
    // and back: continuous records again
    await srv.client.ok('PATCH', `/api/v1/channels/${id}`, { recordMode: 'continuous' });
    await waitFor(async () => (await segmentsOf(id)).filter((s) => s.state === 'closed').length > segs.length, { what: 'recording again', timeoutMs: 40_000 });
    await srv.client.ok('DELETE', `/api/v1/channels/${id}`, undefined, 204);
  }, 120_000);

  it('an agent device\'s channel follows its policy too: "off" is live from the hub without recording; a PATCH to continuous records, back to off stops', async () => {
    const clip = await ensureClip({ width: 320, height: 240, fps: 25, seconds: 4, bitrateKbps: 300, audio: false });
    const agent = await srv.client.ok<AgentKey>(
      'POST',
      '/api/v1/devices/agent',
      { nodeId: 1, callsign: 'POLICY-1', type: 'body', segmentSeconds: 2, recordMode: 'off' },
      201,
    );
    const id = agent.device.id;
    const pub = publishRtmp(agent.publishUrl.replace(/^rtmp:\/\/[^/]+:/, 'rtmp://127.0.0.1:'), clip, { loop: true });
    try {
      await waitFor(() => b.hub.isLive(`/live/${id}`), { what: 'the agent publishing', timeoutMs: 30_000 });
      await sleep(4000);
      expect(recorders()).toBe(0);
      expect(await segmentsOf(id)).toEqual([]);
      await srv.client.ok('PATCH', `/api/v1/channels/${id}`, { recordMode: 'continuous' });
      await waitFor(async () => (await segmentsOf(id)).some((s) => s.state === 'closed'), {
        what: 'the agent channel recording after the PATCH',
        timeoutMs: 40_000,
      });
      await srv.client.ok('PATCH', `/api/v1/channels/${id}`, { recordMode: 'off' });
      await waitFor(() => recorders() === 0, { what: 'the agent recorder stopped', timeoutMs: 15_000 });
      const segs = await segmentsOf(id);
      for (const s of segs) expect(s.state).toBe('closed');
      expect(ffprobeFile(path.join(b.config.recordingsDir, segs[segs.length - 1]!.relPath), true).frames).toBeGreaterThan(0);
      expect(b.hub.isLive(`/live/${id}`)).toBe(true);
    } finally {
      await pub.kill();
    }
    await srv.client.ok('DELETE', `/api/v1/devices/${id}`, undefined, 204);
  }, 120_000);

  it('a restart applies the stored policies: "off" stays live only, "alarm" without pre-alarm waits for an alarm', async () => {
    const off = await channel('Off again', '/cam1', { recordMode: 'off' });
    const onAlarm = await channel('OnAlarm again', '/cam2', { recordMode: 'alarm', preAlarmS: 0, postAlarmS: 5 });
    const tmp = srv.tmp;
    await srv.close({ keepData: true });
    keptTmp = tmp;
    srv = await startServer({ tmp, recorderOptions: { minBackoffMs: 300, maxBackoffMs: 2000 } });
    b = srv.backend;
    await waitFor(() => b.hub.isLive(`/cam/${off}`) && b.hub.isLive(`/cam/${onAlarm}`), { what: 'both live relays after the restart', timeoutMs: 30_000 });
    expect(b.recording.status(off)).toMatchObject({ state: 'stopped', reason: { code: 'status.policy_off' } });
    expect(b.recording.status(onAlarm)).toMatchObject({ state: 'stopped', reason: { code: 'status.policy_alarm' } });
    await sleep(2500);
    expect(recorders()).toBe(0);
    expect(await segmentsOf(off)).toEqual([]);
    expect(await segmentsOf(onAlarm)).toEqual([]);
  }, 90_000);
});

// Recorder + relay into a real MediaHub: one ffmpeg records and relays; a failing relay never stops recording.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CameraStatus } from '../common/api';
import { ensureClip, fieldClip } from '../test/helpers/clips';
import { ffprobe, runFfmpeg } from '../test/helpers/ffmpeg';
import { decodeErrors, ffprobeFile, waitFor } from '../test/helpers/media-assert';
import { freePort } from '../test/helpers/net';
import { publishRtmp } from '../test/helpers/rtmp';
import { startRtspServer, type RtspServer } from '../test/helpers/rtsp-server';
import { recordArgs } from './ffmpeg-args/recording';
import { relayArgs } from './ffmpeg-args/relay';
import { recordingLauncher, type RecordLauncher } from './record-process';
import { cameraStreamPath, createMediaHub, type MediaHub, type PublishInfo, type ViewerSink } from './hub';
import { Recorder, type ClosedSegment, type RecorderConfig } from './recorder';
import { StreamRelay, type RelayStatus } from './relay';
import { urlSource, type StreamInput } from './stream-source';
import { testLauncher } from '../test/harness/ffmpeg';

const ffmpeg = testLauncher();
const launchRecording = recordingLauncher(ffmpeg);

const urlIn = (url: string, transport: 'tcp' | 'udp' = 'tcp'): Extract<StreamInput, { kind: 'url' }> => ({
  kind: 'url',
  url,
  rtspTransport: transport,
  secrets: [],
});

let rtsp: RtspServer;
let hub: MediaHub;
const published: PublishInfo[] = [];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-relay-'));
const quiet = () => undefined;

beforeAll(async () => {
  const clip = await ensureClip({ width: 640, height: 360, fps: 25, seconds: 4, bitrateKbps: 800, audio: true });
  rtsp = await startRtspServer({ count: 2, clip });
  hub = createMediaHub({ port: 0, host: '127.0.0.1', log: quiet, onPublish: (i) => published.push(i) });
  await hub.start();
});
afterAll(async () => {
  await hub?.close();
  await rtsp?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function harness(cfg: Partial<RecorderConfig> & { url: string }, launch?: RecordLauncher) {
  const closed: ClosedSegment[] = [];
  const statuses: CameraStatus[] = [];
  const specs: Parameters<RecordLauncher>[0][] = [];
  const dir = fs.mkdtempSync(path.join(tmp, 'cam-'));
  const rec = new Recorder(
    { cameraId: 7, segmentSeconds: 2, recordingsDir: dir, source: urlSource(7, 'main', urlIn(cfg.url), cfg.url), ...cfg },
    { onStatus: (s) => statuses.push(s), onSegmentOpened: quiet, onSegmentClosed: (s) => closed.push(s), onSegmentError: quiet },
    { log: quiet, ffmpeg, launch: (spec, cb) => (specs.push(spec), (launch ?? launchRecording)(spec, cb)) },
  );
  return { rec, closed, statuses, specs, dir };
}

function collect(): ViewerSink & { bytes(): Buffer; ended: boolean } {
  const chunks: Buffer[] = [];
  const s = {
    ended: false,
    write: (b: Buffer) => void chunks.push(Buffer.from(b)),
    bufferedBytes: () => 0,
    end: () => void (s.ended = true),
    destroy: () => void (s.ended = true),
    bytes: () => Buffer.concat(chunks),
  };
  return s;
}

describe('ffmpeg arguments', () => {
  it('use RTSP options only for rtsp inputs, and put the relay first as its own stream-copy FLV output', () => {
    const base = { outDir: '/r/7', filePrefix: '1', segmentSeconds: 10, transcodeAudio: false, ioTimeoutS: 10 };
    const cam = recordArgs({ ...base, input: urlIn('rtsp://10.0.0.1/s', 'udp'), relay: { url: 'rtmp://127.0.0.1:1935/cam/7?secret=x', audio: true } });
    expect(cam.inputOptions.slice(0, 4)).toEqual(['-rtsp_transport', 'udp', '-timeout', '10000000']);
    expect(cam.outputs.map((o) => o.output)).toEqual(['rtmp://127.0.0.1:1935/cam/7?secret=x', '/r/7/1-%06d.ts']);
    expect(cam.outputs[0].options).toEqual(expect.arrayContaining(['-map', '0:v:0', '0:a:0?', '-c', 'copy', '-f', 'flv']));
    expect(cam.outputs[0].options.join(' ')).not.toMatch(/-c:v (?!copy)|libx|-vf|tee/);
    const unit = recordArgs({ ...base, input: urlIn('rtmp://127.0.0.1:1935/live/9?secret=x', 'udp') });
    expect(unit.inputOptions).not.toContain('-rtsp_transport');
    expect(unit.inputOptions).not.toContain('-timeout'); // would make the RTMP demuxer listen
    expect(unit.inputOptions).toContain('-rw_timeout');
    expect(unit.outputs).toHaveLength(1);
    const sub = relayArgs({ input: urlIn('rtsp://10.0.0.1/sub'), ioTimeoutS: 5, relay: { url: 'rtmp://h/cam/7_sub?secret=x', audio: false } });
    expect(sub.outputs).toEqual([{ output: 'rtmp://h/cam/7_sub?secret=x', options: expect.not.arrayContaining(['0:a:0?']) }]);
  });

  it('convert only the relay audio to AAC when the recording converts audio (G.711); the video stays a copy', () => {
    const base = { input: urlIn('rtsp://10.0.0.1/s'), outDir: '/r/7', filePrefix: '1', segmentSeconds: 10, ioTimeoutS: 10 };
    const g711 = recordArgs({ ...base, transcodeAudio: true, relay: { url: 'rtmp://h/cam/7?secret=x', audio: true } });
    expect(g711.outputs[0].options.join(' ')).toContain('-c:v copy -c:a aac');
    const aac = recordArgs({ ...base, transcodeAudio: false, relay: { url: 'rtmp://h/cam/7?secret=x', audio: true } });
    expect(aac.outputs[0].options.join(' ')).toContain('-c copy');
    expect(aac.outputs[0].options).not.toContain('aac');
  });
});

describe('relay audio a browser can play', () => {
  it('relays a G.711 source with its audio as AAC (live sound), the picture copied', async () => {
    const src = publishRtmp(hub.internalUrl('live', '41'), await fieldClip('h264-g711a', 4), { loop: true });
    const dir = fs.mkdtempSync(path.join(tmp, 'g711-'));
    try {
      await waitFor(() => hub.isLive('/live/41'), 'G.711 source published', 10_000);
      const proc = launchRecording(
        {
          input: urlIn(hub.internalUrl('live', '41')),
          outDir: dir,
          filePrefix: '1',
          segmentSeconds: 2,
          transcodeAudio: true,
          ioTimeoutS: 5,
          relay: { url: hub.internalUrlFor('/cam/41'), audio: true },
        },
        { onSegmentOpened: quiet, onSegmentClosed: quiet, onProgress: quiet, onExit: quiet },
      );
      try {
        await waitFor(() => hub.streamTracks('/cam/41')?.audio != null, 'relay with audio', 20_000);
        expect(hub.streamTracks('/cam/41')).toEqual({ video: 'h264', audio: 'aac' });
        const sink = collect();
        const v = hub.attachViewer('/cam/41', sink, '127.0.0.1');
        await new Promise((r) => setTimeout(r, 2000));
        v!.detach();
        const file = path.join(tmp, 'g711-viewer.flv');
        fs.writeFileSync(file, sink.bytes());
        expect(sink.bytes()[4], 'FLV header announces audio and video').toBe(0x05);
        const streams = (await ffprobe(file)).streams;
        expect(streams.find((s) => s.codec_type === 'video')?.codec_name).toBe('h264');
        expect(streams.find((s) => s.codec_type === 'audio')?.codec_name).toBe('aac');
      } finally {
        await proc.stop();
      }
    } finally {
      await src.kill();
    }
  });
});

describe('Recorder with relay', () => {
  it('records and relays the camera with one ffmpeg; viewers come and go while segments keep closing', async () => {
    const h = harness({ url: rtsp.url('/cam1'), relayUrl: hub.internalUrlFor(cameraStreamPath(7, 'main')) });
    h.rec.start();
    await waitFor(() => hub.isLive('/cam/7'), 'relay published', 20_000);
    expect(published.at(-1)).toMatchObject({ streamPath: '/cam/7', internal: true });
    const before = h.closed.length;
    for (let i = 0; i < 3; i++) {
      const sink = collect();
      const v = hub.attachViewer('/cam/7', sink, '127.0.0.1');
      expect(v).not.toBeNull();
      await new Promise((r) => setTimeout(r, 1200));
      v!.detach();
      if (i === 0) {
        const file = path.join(tmp, 'cam-viewer.flv');
        fs.writeFileSync(file, sink.bytes());
        expect(sink.bytes().subarray(0, 3).toString()).toBe('FLV');
        expect((await ffprobe(file)).streams.find((s) => s.codec_type === 'video')?.codec_name).toBe('h264');
      }
    }
    await waitFor(() => h.closed.length >= before + 2, 'segments keep closing', 20_000);
    const pid = h.rec.pid;
    await h.rec.close();
    expect(h.specs).toHaveLength(1); // never restarted
    expect(pid).toBeGreaterThan(0);
    expect(h.statuses.every((s) => s.lastError === null)).toBe(true);
    for (const s of h.closed) expect(decodeErrors(path.join(h.dir, s.relPath))).toBe('');
    await waitFor(() => !hub.isLive('/cam/7'), 'relay ended with the recorder', 5000);
  });

  it('falls back to recording without relay when the hub refuses (closed port), without failing the camera', async () => {
    const port = await freePort();
    const h = harness({ url: rtsp.url('/cam2'), relayUrl: `rtmp://127.0.0.1:${port}/cam/7?secret=s3cret-value` });
    h.rec.start();
    await waitFor(() => h.closed.length >= 1, 'a segment recorded without relay', 30_000);
    const st = h.rec.status();
    await h.rec.close();
    expect(st.state).toBe('recording');
    expect(st.failures).toBe(0);
    expect(st.lastError).toMatch(/Live view unavailable/);
    expect(JSON.stringify(h.statuses)).not.toContain('s3cret-value');
    expect(h.statuses.some((s) => s.state === 'failed' || s.state === 'reconnecting')).toBe(false);
    expect(h.specs.map((s) => s.relay !== null && s.relay !== undefined)).toEqual([true, false]);
    expect(ffprobeFile(path.join(h.dir, h.closed[0].relPath)).durationS).toBeGreaterThan(1);
  });

  it('records H.265 without relay (FLV cannot carry it in ffmpeg 5.1) and says why', async () => {
    const hevc = path.join(tmp, 'hevc.ts');
    await runFfmpeg([
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=320x240:rate=25:duration=4',
      '-c:v',
      'libx265',
      '-x265-params',
      'log-level=error:keyint=25',
      '-f',
      'mpegts',
      hevc,
    ]);
    const h = harness({ url: hevc, relayUrl: hub.internalUrlFor(cameraStreamPath(8, 'main')), segmentSeconds: 2 });
    h.rec.start();
    await waitFor(() => h.closed.length >= 1, 'H.265 segment recorded', 30_000);
    await h.rec.close();
    // (A file input ends, so the last status says the stream ended; the relay note came with the recording run.)
    const noted = h.statuses.find((s) => /Live view unavailable: HEVC video cannot be relayed/.test(s.lastError ?? ''));
    expect(noted?.state).toBe('connecting');
    expect(noted?.failures).toBe(0);
    expect(h.specs[0].relay).toBeTruthy();
    expect(h.specs.slice(1).every((s) => !s.relay)).toBe(true); // never tried again
    expect(ffprobeFile(path.join(h.dir, h.closed[0].relPath)).streams[0].codec_name).toBe('hevc');
    // No empty segment file was left by the refused attempt (the relay output comes first).
    for (const f of fs.readdirSync(path.join(h.dir, '7'))) expect(fs.statSync(path.join(h.dir, '7', f)).size).toBeGreaterThan(0);
  });
});

describe('StreamRelay', () => {
  it('relays a sub stream into the hub, restarts after the camera drops, and stops cleanly', async () => {
    const port = await freePort();
    const clip = await ensureClip({ width: 320, height: 240, fps: 25, seconds: 2, bitrateKbps: 300, audio: false, name: 'mute' });
    let cam = await startRtspServer({ count: 1, clip }, port);
    const statuses: RelayStatus[] = [];
    const relay = new StreamRelay(
      { cameraId: 9, label: 'sub', source: urlSource(9, 'sub', urlIn(cam.url('/cam1')), 'cam1'), relayUrl: hub.internalUrlFor(cameraStreamPath(9, 'sub')) },
      { log: quiet, ffmpeg, minBackoffMs: 300, onStatus: (s) => statuses.push(s) },
    );
    try {
      relay.start();
      await waitFor(() => hub.isLive('/cam/9_sub') && relay.status().state === 'relaying', 'sub relayed', 20_000);
      await cam.stop();
      await waitFor(() => !hub.isLive('/cam/9_sub'), 'relay ended with the camera', 20_000);
      await waitFor(() => relay.status().state === 'reconnecting' || relay.status().state === 'failed', 'reconnecting', 20_000);
      cam = await startRtspServer({ count: 1, clip }, port);
      await waitFor(() => hub.isLive('/cam/9_sub'), 'relayed again', 30_000);
    } finally {
      await relay.close();
      await cam.stop();
    }
    expect(relay.status().state).toBe('stopped');
    expect(statuses.some((s) => s.state === 'reconnecting' && s.lastError)).toBe(true);
    await waitFor(() => !hub.isLive('/cam/9_sub'), 'relay stopped', 5000);
  });
});

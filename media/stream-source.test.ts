// Invariant 8 (docs/design/devices.md): the recorder records any StreamSource alike. The same assertions on an RTSP camera
// (GStreamer), the hub (an ffmpeg RTMP publisher), and pipes fed from a Node Readable (MPEG-PS, raw H.264 Annex B).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CameraStatus } from '../common/api';
import { msg } from '../common/messages';
import { ensureClip } from '../test/helpers/clips';
import { ffprobe, runFfmpeg } from '../test/helpers/ffmpeg';
import { decodeErrors, ffprobeFile, waitFor } from '../test/helpers/media-assert';
import { freePort } from '../test/helpers/net';
import { publishRtmp, type Publisher } from '../test/helpers/rtmp';
import { startRtspServer, type RtspServer } from '../test/helpers/rtsp-server';
import { redactSecrets } from './ffmpeg-launcher';
import { streamInputArgs } from './ffmpeg-args/input';
import { cameraStreamPath, createMediaHub, type MediaHub, type ViewerSink } from './hub';
import { recordingLauncher, type RecordLauncher } from './record-process';
import { Recorder, type ClosedSegment } from './recorder';
import { StreamRelay } from './relay';
import { SourceUnavailable, type PipeFormat, type StreamInput, type StreamSource } from './stream-source';
import { testLauncher } from '../test/harness/ffmpeg';

const ffmpeg = testLauncher();
const launchRecording = recordingLauncher(ffmpeg);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-source-'));
const quiet = () => undefined;
let hub: MediaHub;
let rtsp: RtspServer;
let publisher: Publisher;
let psFile: string;
let h264File: string;
const CLIP_S = 10;

beforeAll(async () => {
  const clip = await ensureClip({ width: 640, height: 360, fps: 25, seconds: 4, bitrateKbps: 800, audio: true });
  rtsp = await startRtspServer({ count: 1, clip });
  hub = createMediaHub({ port: 0, host: '127.0.0.1', log: quiet });
  await hub.start();
  publisher = publishRtmp(hub.internalUrl('live', '61'), clip, { loop: true });
  // What a GB/T 28181 adapter hands over (PS, H.264 + audio) and what a JT/T 1078 adapter hands over (Annex B, no timestamps).
  psFile = path.join(tmp, 'source.mpg');
  h264File = path.join(tmp, 'source.h264');
  const video = ['-f', 'lavfi', '-i', `testsrc2=size=320x240:rate=25:duration=${CLIP_S}`];
  const x264 = ['-c:v', 'libx264', '-preset', 'veryfast', '-g', '25', '-bf', '0', '-pix_fmt', 'yuv420p'];
  await runFfmpeg([
    '-v',
    'error',
    '-y',
    ...video,
    '-f',
    'lavfi',
    '-i',
    `sine=frequency=1000:sample_rate=16000:duration=${CLIP_S}`,
    ...x264,
    '-c:a',
    'mp2',
    '-b:a',
    '64k',
    '-f',
    'vob',
    psFile,
  ]);
  await runFfmpeg(['-v', 'error', '-y', ...video, ...x264, '-f', 'h264', h264File]);
  await waitFor(() => hub.isLive('/live/61'), 'hub source published', 20_000);
}, 120_000);

afterAll(async () => {
  await publisher?.kill();
  await hub?.close();
  await rtsp?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** The file's bytes at about its real rate (100 ms steps), then the end: a device streaming, then hanging up. */
function paced(file: string, durationS: number): Readable {
  const data = fs.readFileSync(file);
  const per = Math.ceil((data.length * 100) / (durationS * 1000));
  const out = new PassThrough();
  let off = 0;
  const t = setInterval(() => {
    if (out.destroyed) return clearInterval(t);
    out.write(data.subarray(off, off + per));
    off += per;
    if (off >= data.length) {
      clearInterval(t);
      out.end();
    }
  }, 100);
  out.on('close', () => clearInterval(t));
  return out;
}

/** A source that counts its opens and releases around an inner open(). */
interface Counted extends StreamSource {
  opens: number;
  releases: number;
}

function counted(channelId: number, describe: string, open: () => Promise<StreamInput>, release: () => void = quiet): Counted {
  const s: Counted = {
    channelId,
    stream: 'main',
    opens: 0,
    releases: 0,
    describe: () => describe,
    open: () => {
      s.opens++;
      return open();
    },
    release: () => {
      s.releases++;
      release();
    },
  };
  return s;
}

function urlIn(url: string, secrets: string[] = []): StreamInput {
  return { kind: 'url', url, rtspTransport: 'tcp', secrets };
}

function pipeSource(channelId: number, file: string, format: PipeFormat): Counted {
  let bytes: Readable | null = null;
  return counted(
    channelId,
    `${format} replay`,
    () => {
      bytes = paced(file, CLIP_S);
      return Promise.resolve({ kind: 'pipe', format, bytes });
    },
    () => bytes?.destroy(),
  );
}

const SOURCES: Array<{ name: string; id: number; make(): Counted }> = [
  { name: 'RTSP camera (url)', id: 71, make: () => counted(71, 'rtsp', () => Promise.resolve(urlIn(rtsp.url('/cam1')))) },
  {
    name: 'hub stream of a unit (url, RTMP)',
    id: 72,
    make: () => {
      // As the agent adapter does: a one-time URL per run (the hub's internal secret never goes on a command line).
      return counted(72, 'hub /live/61', () => Promise.resolve(urlIn(hub.onceUrlFor('/live/61'))));
    },
  },
  { name: 'MPEG-PS bytes (pipe)', id: 73, make: () => pipeSource(73, psFile, 'mpeg-ps') },
  { name: 'H.264 Annex B bytes (pipe)', id: 74, make: () => pipeSource(74, h264File, 'h264') },
];

function collect(): ViewerSink & { bytes(): Buffer } {
  const chunks: Buffer[] = [];
  return { write: (b) => void chunks.push(Buffer.from(b)), bufferedBytes: () => 0, end: quiet, destroy: quiet, bytes: () => Buffer.concat(chunks) };
}

function harness(id: number, source: StreamSource, opts: { launch?: RecordLauncher; relay?: boolean } = {}) {
  const closed: ClosedSegment[] = [];
  const statuses: CameraStatus[] = [];
  const errors: string[] = [];
  const logs: string[] = [];
  const launched: number[] = [];
  const dir = fs.mkdtempSync(path.join(tmp, `ch${id}-`));
  const rec = new Recorder(
    { cameraId: id, source, segmentSeconds: 2, recordingsDir: dir, relayUrl: opts.relay === false ? null : hub.internalUrlFor(cameraStreamPath(id, 'main')) },
    { onStatus: (s) => statuses.push(s), onSegmentOpened: quiet, onSegmentClosed: (s) => closed.push(s), onSegmentError: (p, m) => errors.push(`${p}: ${m}`) },
    { log: (m) => logs.push(m), ffmpeg, minBackoffMs: 500, launch: (spec, cb) => (launched.push(Date.now()), (opts.launch ?? launchRecording)(spec, cb)) },
  );
  return { rec, closed, statuses, errors, logs, launched, dir };
}

describe('the recorder records every StreamSource alike (invariant 8)', () => {
  for (const src of SOURCES) {
    it(`${src.name}: segments indexed and closed, ffprobe durations plausible, relay viewable, source released after every run`, async () => {
      const source = src.make();
      const h = harness(src.id, source);
      h.rec.start();
      try {
        await waitFor(() => h.statuses.some((s) => s.state === 'recording'), 'recording', 30_000);
        await waitFor(() => hub.isLive(cameraStreamPath(src.id, 'main')), 'relay live', 20_000);
        const sink = collect();
        const viewer = hub.attachViewer(cameraStreamPath(src.id, 'main'), sink, '127.0.0.1');
        expect(viewer).not.toBeNull();
        await new Promise((r) => setTimeout(r, 1500));
        viewer!.detach();
        const flv = path.join(h.dir, 'viewer.flv');
        fs.writeFileSync(flv, sink.bytes());
        expect(sink.bytes().subarray(0, 3).toString()).toBe('FLV');
        expect((await ffprobe(flv)).streams.find((s) => s.codec_type === 'video')?.codec_name).toBe('h264');
        await waitFor(() => h.closed.length >= 3, 'three closed segments', 40_000);
      } finally {
        await h.rec.close();
      }
      if (process.env.SOURCE_LOG) console.log(h.logs.join('\n'));
      expect(h.errors).toEqual([]);
      expect(h.rec.pid).toBeUndefined();
      expect(source.opens).toBeGreaterThanOrEqual(1);
      expect(source.releases).toBe(source.opens);
      expect(h.launched.length).toBeLessThanOrEqual(source.opens);
      const segs = [...h.closed].sort((a, b) => a.startMs - b.startMs);
      for (const [i, s] of segs.entries()) {
        const file = path.join(h.dir, s.relPath);
        const p = ffprobeFile(file);
        expect(s.videoCodec, s.relPath).toBe('h264');
        expect(p.streams.find((x) => x.codec_type === 'video')?.codec_name).toBe('h264');
        expect(Math.abs(p.durationS * 1000 - s.durationMs), `${s.relPath}: index ${s.durationMs} ms, ffprobe ${p.durationS} s`).toBeLessThan(600);
        expect(s.endMs).toBeGreaterThan(s.startMs);
        // Every segment but a run's last is cut at the segment length (keyframes each second).
        const runOf = (x: ClosedSegment) => path.basename(x.relPath).split('-')[0];
        const lastOfRun = i === segs.length - 1 || runOf(segs[i + 1]) !== runOf(s);
        if (!lastOfRun) {
          expect(p.durationS, s.relPath).toBeGreaterThan(1.5);
          expect(p.durationS, s.relPath).toBeLessThan(3.5);
        }
        expect(decodeErrors(file), s.relPath).toBe('');
      }
    }, 150_000);
  }
});

describe('pipe sources', () => {
  it('the end of the bytes ends the run (segment closed and indexed), and the recorder opens the source again', async () => {
    const source = pipeSource(75, h264File, 'h264');
    const h = harness(75, source, { relay: false });
    h.rec.start();
    try {
      await waitFor(() => source.opens >= 2 && h.statuses.at(-1)?.state === 'recording', 'second run after the end of the bytes', 60_000);
    } finally {
      await h.rec.close();
    }
    expect(source.releases).toBe(source.opens);
    expect(h.statuses.some((s) => s.reason?.code === 'status.stream_ended')).toBe(true);
    // The first run's segments were all closed before the second run began.
    const firstRun = h.closed.filter((s) => s.startMs < h.launched[1]);
    expect(firstRun.length).toBeGreaterThanOrEqual(3);
    expect(firstRun.reduce((t, s) => t + s.durationMs, 0)).toBeGreaterThan((CLIP_S - 3) * 1000);
  }, 120_000);

  it('get -f <demuxer> -i pipe:3; raw elementary streams timed by their frame rate (the server clock only when asked)', () => {
    const bytes = new PassThrough();
    const ps = streamInputArgs({ kind: 'pipe', format: 'mpeg-ps', bytes }, 10);
    expect(ps.input).toBe('pipe:3');
    expect(ps.inputOptions.slice(-2)).toEqual(['-f', 'mpeg']);
    expect(ps.inputOptions).not.toContain('-use_wallclock_as_timestamps');
    expect(ps.inputBytes).toBe(bytes);
    const es = streamInputArgs({ kind: 'pipe', format: 'hevc', bytes }, 10);
    expect(es.inputOptions.join(' ')).toMatch(/-fflags \+genpts\S* -f hevc$/);
    expect(streamInputArgs({ kind: 'pipe', format: 'h264', bytes }, 10, true).inputOptions.join(' ')).toMatch(/-use_wallclock_as_timestamps 1 -f h264$/);
    const plain = streamInputArgs({ kind: 'url', url: 'rtsp://10.0.0.1/s', rtspTransport: 'udp', secrets: [] }, 10);
    expect(plain).toMatchObject({ input: 'rtsp://10.0.0.1/s', secrets: [] });
    expect(plain.inputOptions.slice(0, 2)).toEqual(['-rtsp_transport', 'udp']);
    expect(plain.inputBytes).toBeUndefined();
  });

  it('hands a URL with credentials over in an ffconcat script on fd 3: nothing of them on the command line', async () => {
    const url = streamInputArgs({ kind: 'url', url: "rtsp://u:p%23w'x@10.0.0.1/s", rtspTransport: 'udp', secrets: ["p#w'x"] }, 10, true);
    expect(url.input).toBe('pipe:3');
    expect(url.inputOptions.slice(0, 4)).toEqual(['-f', 'concat', '-safe', '0']);
    expect(url.inputOptions).toContain('-use_wallclock_as_timestamps');
    expect([url.input, ...url.inputOptions].join(' ')).not.toMatch(/p%23w|p#w|10\.0\.0\.1/);
    expect(url.secrets).toEqual(expect.arrayContaining(["p#w'x", "p%23w'x"]));
    const chunks: Buffer[] = [];
    for await (const c of url.inputBytes!) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).toString('utf8')).toBe(
      "ffconcat version 1.0\nfile 'rtsp://u:p%23w'\\''x@10.0.0.1/s'\noption rtsp_transport udp\noption timeout 10000000\noption analyzeduration 2000000\n",
    );
  });
});

describe('a source that cannot be opened', () => {
  it("starts no ffmpeg: the status says the adapter's reason, reconnecting; permanent → failed at once", async () => {
    let permanent = false;
    const source = counted(76, 'unit 76', () => Promise.reject(new SourceUnavailable(msg('status.not_publishing'), permanent)));
    const h = harness(76, source);
    h.rec.start();
    await waitFor(() => source.opens >= 2, 'retried', 20_000);
    expect(h.rec.status()).toMatchObject({ state: 'reconnecting', reason: { code: 'status.not_publishing' } });
    expect(h.rec.status().lastError).toBe('The unit is not sending video');
    permanent = true;
    const before = source.opens;
    await waitFor(() => source.opens > before && h.rec.status().state === 'failed', 'failed at once', 20_000);
    await h.rec.close();
    expect(h.launched).toEqual([]);
    expect(source.releases).toBe(source.opens);
    expect(h.rec.status().reason?.code).toBe('status.not_publishing');
  }, 60_000);

  it('is released when the recorder closes while open() is still pending (the signal aborted)', async () => {
    let aborted = false;
    const source: Counted = counted(77, 'slow', () => new Promise<StreamInput>(() => undefined));
    source.open = (signal) => {
      source.opens++;
      return new Promise((_resolve, reject) => signal.addEventListener('abort', () => ((aborted = true), reject(new Error('aborted')))));
    };
    const h = harness(77, source);
    h.rec.start();
    await waitFor(() => source.opens === 1, 'opening');
    await h.rec.close();
    expect(aborted).toBe(true);
    expect(source.releases).toBe(1);
    expect(h.launched).toEqual([]);
    expect(h.rec.status().state).toBe('stopped');
  });
});

describe('secrets of a URL source', () => {
  it('never reach a log line or a status (as written or URL-encoded)', async () => {
    const port = await freePort();
    const password = 'pa ss/w0rd';
    const url = `rtsp://admin:${encodeURIComponent(password)}@127.0.0.1:${port}/cam1`;
    const source = counted(78, `rtsp://127.0.0.1:${port}/cam1`, () => Promise.resolve(urlIn(url, [password])));
    const h = harness(78, source, { relay: false });
    h.rec.start();
    await waitFor(() => h.statuses.some((s) => s.failures >= 1), 'first failure', 20_000);
    await h.rec.close();
    const seen = JSON.stringify([h.statuses, h.logs]);
    expect(seen).not.toContain(password);
    expect(seen).not.toContain(encodeURIComponent(password));
    expect(redactSecrets(`Input from '${url}?secret=abc'`, [password])).toBe(`Input from 'rtsp://admin:***@127.0.0.1:${port}/cam1?secret=***'`);
  });
});

describe('StreamRelay', () => {
  it('relays a pipe source into the hub and releases it after every run', async () => {
    const source = pipeSource(79, h264File, 'h264');
    const relay = new StreamRelay(
      { cameraId: 79, label: 'sub', source, relayUrl: hub.internalUrlFor(cameraStreamPath(79, 'sub')) },
      { log: quiet, ffmpeg, minBackoffMs: 500 },
    );
    relay.start();
    try {
      await waitFor(() => hub.isLive('/cam/79_sub') && relay.status().state === 'relaying', 'relayed', 30_000);
    } finally {
      await relay.close();
    }
    expect(source.releases).toBe(source.opens);
    await waitFor(() => !hub.isLive('/cam/79_sub'), 'relay ended', 5000);
  }, 60_000);
});

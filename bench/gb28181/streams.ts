// bench:gb28181 part "streams": M channels of simulated GB devices stream PS over RTP into Argus's live path (SIP endpoint, GbLive, RTP receiver, PS fix-up, Recorder): INVITE → first frame, CPU per stream, gaps.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CameraStatus } from '../../common/api';
import { asLog } from '../../common/log';
import { streamInputArgs } from '../../media/ffmpeg-args/input';
import { Recorder, type ClosedSegment } from '../../media/recorder';
import type { StreamInput, StreamSource } from '../../media/stream-source';
import type { GbLiveLease } from '../../main/services/contracts';
import { GbEndpoint } from '../../main/services/gb28181/endpoint';
import { GbLive } from '../../main/services/gb28181/live';
import { testLauncher } from '../../test/harness/ffmpeg';
import { ensureClip } from '../../test/helpers/clips';
import { startGbSim, type GbSim } from '../../test/helpers/gb-sim';
import { analyzeGaps } from '../lib/gaps';
import { sampleTree } from '../lib/proc-tree';
import { fmt, median, percentile } from '../lib/stats';

const SERVER_ID = '34020000002000000001';
const DOMAIN = '3402000000';
const FIRST_DEVICE = '34020000001320000001';
const PASSWORD = 'bench-gb-streams';
const CHANNELS_PER_DEVICE = 4;
const SEGMENT_S = 4;

interface Stream {
  channelGbId: string;
  deviceGbId: string;
  recorder: Recorder | null;
  closed: ClosedSegment[];
  status: CameraStatus | null;
  firstFrameMs: number;
}

/**
 * The first frame an ffmpeg reading `input` with the input options Argus's recorder and relay use for it
 * (streamInputArgs of the pipe input: `-f mpeg` on the fixed-up PS) decodes, in ms after `t0` (performance.now());
 * rejects after 20 s.
 */
function firstDecodedFrame(input: StreamInput, t0: number): Promise<number> {
  if (input.kind !== 'pipe') return Promise.reject(new Error('a GB live stream is a pipe input'));
  const args = streamInputArgs(input, 10);
  const ff = spawn(
    'ffmpeg',
    [
      '-v',
      'error',
      ...args.inputOptions,
      '-i',
      'pipe:0',
      '-map',
      '0:v:0',
      '-frames:v',
      '1',
      '-vf',
      'scale=16:16',
      '-pix_fmt',
      'gray',
      '-f',
      'rawvideo',
      'pipe:1',
    ],
    { stdio: ['pipe', 'pipe', 'ignore'] },
  );
  input.bytes.pipe(ff.stdin).on('error', () => undefined);
  return new Promise<number>((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      input.bytes.unpipe(ff.stdin);
      ff.kill('SIGKILL');
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error('no frame decoded within 20 s'));
    }, 20_000);
    ff.stdout.once('data', () => {
      const ms = performance.now() - t0;
      done();
      resolve(ms);
    });
    ff.once('error', (e) => {
      done();
      reject(e);
    });
  });
}

/** A GB channel's StreamSource as the server makes it (main/services/sources/gb28181.ts): a lease of the shared live stream per run. */
function liveSource(channelId: number, live: GbLive, deviceGbId: string, channelGbId: string): StreamSource {
  let lease: GbLiveLease | null = null;
  return {
    channelId,
    stream: 'main',
    describe: () => `gb28181 INVITE ${channelGbId}`,
    open: async (signal) => {
      lease = await live.acquire(deviceGbId, channelGbId, signal);
      return lease.input;
    },
    release: () => {
      lease?.release();
      lease = null;
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * `streams` channels (smoke: 2, else 16) of 1080p 25 fps 4 Mbit/s H.264 + G.711A, 4 per simulated device, each asked
 * for over UDP one after the other through GbLive as a viewer would (acquire → INVITE → first frame decoded by an ffmpeg
 * reading the stream like the relay), then all recorded by the real Recorder on the shared stream (stream copy, 4 s
 * segments) for the measure phase (smoke 10 s, else 60 s): CPU of this process (endpoint, GbLive's receivers, PS
 * fix-up) plus the recorders' ffmpeg per stream, and the holes between segments.
 * The simulator is a child process whose CPU is not counted.
 */
export async function run(opts: { smoke: boolean }): Promise<{ lines: string[]; result: Record<string, number> }> {
  const streamCount = opts.smoke ? 2 : 16;
  const measureMs = opts.smoke ? 10_000 : 60_000;
  const lines: string[] = [];
  const note = (s: string) => {
    lines.push(s);
    process.stderr.write(`[gb28181 streams] ${s}\n`);
  };
  const clip = await ensureClip({ width: 1920, height: 1080, bitrateKbps: 4000 });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-bench-gb-streams-'));
  const ep = new GbEndpoint({
    serverId: SERVER_ID,
    domain: DOMAIN,
    bind: '127.0.0.1',
    port: 0,
    localHost: '127.0.0.1',
    log: asLog(() => undefined, 'gb28181'),
    now: Date.now,
    registrar: {
      device: () => Promise.resolve({ approved: true, enabled: true, password: PASSWORD, keepaliveS: 60 }),
      sitePassword: () => null,
      unknownDevices: () => 'refuse',
      hold: () => Promise.resolve(),
      saveRegistration: () => Promise.resolve(),
      refused: () => undefined,
    },
  });
  const streams: Stream[] = [];
  let sim: GbSim | null = null;
  let live: GbLive | null = null;
  const lostNow = () => (live?.states() ?? []).reduce((n, st) => n + (st.counters?.lost ?? 0), 0);
  try {
    await ep.start();
    const devices = Math.ceil(streamCount / CHANNELS_PER_DEVICE);
    sim = await startGbSim({
      serverPort: ep.port,
      serverId: SERVER_ID,
      domain: DOMAIN,
      deviceId: FIRST_DEVICE,
      password: PASSWORD,
      devices,
      channels: CHANNELS_PER_DEVICE,
      clip,
      quiet: true,
      readyTimeoutMs: 120_000,
    });
    const targets: Array<{ deviceGbId: string; channelGbId: string }> = [];
    for (let d = 0; d < devices && targets.length < streamCount; d++) {
      const deviceGbId = FIRST_DEVICE.slice(0, 13) + String(Number(FIRST_DEVICE.slice(13)) + d).padStart(7, '0');
      const state = await sim.state(deviceGbId);
      for (const ch of state.channels as Array<{ id: string; kind: string }>) {
        if (ch.kind === 'camera' && targets.length < streamCount) targets.push({ deviceGbId, channelGbId: ch.id });
      }
    }
    note(`${devices} simulated devices registered, ${targets.length} channels of ${path.basename(clip)}`);

    const ffmpeg = testLauncher();
    live = new GbLive({ signalling: ep, transportOf: () => 'udp', mediaHost: '127.0.0.1', bindHost: '127.0.0.1', log: () => undefined });
    live.start();
    for (const [i, t] of targets.entries()) {
      const s: Stream = { ...t, recorder: null, closed: [], status: null, firstFrameMs: NaN };
      streams.push(s);
      // A viewer asks for the channel: INVITE, RTP, the first decoded frame; the recorder then shares the same stream.
      const t0 = performance.now();
      const lease = await live.acquire(t.deviceGbId, t.channelGbId, new AbortController().signal);
      try {
        s.firstFrameMs = await firstDecodedFrame(lease.input, t0);
      } finally {
        lease.release();
      }
      s.recorder = new Recorder(
        { cameraId: i + 1, source: liveSource(i + 1, live, t.deviceGbId, t.channelGbId), segmentSeconds: SEGMENT_S, recordingsDir: tmp },
        {
          onStatus: (st) => (s.status = st),
          onSegmentOpened: () => undefined,
          onSegmentClosed: (seg) => s.closed.push(seg),
          onSegmentError: () => undefined,
        },
        { ffmpeg, log: () => undefined },
      );
      s.recorder.start();
    }
    const ff = streams.map((s) => s.firstFrameMs);
    note(`INVITE → first frame: p50 ${fmt(median(ff), 0)} ms, p95 ${fmt(percentile(ff, 95), 0)} ms, max ${fmt(Math.max(...ff), 0)} ms`);

    // Every recorder recording, then a first segment boundary behind us before measuring.
    const readyBy = Date.now() + 60_000;
    while (!streams.every((s) => s.status?.state === 'recording') && Date.now() < readyBy) await sleep(200);
    await sleep(SEGMENT_S * 1000 + 1000);
    const lostBefore = lostNow();
    const label = (p: { comm: string }) => (p.comm === 'ffmpeg' ? 'recorder' : null);
    const treeA = sampleTree(process.pid, label);
    const selfA = process.cpuUsage();
    const startMs = Date.now();
    await sleep(measureMs);
    const endMs = Date.now();
    const selfS = (() => {
      const u = process.cpuUsage(selfA);
      return (u.user + u.system) / 1e6;
    })();
    const treeB = sampleTree(process.pid, label);
    let recorderS = 0;
    for (const [key, end] of treeB.procs) recorderS += end.cpuS - (treeA.procs.get(key)?.cpuS ?? 0);
    const wallS = (endMs - startMs) / 1000;
    const cpuPctPerStream = ((selfS + recorderS) / wallS / streams.length) * 100;
    note(
      `CPU per stream: ${fmt(cpuPctPerStream, 2)} % of a core (receive + demux ${fmt((selfS / wallS / streams.length) * 100, 2)} %, recorder ffmpeg ${fmt((recorderS / wallS / streams.length) * 100, 2)} %)`,
    );

    // Holes between the segments of each stream inside the measure window (a segment still open at the end is not counted).
    await sleep(SEGMENT_S * 1000 + 2000);
    let gapMs = 0;
    let uncoveredMs = 0;
    for (const s of streams) {
      const spans = s.closed
        .filter((c) => c.endMs > startMs && c.startMs < endMs)
        .map((c) => ({ startMs: Math.max(c.startMs, startMs), endMs: Math.min(c.endMs, endMs) }));
      const g = analyzeGaps(spans);
      gapMs += g.gapMs;
      uncoveredMs += Math.max(0, endMs - startMs - g.recordedMs + g.overlapMs);
    }
    const lost = lostNow() - lostBefore;
    note(
      `gaps: ${fmt(gapMs / 1000, 2)} s between segments over ${streams.length} streams × ${fmt(wallS, 0)} s (window not covered: ${fmt(uncoveredMs / 1000, 2)} s); RTP lost ${lost}`,
    );
    return {
      lines,
      result: {
        streams: streams.length,
        invite_to_first_frame_ms_p50: Math.round(median(ff)),
        cpu_pct_per_stream: Number(cpuPctPerStream.toFixed(2)),
        gap_s: Number((gapMs / 1000).toFixed(2)),
        rtp_lost: lost,
      },
    };
  } finally {
    await Promise.all(streams.map((s) => s.recorder?.close() ?? Promise.resolve()));
    await live?.close();
    await sim?.stop();
    await ep.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

// Alone: `npx tsx bench/gb28181/streams.ts [--smoke]`.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  run({ smoke: process.argv.includes('--smoke') }).then(
    ({ lines, result }) => {
      for (const l of lines) console.log(l);
      console.log(
        `RESULT ${Object.entries(result)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')}`,
      );
    },
    (err: Error) => {
      console.error(err.stack ?? err.message);
      process.exit(1);
    },
  );
}

// bench:gb28181 (demux part): CPU of receiving + demuxing + recording one 1080p 4 Mbit/s GB/T 28181 PS stream (RTP/UDP → RtpReceiver → PS fix-up → Recorder's ffmpeg).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Recorder, type ClosedSegment } from '../../media/recorder';
import { rtpPsInput, type RtpPsInput } from '../../media/rtp/ps-input';
import { RtpReceiver } from '../../media/rtp/receiver';
import type { StreamSource } from '../../media/stream-source';
import { testLauncher } from '../../test/harness/ffmpeg';
import { ensureClip } from '../../test/helpers/clips';
import { waitFor } from '../../test/helpers/media-assert';
import { descendants } from '../lib/proc-tree';
import { sampleProcess } from '../lib/proc';

const TSX = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));
const SENDER = fileURLToPath(new URL('./ps-send.ts', import.meta.url));

function ffmpegCpuS(): number {
  let s = 0;
  for (const p of descendants(process.pid)) if (p.comm === 'ffmpeg') s += sampleProcess(p.pid)?.cpuS ?? 0;
  return s;
}

export async function run(opts: { smoke: boolean }): Promise<{ lines: string[]; result: Record<string, number> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-bench-gbps-'));
  const clip = await ensureClip({ name: 'gb-1080p', width: 1920, height: 1080, fps: 25, seconds: 20, bitrateKbps: 4000, gopSeconds: 2, audio: 'alaw' });
  const ssrc = 200000001;
  const rx = new RtpReceiver({ transport: 'udp', bindHost: '127.0.0.1', ssrc, log: () => undefined });
  const port = await rx.start();
  const sender = spawn(TSX, [SENDER, clip, 'alaw', String(port), String(ssrc)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let cur: RtpPsInput | null = null;
  const source: StreamSource = {
    channelId: 1,
    stream: 'main',
    describe: () => 'bench gb28181',
    open: () => {
      cur = rtpPsInput(rx);
      return Promise.resolve(cur.input);
    },
    release: () => cur?.end(),
  };
  const closed: ClosedSegment[] = [];
  let recording = false;
  const rec = new Recorder(
    { cameraId: 1, segmentSeconds: 4, recordingsDir: dir, source },
    {
      onStatus: (s) => (recording = s.state === 'recording'),
      onSegmentOpened: () => undefined,
      onSegmentClosed: (s) => closed.push(s),
      onSegmentError: () => undefined,
    },
    { log: () => undefined, ffmpeg: testLauncher() },
  );
  const lines: string[] = [];
  try {
    rec.start();
    await waitFor(() => recording, 'recording', 60_000);
    // Past the G.711 → AAC restart and the first segment.
    await waitFor(() => closed.length >= 1 && recording, 'a first segment', 60_000);
    const seconds = opts.smoke ? 8 : 30;
    const c0 = process.cpuUsage();
    const f0 = ffmpegCpuS();
    const b0 = rx.counters().bytes;
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const wallS = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    const nodeS = (c.user + c.system) / 1e6;
    const ffS = ffmpegCpuS() - f0;
    const mbps = ((rx.counters().bytes - b0) * 8) / wallS / 1e6;
    const node = (100 * nodeS) / wallS;
    const ff = (100 * ffS) / wallS;
    const counters = rx.counters();
    lines.push(
      `one 1080p PS stream (${mbps.toFixed(2)} Mbit/s payload, G.711A → AAC), ${wallS.toFixed(0)} s: receive + fix-up (Node) ${node.toFixed(2)} % of a core, ffmpeg (demux + record + AAC) ${ff.toFixed(2)} %, total ${(node + ff).toFixed(2)} %; lost ${counters.lost}, segments ${closed.length}`,
    );
    return {
      lines,
      result: {
        ps_mbps: Number(mbps.toFixed(2)),
        receive_cpu_pct: Number(node.toFixed(2)),
        ffmpeg_cpu_pct: Number(ff.toFixed(2)),
        cpu_pct_per_stream: Number((node + ff).toFixed(2)),
        rtp_lost: counters.lost,
      },
    };
  } finally {
    await rec.close();
    sender.kill('SIGTERM');
    await rx.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await run({ smoke: process.argv.includes('--smoke') });
  for (const l of r.lines) console.log(l);
  console.log(
    `RESULT ${Object.entries(r.result)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')}`,
  );
}

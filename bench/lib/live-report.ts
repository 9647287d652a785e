// bench:live report: the tables and figures of the five phases and the field-shaped sources, ending with the RESULT line.
import os from 'node:os';
import type { Camera } from '../../common/api';
import { accountedCores, type CpuWindow } from './live-cpu';
import type { FirstFrame, LatencySamples, TileCounters, WaitingAnalysis } from './live-page';
import { shapePairs, shapeResult, type ShapeFigures } from './live-shapes';
import { loadAverage } from './proc';
import { fmt, max, median, percentile, sum } from './stats';
import { renderPairs, renderTable, type Cell } from './table';

/** Targets from the live-view requirements (reported, not enforced by the exit status). */
const TARGET = { firstFrameMsP50: 1000, latencyMsP50: 800, stalls: 0 };

export interface DropResult {
  n: number;
  cameraId: number;
  ff: FirstFrame;
  /** drop -> first frame presented (requestVideoFrameCallback), ms. */
  firstFrameMs: number;
  /** The console's own figure (data-first-frame-ms: player start -> first growth of the frame counter, sampled every 250 ms). */
  playerMs: number | null;
  servedStream: string | null;
}

/** One connection of the latency tile: samples of that player's life after the warm-up. */
export interface LatencyConnection {
  raw: LatencySamples;
  latencyMs: number[];
  presentedLatencyMs: number[];
  /**
   * Stream time advanced per second of wall time between the first and the last sample: 1 = real time; below 1 the
   * tile played slower (or stood still), above 1 it jumped forward (drift guard).
   */
  rate: number;
  windowS: number;
}

export interface LatencyResult {
  label: string;
  tile: number;
  connections: LatencyConnection[];
  t0Ms: number;
  t0AfterSpawnMs: number;
  /** All connections pooled. */
  latencyMs: number[];
  presentedLatencyMs: number[];
  bufferS: number[];
  frames: number;
  windowS: number;
  /** Counters of every tile on the wall over the whole measurement (drops and warm-ups included). */
  counters: TileCounters[];
  cpu: CpuWindow;
}

/** Everything the report reads, measured by bench/live.ts. */
export interface LiveFigures {
  flags: { drops: number; seconds: number; 'latency-seconds': number; 'warmup-seconds': number };
  tiles: number;
  wall: '1' | '4' | '9' | '16';
  /** Bit rate of the cameras' clip and of the time-code unit, kbit/s. */
  clipKbps: number;
  unitKbps: number;
  cameras: Camera[];
  drops: DropResult[];
  firstFrameMs: number[];
  lat1: LatencyResult;
  latW: LatencyResult;
  connects: number;
  publisherFrames: number;
  publisherReports: number;
  idle: CpuWindow;
  soakCpu: CpuWindow;
  soak: TileCounters[];
  soakWaiting: WaitingAnalysis;
  soakPlaying: number;
  fillS: number;
  soakServerLines: string[];
  soakPlayerLines: Array<{ atMs: number; text: string }>;
  pageErrors: string[];
  serverPid: number | undefined;
  loadAtStart: string;
  shapes: ShapeFigures;
}

/** The report printed on stdout; its last line is the RESULT line. */
export function liveReport(f: LiveFigures): string {
  const { flags, tiles, wall, clipKbps, unitKbps, cameras, drops, firstFrameMs, lat1, latW, connects, publisherFrames, publisherReports } = f;
  const { idle, soakCpu, soak, soakWaiting, soakPlaying, fillS, soakServerLines, soakPlayerLines, pageErrors, serverPid, loadAtStart, shapes } = f;
  const stallsReconnects = sum(soak.map((t) => t.leftPlaying));
  const stallsWaiting = sum(soak.map((t) => t.waiting));
  const stalls = stallsReconnects + stallsWaiting;
  const dropped = sum(soak.map((t) => t.dropped));
  const decoded = sum(soak.map((t) => t.decoded));
  const presented = sum(soak.map((t) => t.presented));
  const freezes = sum(soak.map((t) => t.freezes));
  const hubPerViewer = soakCpu.serverPct / tiles;
  const hubMarginal = (soakCpu.serverPct - idle.serverPct) / tiles;
  const retryLines = soakPlayerLines.filter((l) => /retry in/.test(l.text));
  const logCount = (re: RegExp) => soakServerLines.filter((l) => re.test(l)).length;
  const playerMs = drops.map((d) => d.playerMs).filter((v): v is number => v !== null);

  const out: string[] = [];
  out.push('', `== bench:live: first frame x ${flags.drops}, latency ${flags['latency-seconds']} s x 2, ${tiles} tiles x ${flags.seconds} s ==`, '');
  out.push(
    'Time to first frame (drop of a camera from the device tree onto tile 1 of the 4-wall; asks for sub, served main;',
    'ms after the drop event; "frame" = first frame presented, requestVideoFrameCallback)',
  );
  const rel = (v: number | null, from: number | null) => (v === null || from === null ? '-' : String(v - from));
  out.push(
    renderTable(
      ['drop', 'camera', 'ticket', 'ws open', '1st bytes', 'video src', 'frame', 'counter', 'console', 'served'],
      drops.map((d): Cell[] => [
        d.n,
        d.cameraId,
        rel(d.ff.ticketEndMs, d.ff.dropMs),
        rel(d.ff.wsOpenMs, d.ff.dropMs),
        rel(d.ff.wsFirstMessageMs, d.ff.dropMs),
        rel(d.ff.srcMs, d.ff.dropMs),
        d.firstFrameMs,
        rel(d.ff.counterMs, d.ff.dropMs),
        d.playerMs ?? '-',
        d.servedStream ?? '-',
      ]),
    ),
  );
  const stage = (f: (d: DropResult) => number | null) => fmt(median(drops.map(f).filter((v): v is number => v !== null)), 0);
  out.push('');
  out.push(
    renderPairs([
      [
        'drop -> first frame',
        `p50 ${fmt(median(firstFrameMs), 0)} ms, p95 ${fmt(percentile(firstFrameMs, 95), 0)} ms, min ${fmt(Math.min(...firstFrameMs), 0)}, max ${fmt(max(firstFrameMs), 0)} (${drops.length} drops)`,
      ],
      [
        'median stages',
        `ticket ${stage((d) => d.ff.ticketEndMs && d.ff.dropMs && d.ff.ticketEndMs - d.ff.dropMs)} ms, WebSocket open ${stage((d) => d.ff.wsOpenMs && d.ff.dropMs && d.ff.wsOpenMs - d.ff.dropMs)} ms, first bytes ${stage((d) => d.ff.wsFirstMessageMs && d.ff.dropMs && d.ff.wsFirstMessageMs - d.ff.dropMs)} ms, first frame ${fmt(median(firstFrameMs), 0)} ms`,
      ],
      [
        "console's own figure",
        `p50 ${fmt(median(playerMs), 0)} ms, p95 ${fmt(percentile(playerMs, 95), 0)} ms (data-first-frame-ms: player start -> frame counter grew, sampled every 250 ms)`,
      ],
      [
        'counter reset',
        drops.every((d) => d.ff.framesAtSrc === 0)
          ? 'yes (totalVideoFrames was 0 when each new src was set)'
          : `NO: ${drops.map((d) => d.ff.framesAtSrc).join(',')}`,
      ],
    ]),
  );

  out.push('', `Latency, source -> frame presented in Chromium (time code in the pixels; ${unitKbps} kbit/s 640x360 25 fps unit over RTMP -> hub -> WS-FLV)`);
  const rej = (r: LatencySamples['rejected']) => `${r.ambiguous}/${r.checksum}/${r.order}/${r.noFrame}`;
  out.push(
    renderTable(
      ['where', 'connection', 'frames', 'shown %', 'p50 ms', 'p95 ms', 'min ms', 'max ms', 'presented p50', 'buffer s p50', 'rejected', 'rate'],
      [lat1, latW].flatMap((l) => [
        ...l.connections.map((c, k): Cell[] => [
          k === 0 ? l.label : '',
          k + 1,
          c.raw.samples.length,
          fmt((c.raw.samples.length / (c.windowS * 25)) * 100, 0),
          fmt(median(c.latencyMs), 0),
          fmt(percentile(c.latencyMs, 95), 0),
          fmt(Math.min(...c.latencyMs), 0),
          fmt(max(c.latencyMs), 0),
          fmt(median(c.presentedLatencyMs), 0),
          fmt(median(c.raw.bufferS), 2),
          rej(c.raw.rejected),
          fmt(c.rate, 3),
        ]),
        [
          '',
          'all',
          l.frames,
          fmt((l.frames / (l.windowS * 25)) * 100, 0),
          fmt(median(l.latencyMs), 0),
          fmt(percentile(l.latencyMs, 95), 0),
          fmt(Math.min(...l.latencyMs), 0),
          fmt(max(l.latencyMs), 0),
          fmt(median(l.presentedLatencyMs), 0),
          fmt(median(l.bufferS), 2),
          '',
          '',
        ] as Cell[],
      ]),
    ),
  );
  const others = (l: LatencyResult) => l.counters.filter((_, k) => k !== l.tile);
  out.push('');
  out.push(
    renderPairs([
      [
        'source time T0',
        `calibrated from ${publisherReports} ffmpeg progress reports (${publisherFrames} frames sent): ${fmt(lat1.t0AfterSpawnMs, 0)} ms after ffmpeg was spawned`,
      ],
      ['latency', 'Date.now() in the requestVideoFrameCallback of the frame - (T0 + t); "presented" uses the frame\'s presentationTime instead'],
      [
        'rejected',
        'ambiguous block / bad check byte / not after the previous value / no picture; "rate" = stream seconds per wall second (1 = real time, < 1 slower or stalled, > 1 jumped ahead)',
      ],
      ['buffer', "buffered.end - currentTime of that tile's <video>, sampled every second (the console's own latency budget: chase above 1.5 s, keep 0.3 s)"],
      [
        'connections',
        `${connects} per wall: the unit dropped onto the tile, ${flags['warmup-seconds']} s warm-up, then ${fmt(flags['latency-seconds'] / connects, 1)} s sampled; the tile closed in between`,
      ],
      [
        'source encoding',
        `publisher ffmpeg (lavfi + geq + x264 ultrafast zerolatency, keyint 25, AAC) used ${fmt(lat1.cpu.publisherPct, 1)} % of a core (1-wall window)`,
      ],
      [
        `other tiles (${wall}-wall)`,
        `while the latency was measured: ${sum(others(latW).map((t) => t.leftPlaying))} reconnects, ${sum(others(latW).map((t) => t.waiting))} waiting events, ${sum(others(latW).map((t) => t.freezes))} freezes, ${sum(others(latW).map((t) => t.dropped))} dropped of ${sum(others(latW).map((t) => t.decoded))} frames`,
      ],
    ]),
  );

  out.push(
    '',
    `${tiles} tiles x ${fmt(soakCpu.elapsedS, 1)} s (${wall}-wall, cameras ${cameras[0].id}..${cameras[tiles - 1].id}: 640x360 25 fps ${clipKbps} kbit/s H.264 + AAC; no sub stream, so served main)`,
  );
  out.push(
    renderTable(
      ['tile', 'camera', 'decoded', 'fps', 'dropped', 'presented fps', 'speed', 'ahead s', 'reconnects', 'waiting', 'seeks', 'freezes', 'frozen s'],
      soak.map((t, i): Cell[] => [
        i + 1,
        cameras[i].id,
        t.decoded,
        fmt(t.decoded / soakCpu.elapsedS, 1),
        t.dropped,
        fmt(t.presented / soakCpu.elapsedS, 1),
        fmt(t.mediaS / Math.max(1e-9, t.wallS), 3),
        fmt(t.aheadSumS / Math.max(1, t.aheadSamples), 2),
        t.leftPlaying,
        t.waiting,
        t.seeking,
        t.freezes,
        t.frozenS,
      ]),
    ),
  );
  out.push('');
  out.push(
    renderPairs([
      ['tiles playing', `all ${tiles} ${fmt(fillS, 1)} s after the first double-click; ${soakPlaying} playing at the end`],
      [
        'stalls',
        `${stalls} = ${stallsReconnects} reconnects (tile left "playing") + ${stallsWaiting} waiting events after first play; ${freezes} freezes (>= 1 s without a new frame)`,
      ],
      [
        'waiting events',
        `${soakWaiting.total}: ${soakWaiting.duringSeek} during a seek, ${soakWaiting.underflow} with < 0.1 s buffered (data late), ${soakWaiting.withData} with data buffered (decoding/rendering behind); ` +
          `each lasted p50 ${fmt(median(soakWaiting.durationsMs), 0)} ms, max ${fmt(max(soakWaiting.durationsMs), 0)} ms`,
      ],
      [
        'seeks',
        `${sum(soak.map((t) => t.seeking))} jumps to the live edge (the drift guard and mpegts.js latency chasing seek when the play position is > 1.5 s behind the newest buffered frame)`,
      ],
      [
        'playback speed',
        `${fmt(sum(soak.map((t) => t.mediaS)) / Math.max(1e-9, sum(soak.map((t) => t.wallS))), 4)} x real time over all tiles (min tile ${fmt(Math.min(...soak.map((t) => t.mediaS / Math.max(1e-9, t.wallS))), 4)}); play position advance / wall time between seeks`,
      ],
      [
        'buffered ahead',
        `mean ${fmt(sum(soak.map((t) => t.aheadSumS)) / Math.max(1, sum(soak.map((t) => t.aheadSamples))), 2)} s of play position behind the newest buffered frame (sampled every second)`,
      ],
      [
        'player retries',
        retryLines.length === 0
          ? 'none'
          : `${retryLines.length}: ${[...new Set(retryLines.map((l) => l.text.replace(/.*\] /, '').replace(/; retry in \d+ ms/, '')))].slice(0, 5).join(' | ')}`,
      ],
      [
        'frames',
        `${decoded} decoded (${fmt(decoded / soakCpu.elapsedS / tiles, 1)} fps per tile), ${dropped} dropped (${fmt((dropped / Math.max(1, decoded)) * 100, 2)} %)`,
      ],
      [
        'presented',
        `${presented} frames presented by the compositor (${fmt(presented / soakCpu.elapsedS / tiles, 1)} fps per tile; requestVideoFrameCallback)`,
      ],
      [
        'server log in soak',
        `viewers dropped ${logCount(/dropping viewer/)}, publishes ended ${logCount(/publish \S+ ended/)}, recorder exits ${logCount(/ffmpeg ended after/)}, stalls ${logCount(/no video for/)}`,
      ],
      ['page errors', pageErrors.length === 0 ? 'none' : pageErrors.slice(0, 3).join(' | ')],
    ]),
  );

  out.push('', 'CPU (% of one core; the machine has ' + os.cpus().length + ' cores and is shared with other jobs)');
  const chromiumKinds = (w: CpuWindow) => w.chromiumByKind.map(([k, p, n]) => `${k}${n > 1 ? ` x${n}` : ''} ${fmt(p, 1)}`).join(', ');
  out.push(
    renderTable(
      ['window', 's', 'server', 'of it sys', 'recorders', 'Chromium', 'bench proc', 'RTSP src', 'unit src', 'machine busy', 'not ours', 'load'],
      (
        [
          ['idle (wall empty)', idle],
          ['1-wall latency', lat1.cpu],
          [`soak ${tiles} tiles`, soakCpu],
          [`${wall}-wall latency`, latW.cpu],
        ] as Array<[string, CpuWindow]>
      ).map(([label, w]): Cell[] => [
        label,
        fmt(w.elapsedS, 0),
        fmt(w.serverPct, 1),
        fmt(w.serverSysPct, 1),
        `${fmt(w.recordersPct, 1)} (${w.recorderProcs})`,
        fmt(w.chromiumPct, 1),
        fmt(w.selfPct, 1),
        fmt(w.rtspPct, 1),
        fmt(w.publisherPct, 1),
        `${fmt(w.machineBusyPct, 0)} % (${fmt(w.machineBusyCores, 2)} cores)`,
        `${fmt(w.machineBusyCores - accountedCores(w), 2)} cores`,
        w.load,
      ]),
    ),
  );
  out.push('');
  out.push(
    renderPairs([
      [
        'hub (server process) per viewer',
        `${fmt(hubPerViewer, 2)} % = ${fmt(soakCpu.serverPct, 1)} % / ${tiles} (marginal over the idle ${fmt(idle.serverPct, 1)} %: ${fmt(hubMarginal, 2)} % per viewer)`,
      ],
      [
        'Chromium in the soak',
        `${fmt(soakCpu.chromiumPct, 1)} %: ${chromiumKinds(soakCpu)}${soakCpu.chromiumVanished ? ` (${soakCpu.chromiumVanished} processes exited meanwhile)` : ''}`,
      ],
      ['Chromium idle', `${fmt(idle.chromiumPct, 1)} %: ${chromiumKinds(idle)}`],
      ['bench proc', "this process: playwright-core's end of the DevTools pipe (Chromium reports every WebSocket frame to it)"],
      [
        'server',
        `node main/server/cli.ts, pid ${serverPid}: HTTP API, hub (RTMP in, WS-FLV out), recording supervision; recorders = its ffmpeg children (stream copy)`,
      ],
      ['not ours', 'machine busy minus the processes above: other jobs on this machine (the load average counts them too)'],
      ['load average', `${loadAtStart} at the start, ${loadAverage()} at the end`],
    ]),
  );

  out.push('', 'Field-shaped sources (added after the soak: a camera without audio, a unit with B-frames, a silent time-code unit)');
  out.push(renderPairs(shapePairs(shapes)));

  out.push('', 'Targets');
  const l1p50 = median(lat1.latencyMs);
  out.push(
    renderPairs([
      [
        `first frame p50 <= ${TARGET.firstFrameMsP50} ms`,
        median(firstFrameMs) <= TARGET.firstFrameMsP50 ? `met (${fmt(median(firstFrameMs), 0)} ms)` : `MISSED (${fmt(median(firstFrameMs), 0)} ms)`,
      ],
      [`latency p50 <= ${TARGET.latencyMsP50} ms`, l1p50 <= TARGET.latencyMsP50 ? `met (${fmt(l1p50, 0)} ms)` : `MISSED (${fmt(l1p50, 0)} ms)`],
      [`${tiles} tiles ${flags.seconds} s, ${TARGET.stalls} stalls`, stalls <= TARGET.stalls ? 'met' : `MISSED (${stalls})`],
    ]),
  );
  out.push('');
  out.push(
    [
      'RESULT',
      `first_frame_ms_p50=${fmt(median(firstFrameMs), 0)}`,
      `first_frame_ms_p95=${fmt(percentile(firstFrameMs, 95), 0)}`,
      `latency_ms_p50=${fmt(l1p50, 0)}`,
      `latency_ms_p95=${fmt(percentile(lat1.latencyMs, 95), 0)}`,
      `tiles=${tiles}`,
      `stalls=${stalls}`,
      `dropped_frames=${dropped}`,
      `hub_cpu_pct_per_viewer=${fmt(hubPerViewer, 2)}`,
      `seconds=${flags.seconds}`,
      `drops=${drops.length}`,
      `latency_wall_ms_p50=${fmt(median(latW.latencyMs), 0)}`,
      `latency_wall_ms_p95=${fmt(percentile(latW.latencyMs, 95), 0)}`,
      `reconnects=${stallsReconnects}`,
      `waiting_events=${stallsWaiting}`,
      `freezes=${freezes}`,
      `frames_decoded=${decoded}`,
      `presented_fps_per_tile=${fmt(presented / soakCpu.elapsedS / tiles, 1)}`,
      `playback_speed=${fmt(sum(soak.map((t) => t.mediaS)) / Math.max(1e-9, sum(soak.map((t) => t.wallS))), 4)}`,
      `seeks=${sum(soak.map((t) => t.seeking))}`,
      `hub_marginal_cpu_pct_per_viewer=${fmt(hubMarginal, 2)}`,
      `server_cpu_pct=${fmt(soakCpu.serverPct, 1)}`,
      `server_idle_cpu_pct=${fmt(idle.serverPct, 1)}`,
      `chromium_cpu_pct=${fmt(soakCpu.chromiumPct, 1)}`,
      `machine_busy_pct=${fmt(soakCpu.machineBusyPct, 1)}`,
      `other_jobs_cores=${fmt(soakCpu.machineBusyCores - accountedCores(soakCpu), 2)}`,
      `console_first_frame_ms_p50=${fmt(median(playerMs), 0)}`,
      ...shapeResult(shapes),
    ].join(' '),
  );
  return out.join('\n');
}

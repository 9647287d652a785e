// bench:record report: per-camera table, recording cost, continuity, index query, targets and the RESULT line.
import type { DirUsage } from './fs-usage';
import type { GapReport } from './gaps';
import type { IndexBenchResult } from './index-bench';
import { loadAverage, type MachineCpu, type ProcSample } from './proc';
import { fmt, fmtBytes, max, median, sum } from './stats';
import { renderPairs, renderTable, type Cell } from './table';

const MB = 1024 * 1024;
/** Targets from the recording requirements (reported, not enforced by the exit status). */
const TARGET = { gapS: 0, cpuPctPerCamera: 1, indexQueryMs: 5 };

export interface CameraFigures {
  id: number;
  name: string;
  pid: number;
  cpuPct: number;
  /** Kernel share of cpuPct. */
  sysPct: number;
  rssMb: number;
  rssPeakMb: number;
  bytesPerS: number;
  /** The recorder process changed or vanished during the window (a restart). */
  restarted: boolean;
  gaps: GapReport;
  uncoveredWindowMs: number;
  writingRows: number;
  recoveredRows: number;
}

/** Everything the report reads, measured by bench/record.ts. */
export interface RecordFigures {
  flags: { transport: string; 'warmup-seconds': number; 'index-cameras': number; 'index-days': number; 'index-batch': number };
  n: number;
  seconds: number;
  segmentSeconds: number;
  clipName: string;
  perCamera: CameraFigures[];
  notRecordingSeen: Map<number, number>;
  restarted: Set<number>;
  elapsedS: number;
  createT0: number;
  recordingT: number;
  server1: NodeJS.CpuUsage;
  self0: ProcSample;
  self1: ProcSample;
  rtsp0: ProcSample | null;
  rtsp1: ProcSample | null;
  machine0: MachineCpu;
  machine1: MachineCpu;
  usage0: DirUsage;
  usage1: DirUsage;
  shutdownS: number;
  events: Record<string, number>;
  profileSummary: string | null;
  index: IndexBenchResult;
}

/** The report printed on stdout; its last line is the RESULT line. */
export function recordReport(f: RecordFigures): string {
  const { flags, n, seconds, segmentSeconds, clipName, perCamera, notRecordingSeen, restarted, elapsedS, createT0, recordingT } = f;
  const { server1, self0, self1, rtsp0, rtsp1, machine0, machine1, usage0, usage1, shutdownS, events, profileSummary, index } = f;
  const recorderCpuPct = perCamera.map((c) => c.cpuPct);
  const serverCpuPct = ((server1.user + server1.system) / 1e6 / elapsedS) * 100;
  const probeCpuPct = ((self1.childrenCpuS - self0.childrenCpuS) / elapsedS) * 100;
  const rtspCpuPct = rtsp0 && rtsp1 ? ((rtsp1.cpuS - rtsp0.cpuS) / elapsedS) * 100 : NaN;
  const machineBusyPct = ((machine1.busyS - machine0.busyS) / (machine1.totalS - machine0.totalS)) * 100;
  const machineBusyCores = (machineBusyPct / 100) * machine1.cores;
  // /proc accounting sanity check: CPU ticks that passed per core per second of wall time (1.00 expected).
  const tickRate = (machine1.totalS - machine0.totalS) / machine1.cores / elapsedS;
  const iowaitPct = ((machine1.iowaitS - machine0.iowaitS) / (machine1.totalS - machine0.totalS)) * 100;
  const accountedCores = (sum(recorderCpuPct) + serverCpuPct + probeCpuPct + (Number.isFinite(rtspCpuPct) ? rtspCpuPct : 0)) / 100;
  const totalBytesPerS = (usage1.totalBytes - usage0.totalBytes) / elapsedS;
  const gapS = sum(perCamera.map((c) => c.gaps.gapMs)) / 1000;
  const maxGapS = max(perCamera.map((c) => c.gaps.gapMs)) / 1000;
  const short = perCamera.filter((c) => c.gaps.recordedMs < seconds * 1000);
  const uncoveredS = sum(perCamera.map((c) => c.uncoveredWindowMs)) / 1000;
  const cpuMedian = median(recorderCpuPct);
  const totalCpuPerCamera = (sum(recorderCpuPct) + serverCpuPct + probeCpuPct) / n;
  const rssMedian = median(perCamera.map((c) => c.rssMb));

  const out: string[] = [];
  out.push('', `== bench:record: ${n} cameras x ${seconds} s (${clipName}, ${segmentSeconds} s segments, ${flags.transport}) ==`, '');
  out.push(
    renderTable(
      [
        'camera',
        'ffmpeg pid',
        'cpu %',
        'of it sys %',
        'rss MB',
        'rss peak MB',
        'write kbit/s',
        'segments',
        'recorded s',
        'gap s',
        'holes',
        'overlap s',
        'notes',
      ],
      perCamera.map((c): Cell[] => [
        c.id,
        c.pid,
        fmt(c.cpuPct, 2),
        fmt(c.sysPct, 2),
        fmt(c.rssMb, 1),
        fmt(c.rssPeakMb, 1),
        fmt((c.bytesPerS * 8) / 1000, 0),
        c.gaps.segments,
        fmt(c.gaps.recordedMs / 1000, 1),
        fmt(c.gaps.gapMs / 1000, 3),
        c.gaps.holes,
        fmt(c.gaps.overlapMs / 1000, 3),
        [
          c.restarted ? 'RESTARTED' : '',
          c.gaps.recordedMs < seconds * 1000 ? `SHORT(<${seconds}s)` : '',
          c.uncoveredWindowMs >= 100 ? `window-uncovered=${fmt(c.uncoveredWindowMs / 1000, 1)}s` : '',
          c.writingRows > 0 ? `writing-rows=${c.writingRows}` : '',
          c.recoveredRows > 0 ? `recovered-rows=${c.recoveredRows}` : '',
          notRecordingSeen.has(c.id) ? `not-recording-samples=${notRecordingSeen.get(c.id)}` : '',
        ]
          .filter(Boolean)
          .join(' ') || '-',
      ]),
    ),
  );
  out.push('', 'Recording cost (CPU in % of one core over the measured window; the RTSP sources are not counted)');
  out.push(
    renderPairs([
      [
        'measured window',
        `${fmt(elapsedS, 1)} s (after ${flags['warmup-seconds']} s warm-up; all cameras recording ${fmt((recordingT - createT0) / 1000, 1)} s after creation)`,
      ],
      ['recorder ffmpeg cpu/camera', `median ${fmt(cpuMedian, 2)} %, mean ${fmt(sum(recorderCpuPct) / n, 2)} %, max ${fmt(max(recorderCpuPct), 2)} %`],
      [
        'recorder ffmpeg kernel share',
        `${fmt((sum(perCamera.map((c) => c.sysPct)) / Math.max(1e-9, sum(recorderCpuPct))) * 100, 0)} % of the recorders' CPU is system time`,
      ],
      ['recorder ffmpeg cpu total', `${fmt(sum(recorderCpuPct), 1)} % of one core`],
      ['all recording cost/camera', `${fmt(totalCpuPerCamera, 2)} % (recorder ffmpeg + server process + ffprobe of closed segments, divided by ${n})`],
      [
        'recorder ffmpeg rss/camera',
        `median ${fmt(rssMedian, 1)} MB, max ${fmt(max(perCamera.map((c) => c.rssPeakMb)), 1)} MB (peak), total ${fmt(sum(perCamera.map((c) => c.rssMb)), 0)} MB`,
      ],
      [
        'server process cpu',
        `${fmt(serverCpuPct, 2)} % (user ${fmt(server1.user / 1e4 / elapsedS, 2)} %, system ${fmt(server1.system / 1e4 / elapsedS, 2)} %) = ${fmt(serverCpuPct / n, 3)} %/camera; includes this benchmark's sampling`,
      ],
      ['ffprobe of closed segments', `${fmt(probeCpuPct, 2)} % (children of the server that exited in the window)`],
      ['server rss', `${fmt(self1.rssBytes / MB, 0)} MB`],
      ['RTSP sources (1 process)', `${fmt(rtspCpuPct, 2)} % (${fmt(rtspCpuPct / n, 3)} %/camera)`],
      [
        'machine',
        `${fmt(machineBusyPct, 1)} % busy of ${machine1.cores} cores (${fmt(machineBusyCores, 2)} cores; accounted above ${fmt(accountedCores, 2)}), iowait ${fmt(iowaitPct, 1)} %, load ${loadAverage()}, tick rate ${fmt(tickRate, 2)}`,
      ],
      [
        'written',
        `${fmtBytes(totalBytesPerS)}/s total (${fmt((totalBytesPerS * 8) / 1e6, 2)} Mbit/s), median ${fmt((median(perCamera.map((c) => c.bytesPerS)) * 8) / 1000, 0)} kbit/s per camera`,
      ],
      ['shutdown (backend.close)', `${fmt(shutdownS, 1)} s`],
      [
        'server log events in window',
        Object.entries(events)
          .map(([k, v]) => `${k} ${v}`)
          .join(', '),
      ],
    ]),
  );
  if (profileSummary) out.push('', profileSummary, '  (the profiler itself inflates the server CPU figure of this run)');
  out.push('', 'Continuity (index rows after a clean shutdown)');
  out.push(
    renderPairs([
      ['gap total', `${fmt(gapS, 3)} s over ${n} cameras (${sum(perCamera.map((c) => c.gaps.holes))} holes)`],
      ['gap max per camera', `${fmt(maxGapS, 3)} s`],
      ['overlap total', `${fmt(sum(perCamera.map((c) => c.gaps.overlapMs)) / 1000, 3)} s`],
      ['window not covered', `${fmt(uncoveredS, 3)} s summed over cameras`],
      ['cameras < S recorded', short.length === 0 ? 'none' : short.map((c) => `${c.name} ${fmt(c.gaps.recordedMs / 1000, 1)} s`).join(', ')],
      ['cameras restarted', restarted.size === 0 ? 'none' : [...restarted].map((id) => `camera ${id}`).join(', ')],
    ]),
  );
  out.push('', `Index query (${index.rows.toLocaleString('en-US')} segment rows: ${flags['index-cameras']} cameras x ${flags['index-days']} days of 60 s)`);
  out.push(
    renderPairs([
      [
        'insert',
        `${fmt(index.insertS, 1)} s = ${Math.round(index.insertRowsPerS).toLocaleString('en-US')} rows/s (insertMany, batches of ${flags['index-batch']})`,
      ],
      ['database size', fmtBytes(index.dbBytes)],
      [
        'one camera, one day',
        `${index.rowsPerQuery} rows: p50 ${fmt(index.p50Ms, 2)} ms, p95 ${fmt(index.p95Ms, 2)} ms, max ${fmt(index.maxMs, 2)} ms (${index.queryMs.length} queries after 5 warm-up)`,
      ],
      ['query plan', index.queryPlan],
    ]),
  );
  out.push('', 'Targets');
  out.push(
    renderPairs([
      ['gap 0 s', gapS <= TARGET.gapS ? 'met' : `MISSED (${fmt(gapS, 1)} s)`],
      [
        `cpu <= ${TARGET.cpuPctPerCamera} % per camera`,
        cpuMedian <= TARGET.cpuPctPerCamera ? `met (median ${fmt(cpuMedian, 2)} %)` : `MISSED (median ${fmt(cpuMedian, 2)} %)`,
      ],
      [
        `index query <= ${TARGET.indexQueryMs} ms`,
        index.p50Ms <= TARGET.indexQueryMs ? `met (p50 ${fmt(index.p50Ms, 2)} ms)` : `MISSED (p50 ${fmt(index.p50Ms, 2)} ms)`,
      ],
    ]),
  );
  out.push('');
  out.push(
    resultLine({
      n,
      seconds,
      gapS,
      cpuMedian,
      totalCpuPerCamera,
      rssMedian,
      index,
      totalBytesPerS,
      maxGapS,
      serverCpuPct,
      rtspCpuPct,
      probeCpuPct,
      machineBusyPct,
      shortCameras: short.length,
      restarts: restarted.size,
    }),
  );
  return out.join('\n');
}

function resultLine(r: {
  n: number;
  seconds: number;
  gapS: number;
  cpuMedian: number;
  totalCpuPerCamera: number;
  rssMedian: number;
  index: IndexBenchResult;
  totalBytesPerS: number;
  maxGapS: number;
  serverCpuPct: number;
  rtspCpuPct: number;
  probeCpuPct: number;
  machineBusyPct: number;
  shortCameras: number;
  restarts: number;
}): string {
  return [
    'RESULT',
    `cameras=${r.n}`,
    `seconds=${r.seconds}`,
    `gap_s=${fmt(r.gapS, 1)}`,
    `cpu_pct_per_camera=${fmt(r.cpuMedian, 2)}`,
    `rss_mb_per_camera=${fmt(r.rssMedian, 1)}`,
    `index_query_ms=${fmt(r.index.p50Ms, 2)}`,
    `index_query_ms_p95=${fmt(r.index.p95Ms, 2)}`,
    `index_query_ms_max=${fmt(r.index.maxMs, 2)}`,
    `index_insert_rows_per_s=${Math.round(r.index.insertRowsPerS)}`,
    `bytes_per_s=${Math.round(r.totalBytesPerS)}`,
    `max_gap_s_per_camera=${fmt(r.maxGapS, 1)}`,
    `short_cameras=${r.shortCameras}`,
    `restarts=${r.restarts}`,
    `total_cpu_pct_per_camera=${fmt(r.totalCpuPerCamera, 2)}`,
    `server_cpu_pct=${fmt(r.serverCpuPct, 2)}`,
    `probe_cpu_pct=${fmt(r.probeCpuPct, 2)}`,
    `rtsp_cpu_pct=${fmt(r.rtspCpuPct, 2)}`,
    `machine_busy_pct=${fmt(r.machineBusyPct, 1)}`,
  ].join(' ');
}

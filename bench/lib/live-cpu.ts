// bench:live CPU accounting: samples of the server, its recorders, Chromium, this process and the sources, and the window between two samples.
import { loadAverage, sampleMachineCpu, sampleProcess, type MachineCpu, type ProcSample } from './proc';
import { chromiumKind, sampleTree, treeUsage, type TreeSample } from './proc-tree';
import { sum } from './stats';

export interface CpuSample {
  atMs: number;
  server: ProcSample;
  self: ProcSample;
  rtsp: ProcSample | null;
  publisher: ProcSample | null;
  /** Chromium processes under this one, labelled by kind. */
  chromium: TreeSample;
  /** ffmpeg processes under the server (recorders, relays, unit recorder). */
  recorders: TreeSample;
  machine: MachineCpu;
}

export interface CpuWindow {
  elapsedS: number;
  serverPct: number;
  serverSysPct: number;
  selfPct: number;
  rtspPct: number;
  publisherPct: number;
  recordersPct: number;
  recorderProcs: number;
  chromiumPct: number;
  chromiumByKind: Array<[string, number, number]>;
  chromiumVanished: number;
  machineBusyPct: number;
  machineBusyCores: number;
  load: string;
}

function cpuPct(a: ProcSample | null, b: ProcSample | null, s: number): number {
  if (!a || !b || a.startTicks !== b.startTicks) return NaN;
  return ((b.cpuS - a.cpuS) / s) * 100;
}

/** Cores used by the processes of this benchmark (server, recorders, Chromium, this process, the two sources). */
export function accountedCores(w: CpuWindow): number {
  return [w.serverPct, w.recordersPct, w.chromiumPct, w.selfPct, w.rtspPct, w.publisherPct].filter(Number.isFinite).reduce((x, y) => x + y, 0) / 100;
}

export function cpuWindow(a: CpuSample, b: CpuSample): CpuWindow {
  const s = (b.atMs - a.atMs) / 1000;
  const chromium = treeUsage(a.chromium, b.chromium);
  const rec = treeUsage(a.recorders, b.recorders);
  const byKind = [...chromium.byLabel.entries()].map(([k, v]): [string, number, number] => [k, (v.cpuS / s) * 100, v.processes]).sort((x, y) => y[1] - x[1]);
  const busy = (b.machine.busyS - a.machine.busyS) / (b.machine.totalS - a.machine.totalS);
  return {
    elapsedS: s,
    serverPct: cpuPct(a.server, b.server, s),
    serverSysPct: ((b.server.sysS - a.server.sysS) / s) * 100,
    selfPct: cpuPct(a.self, b.self, s),
    rtspPct: cpuPct(a.rtsp, b.rtsp, s),
    publisherPct: cpuPct(a.publisher, b.publisher, s),
    recordersPct: ((rec.byLabel.get('ffmpeg')?.cpuS ?? 0) / s) * 100,
    recorderProcs: rec.byLabel.get('ffmpeg')?.processes ?? 0,
    chromiumPct: sum(byKind.map((k) => k[1])),
    chromiumByKind: byKind,
    chromiumVanished: chromium.vanished,
    machineBusyPct: busy * 100,
    machineBusyCores: busy * b.machine.cores,
    load: loadAverage(),
  };
}

/** The pids one sample reads (the server, the RTSP source, the time-code publisher); Chromium is found under this process. */
export function sampleCpu(pids: { server: number; rtsp: number; publisher: number }): CpuSample {
  const s = sampleProcess(pids.server);
  const self = sampleProcess(process.pid);
  if (!s || !self) throw new Error('the server process is gone');
  return {
    atMs: Date.now(),
    server: s,
    self,
    rtsp: sampleProcess(pids.rtsp),
    publisher: sampleProcess(pids.publisher),
    chromium: sampleTree(process.pid, (p) => (/^chrom/.test(p.comm) || /chrom/.test(p.cmdline[0] ?? '') ? chromiumKind(p) : null)),
    recorders: sampleTree(pids.server, (p) => (p.comm === 'ffmpeg' ? 'ffmpeg' : null)),
    machine: sampleMachineCpu(),
  };
}

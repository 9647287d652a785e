// Benchmark helper: CPU time of a process tree from /proc (e.g. every Chromium process under this one), grouped by a label.
import fs from 'node:fs';
import { sampleProcess } from './proc';

export interface ProcInfo {
  pid: number;
  ppid: number;
  /** Command name (comm, at most 15 characters). */
  comm: string;
  /** Arguments, NUL-separated in /proc, split here. */
  cmdline: string[];
  /** Process start time, clock ticks after boot (tells a reused pid apart). */
  startTicks: number;
}

function readInfo(pid: number): ProcInfo | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const open = stat.indexOf('(');
    const close = stat.lastIndexOf(')');
    const rest = stat
      .slice(close + 2)
      .trim()
      .split(/\s+/);
    const cmdline = fs
      .readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      .split('\0')
      .filter((a) => a.length > 0);
    return { pid, ppid: Number(rest[4 - 3]), comm: stat.slice(open + 1, close), cmdline, startTicks: Number(rest[22 - 3]) };
  } catch {
    return null; // gone meanwhile
  }
}

/** Every live descendant of rootPid (not rootPid itself), from one scan of /proc. */
export function descendants(rootPid: number): ProcInfo[] {
  const all: ProcInfo[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const info = readInfo(Number(name));
    if (info) all.push(info);
  }
  const children = new Map<number, ProcInfo[]>();
  for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const out: ProcInfo[] = [];
  const queue = [...(children.get(rootPid) ?? [])];
  while (queue.length > 0) {
    const p = queue.shift()!;
    out.push(p);
    queue.push(...(children.get(p.pid) ?? []));
  }
  return out;
}

/** CPU seconds (user + system) of each selected process, keyed by "pid:startTicks", with its group label. */
export interface TreeSample {
  atMs: number;
  procs: Map<string, { label: string; cpuS: number; pid: number }>;
}

/**
 * Samples the CPU time of rootPid's descendants for which `label` returns a string (the group they are counted in);
 * processes for which it returns null are skipped.
 */
export function sampleTree(rootPid: number, label: (p: ProcInfo) => string | null): TreeSample {
  const procs = new Map<string, { label: string; cpuS: number; pid: number }>();
  for (const p of descendants(rootPid)) {
    const l = label(p);
    if (l === null) continue;
    const s = sampleProcess(p.pid);
    if (!s || s.startTicks !== p.startTicks) continue;
    procs.set(`${p.pid}:${p.startTicks}`, { label: l, cpuS: s.cpuS, pid: p.pid });
  }
  return { atMs: Date.now(), procs };
}

export interface TreeUsage {
  /** Per label: CPU seconds used between the two samples, and the number of processes seen at the end. */
  byLabel: Map<string, { cpuS: number; processes: number }>;
  /** Processes present at the start but gone at the end (their CPU after the first sample is not counted). */
  vanished: number;
}

/** CPU used between two samples of the same tree; a process started in between counts with all of its CPU time. */
export function treeUsage(a: TreeSample, b: TreeSample): TreeUsage {
  const byLabel = new Map<string, { cpuS: number; processes: number }>();
  for (const [key, end] of b.procs) {
    const start = a.procs.get(key);
    const cur = byLabel.get(end.label) ?? { cpuS: 0, processes: 0 };
    cur.cpuS += end.cpuS - (start?.cpuS ?? 0);
    cur.processes++;
    byLabel.set(end.label, cur);
  }
  let vanished = 0;
  for (const key of a.procs.keys()) if (!b.procs.has(key)) vanished++;
  return { byLabel, vanished };
}

/** Chromium's process kind from its command line: browser, renderer, gpu-process, utility (with sub-type), zygote, crashpad. */
export function chromiumKind(p: ProcInfo): string {
  if (p.comm.startsWith('chrome_crashpad')) return 'crashpad';
  // Chromium's child processes rewrite their title: /proc/<pid>/cmdline is then one string with spaces.
  const args = p.cmdline.length === 1 ? p.cmdline[0].split(' ') : p.cmdline;
  const type = args.find((a) => a.startsWith('--type='))?.slice('--type='.length);
  if (!type) return 'browser';
  if (type === 'utility') {
    const sub = args.find((a) => a.startsWith('--utility-sub-type='))?.slice('--utility-sub-type='.length) ?? '';
    return `utility ${sub.replace(/\.mojom\./, ':').replace(/^[^:]*:/, '') || '?'}`;
  }
  return type;
}

// Benchmark helper: per-process CPU time and memory from Linux /proc, and machine-wide CPU use from /proc/stat.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

let clkTck: number | undefined;

/** Clock ticks per second of the utime/stime fields (`getconf CLK_TCK`, almost always 100). */
export function clockTicksPerSecond(): number {
  if (clkTck === undefined) {
    try {
      const n = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
      clkTck = Number.isInteger(n) && n > 0 ? n : 100;
    } catch {
      clkTck = 100;
    }
  }
  return clkTck;
}

export interface ProcSample {
  pid: number;
  /** user + system CPU time of the process itself (all threads), seconds. */
  cpuS: number;
  /** The system (kernel) part of cpuS, seconds. */
  sysS: number;
  /** user + system CPU time of its exited, waited-for children, seconds. */
  childrenCpuS: number;
  /** Resident set size, bytes. */
  rssBytes: number;
  /** Process start time, clock ticks after boot (tells a reused pid apart). */
  startTicks: number;
  state: string;
}

/** Reads /proc/<pid>/stat and /proc/<pid>/status; null when the process is gone. */
export function sampleProcess(pid: number): ProcSample | null {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) is in parentheses and may itself contain spaces or ')': split after the last ')'.
  const rest = stat
    .slice(stat.lastIndexOf(')') + 2)
    .trim()
    .split(/\s+/);
  // rest[0] is field 3 (state); field k is rest[k - 3].
  const tck = clockTicksPerSecond();
  const utime = Number(rest[14 - 3]);
  const stime = Number(rest[15 - 3]);
  const cutime = Number(rest[16 - 3]);
  const cstime = Number(rest[17 - 3]);
  const startTicks = Number(rest[22 - 3]);
  let rssBytes = Number(rest[24 - 3]) * 4096;
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    if (m) rssBytes = Number(m[1]) * 1024;
  } catch {
    return null;
  }
  return { pid, cpuS: (utime + stime) / tck, sysS: stime / tck, childrenCpuS: (cutime + cstime) / tck, rssBytes, startTicks, state: rest[0] };
}

export interface MachineCpu {
  /** Busy (non-idle, non-iowait) time over all cores, seconds. */
  busyS: number;
  /** iowait over all cores, seconds. */
  iowaitS: number;
  /** Total time over all cores, seconds. */
  totalS: number;
  cores: number;
}

/** Aggregate CPU line of /proc/stat. */
export function sampleMachineCpu(): MachineCpu {
  const text = fs.readFileSync('/proc/stat', 'utf8');
  const first = text.split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal guest guest_nice (guest time is already in user)
  const [user, nice, system, idle, iowait, irq, softirq, steal] = first;
  const tck = clockTicksPerSecond();
  const busy = user + nice + system + irq + softirq + (steal ?? 0);
  const cores = text.split('\n').filter((l) => /^cpu\d+ /.test(l)).length;
  return { busyS: busy / tck, iowaitS: (iowait ?? 0) / tck, totalS: (busy + idle + (iowait ?? 0)) / tck, cores };
}

/** Load averages from /proc/loadavg. */
export function loadAverage(): string {
  try {
    return fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'unknown';
  }
}

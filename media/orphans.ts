// Finds and stops recording ffmpeg processes left over from an earlier server run (Linux /proc scan).
import fs from 'node:fs';

export interface OrphanProcess {
  pid: number;
  cmdline: string[];
}

/** ffmpeg processes whose segment output lies under `recordingsDir`. */
export function findRecorderProcesses(recordingsDir: string): OrphanProcess[] {
  if (process.platform !== 'linux') return [];
  const out: OrphanProcess[] = [];
  const prefix = recordingsDir.endsWith('/') ? recordingsDir : recordingsDir + '/';
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (pid === process.pid) continue;
    let cmdline: string[];
    try {
      cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    } catch {
      continue;
    }
    if (cmdline.length === 0 || !/ffmpeg/.test(cmdline[0])) continue;
    if (!cmdline.includes('segment')) continue;
    if (cmdline.some((a) => a.startsWith(prefix) && a.endsWith('.ts'))) out.push({ pid, cmdline });
  }
  return out;
}

function alive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
}

/** Sends SIGTERM (then SIGKILL after `graceMs`) to every leftover recorder; returns how many were found. */
export async function killOrphanRecorders(recordingsDir: string, graceMs = 3000): Promise<OrphanProcess[]> {
  const found = findRecorderProcesses(recordingsDir);
  for (const p of found) {
    try {
      process.kill(p.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  }
  const deadline = Date.now() + graceMs;
  while (found.some((p) => alive(p.pid)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  for (const p of found) {
    if (alive(p.pid)) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  }
  return found;
}

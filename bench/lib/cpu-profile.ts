// Benchmark helper: samples this process's JavaScript CPU profile (V8 inspector) and summarises the top functions.
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface Profiler {
  /** Stops, writes the .cpuprofile file (loadable in Chrome DevTools) and returns a summary table. */
  stop(): Promise<string>;
}

export async function startCpuProfile(file: string, intervalUs = 1000): Promise<Profiler> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: intervalUs });
  await session.post('Profiler.start');
  return {
    async stop() {
      const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: Profile };
      session.disconnect();
      fs.writeFileSync(file, JSON.stringify(profile));
      return summarize(profile, file);
    },
  };
}

function shortUrl(url: string): string {
  const i = url.indexOf('/node_modules/');
  if (i >= 0) return url.slice(i + 1);
  return url.replace(/^file:\/\//, '').replace(/^.*\/work\/[^/]+\//, '');
}

/** Self time per function (by hit count), top 20, plus the share spent idle / in GC / in native code. */
function summarize(p: Profile, file: string): string {
  const total = p.nodes.reduce((s, n) => s + (n.hitCount ?? 0), 0) || 1;
  const byFn = new Map<string, number>();
  for (const n of p.nodes) {
    const f = n.callFrame;
    const key = f.url ? `${f.functionName || '(anonymous)'} ${shortUrl(f.url)}:${f.lineNumber + 1}` : f.functionName || '(anonymous)';
    byFn.set(key, (byFn.get(key) ?? 0) + (n.hitCount ?? 0));
  }
  const wallS = (p.endTime - p.startTime) / 1e6;
  const idle = byFn.get('(idle)') ?? 0;
  const busyPct = ((total - idle) / total) * 100;
  const top = [...byFn.entries()]
    .filter(([k]) => k !== '(idle)')
    .sort((a, b) => b[1] - a[1])
    .slice(0, 20)
    .map(([k, v]) => `  ${(((v / total) * 100).toFixed(2) + ' %').padStart(8)}  ${k}`);
  return [
    `JS CPU profile of the server process (${wallS.toFixed(0)} s, ${total} samples; written to ${file})`,
    `  main thread busy ${busyPct.toFixed(2)} % of the samples; top self time (share of all samples):`,
    ...top,
  ].join('\n');
}

// bench:gb28181: N simulated GB/T 28181 devices registering and keeping alive, M channels streaming PS over RTP into Argus (issue 14).
// Each part lives in bench/gb28181/<part>.ts and is owned by the subsystem it measures; this driver runs them in turn and prints one RESULT line.
import { parseFlags } from './lib/args';
import { runBench } from './lib/lifecycle';
import { run as demux } from './gb28181/demux';
import { run as register } from './gb28181/register';
import { run as streams } from './gb28181/streams';

type Part = (opts: { smoke: boolean }) => Promise<{ lines: string[]; result: Record<string, number> }>;

const PARTS: Array<[string, Part]> = [
  ['register', register],
  ['streams', streams],
  ['demux', demux],
];

/** The RESULT keys, in the issue's order, with their targets (checked and printed, never hidden). */
const TARGETS: Array<[key: string, op: '<=' | '>=' | '==', target: number]> = [
  ['devices', '>=', 1000],
  ['streams', '>=', 16],
  ['register_ms_p95', '<=', Infinity],
  ['invite_to_first_frame_ms_p50', '<=', 1500],
  ['cpu_pct_per_stream', '<=', 2],
  ['keepalive_cpu_pct', '<=', 5],
  ['gap_s', '==', 0],
];

const flags = parseFlags('npm run bench:gb28181 -- [--smoke 1] [--only register,streams,demux]', {
  smoke: { default: 0, description: '1: small sizes, for bench:smoke (figures are not the targets)' },
  only: { default: '', description: 'comma-separated parts to run (default: all)' },
});

runBench('bench:gb28181', 20 * 60_000, async (ctx) => {
  const only = flags.only ? new Set(flags.only.split(',')) : null;
  const lines: string[] = [];
  const result: Record<string, number> = {};
  for (const [name, part] of PARTS) {
    if (only && !only.has(name)) continue;
    ctx.note(`running ${name}`);
    const out = await part({ smoke: flags.smoke === 1 });
    lines.push(`## ${name}`, ...out.lines, '');
    // The demux part measures one 1080p stream alone: its CPU figure is the issue's "per stream" target; the streams
    // part's own per-stream figure (M streams at once) is kept under its own key.
    for (const [k, v] of Object.entries(out.result)) result[name === 'streams' && k === 'cpu_pct_per_stream' ? 'cpu_pct_per_stream_of_m' : k] = v;
  }
  lines.push('## targets');
  for (const [key, op, target] of TARGETS) {
    if (!(key in result) || !Number.isFinite(target)) continue;
    const v = result[key]!;
    const met = op === '<=' ? v <= target : op === '>=' ? v >= target : v === target;
    lines.push(`${key} = ${v} (target ${op} ${target}: ${met ? 'met' : 'NOT met'})`);
  }
  const keys = [...TARGETS.map(([k]) => k).filter((k) => k in result), ...Object.keys(result).filter((k) => !TARGETS.some(([t]) => t === k))];
  lines.push('', `RESULT ${keys.map((k) => `${k}=${result[k]}`).join(' ')}`);
  return { report: lines.join('\n') };
});

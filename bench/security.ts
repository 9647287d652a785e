// bench:security: rights check cost, audit append and verify speed, event fan-out with per-user filtering, API latency under a sign-in flood (issue 13).
// Each part lives in bench/security/<part>.ts and is owned by the subsystem it measures; this driver runs them in turn and prints one RESULT line.
import { parseFlags } from './lib/args';
import { runBench } from './lib/lifecycle';
import { run as audit } from './security/audit';
import { run as fanout } from './security/fanout';
import { run as flood } from './security/flood';
import { run as rights } from './security/rights';

type Part = (opts: { smoke: boolean }) => Promise<{ lines: string[]; result: Record<string, number> }>;

const PARTS: Array<[string, Part]> = [
  ['rights', rights],
  ['audit', audit],
  ['fanout', fanout],
  ['flood', flood],
];

/** The RESULT keys, in the issue's order, with their targets (checked and printed, never hidden). */
const TARGETS: Array<[key: string, op: '<=' | '>=', target: number]> = [
  ['rights_check_us_p95', '<=', 50],
  ['audit_append_us_p95', '<=', 1000],
  ['event_fanout_ms_p95', '<=', 50],
  ['verify_audit_rows_per_s', '>=', 100_000],
  ['api_ms_p95_under_login_flood', '<=', 20],
];

const flags = parseFlags('npm run bench:security -- [--smoke 1] [--only rights,audit,fanout,flood]', {
  smoke: { default: 0, description: '1: small sizes, for bench:smoke (figures are not the targets)' },
  only: { default: '', description: 'comma-separated parts to run (default: all)' },
});

runBench('bench:security', 20 * 60_000, async (ctx) => {
  const only = flags.only ? new Set(flags.only.split(',')) : null;
  const lines: string[] = [];
  const result: Record<string, number> = {};
  for (const [name, part] of PARTS) {
    if (only && !only.has(name)) continue;
    ctx.note(`running ${name}`);
    const out = await part({ smoke: flags.smoke === 1 });
    lines.push(`## ${name}`, ...out.lines, '');
    Object.assign(result, out.result);
  }
  lines.push('## targets');
  for (const [key, op, target] of TARGETS) {
    if (!(key in result)) continue;
    const v = result[key]!;
    const met = op === '<=' ? v <= target : v >= target;
    lines.push(`${key} = ${v} (target ${op} ${target}: ${met ? 'met' : 'NOT met'})`);
  }
  const keys = [...TARGETS.map(([k]) => k).filter((k) => k in result), ...Object.keys(result).filter((k) => !TARGETS.some(([t]) => t === k))];
  lines.push('', `RESULT ${keys.map((k) => `${k}=${result[k]}`).join(' ')}`);
  return { report: lines.join('\n') };
});

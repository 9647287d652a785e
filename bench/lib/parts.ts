// Benchmark helper: a driver over parts (bench/<name>/<part>.ts, each `run({smoke}) → {lines, result}`) with targets checked and one RESULT line.
import { parseFlags } from './args';
import { runBench } from './lifecycle';

export type BenchPart = (opts: { smoke: boolean }) => Promise<{ lines: string[]; result: Record<string, number> }>;

/** A RESULT key, its comparison and target (checked and printed, never hidden; a non-finite target is only ordered). */
export type BenchTarget = [key: string, op: '<=' | '>=' | '==', target: number];

export interface PartsBench {
  /** npm script name, e.g. 'bench:security'. */
  name: string;
  parts: Array<[string, BenchPart]>;
  /** The RESULT keys in the issue's order with their targets; other keys follow in the order the parts gave them. */
  targets: BenchTarget[];
  /** The key a part's result key is reported under (default: the key itself). */
  keyOf?: (part: string, key: string) => string;
  timeLimitMs?: number;
}

/** Parses `--smoke 1` and `--only a,b`, runs the parts in turn and prints their figures, the targets and RESULT. */
export function runPartsBench(spec: PartsBench): void {
  const partNames = spec.parts.map(([n]) => n).join(',');
  const flags = parseFlags(`npm run ${spec.name} -- [--smoke 1] [--only ${partNames}]`, {
    smoke: { default: 0, description: '1: small sizes, for bench:smoke (figures are not the targets)' },
    only: { default: '', description: 'comma-separated parts to run (default: all)' },
  });
  runBench(spec.name, spec.timeLimitMs ?? 20 * 60_000, async (ctx) => {
    const only = flags.only ? new Set(flags.only.split(',')) : null;
    const lines: string[] = [];
    const result: Record<string, number> = {};
    for (const [name, part] of spec.parts) {
      if (only && !only.has(name)) continue;
      ctx.note(`running ${name}`);
      const out = await part({ smoke: flags.smoke === 1 });
      lines.push(`## ${name}`, ...out.lines, '');
      for (const [k, v] of Object.entries(out.result)) result[spec.keyOf ? spec.keyOf(name, k) : k] = v;
    }
    lines.push('## targets');
    for (const [key, op, target] of spec.targets) {
      if (!(key in result) || !Number.isFinite(target)) continue;
      const v = result[key]!;
      const met = op === '<=' ? v <= target : op === '>=' ? v >= target : v === target;
      lines.push(`${key} = ${v} (target ${op} ${target}: ${met ? 'met' : 'NOT met'})`);
    }
    const keys = [...spec.targets.map(([k]) => k).filter((k) => k in result), ...Object.keys(result).filter((k) => !spec.targets.some(([t]) => t === k))];
    lines.push('', `RESULT ${keys.map((k) => `${k}=${result[k]}`).join(' ')}`);
    return { report: lines.join('\n') };
  });
}

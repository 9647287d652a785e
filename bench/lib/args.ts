// Benchmark helper: parses `--name value` command-line flags into checked numbers and strings.
import { parseArgs } from 'node:util';

export interface FlagSpec {
  /** Default value; the flag's type follows it (number or string). */
  default: number | string;
  description: string;
  /** For numbers: smallest accepted value (default 0). */
  min?: number;
  /** For numbers: must be an integer (default true). */
  integer?: boolean;
}

export type Flags<T extends Record<string, FlagSpec>> = { [K in keyof T]: T[K]['default'] extends number ? number : string } & {
  verbose: boolean;
};

export class UsageError extends Error {}

/** Parses process.argv (after the script) against `spec`; `--help` prints usage and exits 0. */
export function parseFlags<T extends Record<string, FlagSpec>>(usage: string, spec: T, argv = process.argv.slice(2)): Flags<T> {
  const options: Record<string, { type: 'string' | 'boolean' }> = { help: { type: 'boolean' }, verbose: { type: 'boolean' } };
  for (const name of Object.keys(spec)) options[name] = { type: 'string' };
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values as typeof values;
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n${helpText(usage, spec)}`);
  }
  if (values.help) {
    console.log(helpText(usage, spec));
    process.exit(0);
  }
  const out: Record<string, number | string | boolean> = { verbose: values.verbose === true };
  for (const [name, s] of Object.entries(spec)) {
    const raw = values[name];
    if (typeof s.default === 'number') {
      if (raw === undefined) {
        out[name] = s.default;
        continue;
      }
      const n = Number(raw);
      const min = s.min ?? 0;
      if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(n) || ((s.integer ?? true) && !Number.isInteger(n)) || n < min)
        throw new UsageError(`--${name}: expected ${(s.integer ?? true) ? 'an integer' : 'a number'} >= ${min}, got "${String(raw)}"`);
      out[name] = n;
    } else {
      out[name] = typeof raw === 'string' ? raw : s.default;
    }
  }
  return out as Flags<T>;
}

function helpText(usage: string, spec: Record<string, FlagSpec>): string {
  const lines = [`usage: ${usage}`, '', 'options:'];
  for (const [name, s] of Object.entries(spec)) lines.push(`  --${name.padEnd(18)} ${s.description} (default ${s.default})`);
  lines.push(`  --${'verbose'.padEnd(18)} print the server's log lines (prefixed) instead of keeping them quiet`);
  return lines.join('\n');
}

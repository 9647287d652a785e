// Smoke run of the benchmarks (`npm run bench:smoke`): each in a short mode as a child process; checks exit 0 and a RESULT line.
import { spawn } from 'node:child_process';
import path from 'node:path';

interface SmokeBench {
  /** npm script name (package.json "scripts"). */
  script: string;
  /** Arguments after `--` that make the run short. */
  args: string[];
  /** Hard limit for the child; it is killed (and the smoke run fails) after this. */
  timeoutMs: number;
}

/** Every benchmark and its smoke-mode arguments. Add a row per new benchmark (bench:live, bench:gps, bench:playback, bench:alarms). */
const SMOKE_BENCHES: SmokeBench[] = [
  { script: 'bench:record', args: ['--cameras', '2', '--seconds', '8', '--segment-seconds', '4', '--index-days', '1'], timeoutMs: 10 * 60_000 },
  { script: 'bench:alarms', args: ['--rate', '50', '--seconds', '4', '--sources', '10'], timeoutMs: 3 * 60_000 },
  {
    script: 'bench:gps',
    args: [
      '--units',
      '20',
      '--seconds',
      '3',
      '--burst-seconds',
      '3',
      '--points',
      '50000',
      '--store-units',
      '20',
      '--queries',
      '5',
      '--markers',
      '50',
      '--frame-seconds',
      '3',
    ],
    timeoutMs: 5 * 60_000,
  },
  { script: 'bench:playback', args: ['--cameras', '4', '--days', '2', '--seeks', '3', '--export-minutes', '2'], timeoutMs: 10 * 60_000 },
  {
    script: 'bench:live',
    args: ['--tiles', '4', '--seconds', '8', '--drops', '3', '--latency-seconds', '4', '--latency-connects', '2', '--idle-seconds', '3', '--shape-drops', '2'],
    timeoutMs: 6 * 60_000,
  },
  { script: 'bench:onvif', args: ['--devices', '2', '--moves', '5', '--events', '5'], timeoutMs: 2 * 60_000 },
  { script: 'bench:security', args: ['--smoke', '1'], timeoutMs: 6 * 60_000 },
  { script: 'bench:gb28181', args: ['--smoke', '1'], timeoutMs: 6 * 60_000 },
];

const ROOT = path.resolve(import.meta.dirname, '..');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

interface Outcome {
  bench: SmokeBench;
  ok: boolean;
  why: string;
  result: string | null;
  seconds: number;
}

function runOne(bench: SmokeBench): Promise<Outcome> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    // --silent: npm's own banner lines stay out of stdout; the benchmark's stdout is passed through and kept.
    const child = spawn(NPM, ['run', '--silent', bench.script, '--', ...bench.args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
      detached: process.platform !== 'win32', // own process group, so a timeout can stop the whole tree
    });
    let stdout = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      process.stdout.write(d);
      stdout = (stdout + d).slice(-256 * 1024);
    });
    let timedOut = false;
    const killTree = (sig: NodeJS.Signals) => {
      try {
        if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, sig);
        else child.kill(sig);
      } catch {
        /* already gone */
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killTree('SIGTERM');
      setTimeout(() => killTree('SIGKILL'), 30_000).unref();
    }, bench.timeoutMs);
    const onSignal = () => killTree('SIGTERM');
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    const done = (ok: boolean, why: string, result: string | null) => {
      clearTimeout(timer);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve({ bench, ok, why, result, seconds: (Date.now() - t0) / 1000 });
    };
    child.once('error', (e) => done(false, `could not start: ${e.message}`, null));
    child.once('close', (code, signal) => {
      const lines = stdout
        .split('\n')
        .map((l) => l.trimEnd())
        .filter((l) => l.length > 0);
      const last = lines[lines.length - 1] ?? '';
      const result = last.startsWith('RESULT ') ? last : null;
      if (timedOut) return done(false, `timed out after ${bench.timeoutMs / 1000} s`, result);
      if (code !== 0) return done(false, `exited with ${code ?? signal}`, result);
      if (!result) return done(false, `last line of stdout is not a RESULT line: ${JSON.stringify(last.slice(0, 200))}`, null);
      done(true, 'ok', result);
    });
  });
}

async function main(): Promise<number> {
  const outcomes: Outcome[] = [];
  for (const bench of SMOKE_BENCHES) {
    process.stderr.write(`\n[bench:smoke] npm run ${bench.script} -- ${bench.args.join(' ')}\n`);
    outcomes.push(await runOne(bench));
  }
  console.log('\n== bench:smoke ==');
  for (const o of outcomes) console.log(`${o.ok ? 'ok  ' : 'FAIL'} ${o.bench.script} (${o.seconds.toFixed(0)} s)${o.ok ? '' : `: ${o.why}`}`);
  console.log('');
  for (const o of outcomes) if (o.result) console.log(`${o.bench.script}: ${o.result}`);
  const failed = outcomes.filter((o) => !o.ok).length;
  console.log(`\n${outcomes.length - failed}/${outcomes.length} benchmarks passed the smoke run`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`[bench:smoke] ${(e as Error).stack ?? e}`);
    process.exit(1);
  },
);

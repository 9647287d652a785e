// Benchmark helper: runs a benchmark with a cleanup stack, a hard time limit and signal handling; the report prints last.
import { UsageError } from './args';

export interface BenchContext {
  /** Registers a cleanup step; steps run in reverse order of registration, each bounded by `timeoutMs`. */
  defer(label: string, fn: () => Promise<void> | void, timeoutMs?: number): void;
  /** Progress message on stderr (stdout is kept for the report, whose last line is the RESULT line). */
  note(msg: string): void;
}

export interface BenchOutcome {
  /** Printed on stdout after every cleanup step has run; its last line should be the RESULT line. */
  report: string;
}

const DEFAULT_STEP_TIMEOUT_MS = 30_000;

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
    }),
  ]);
}

/**
 * Runs `main`, then the cleanup steps (also after a failure, the time limit or SIGINT/SIGTERM), then prints the report.
 * Exit status: 0 on success; 1 on failure (including a failed cleanup step); 2 on a usage error; 124 on the time limit.
 */
export function runBench(name: string, timeLimitMs: number, main: (ctx: BenchContext) => Promise<BenchOutcome>): void {
  const steps: Array<{ label: string; fn: () => Promise<void> | void; timeoutMs: number }> = [];
  const note = (msg: string) => process.stderr.write(`[${name}] ${msg}\n`);
  let cleaning: Promise<boolean> | null = null;

  const cleanup = (): Promise<boolean> => {
    cleaning ??= (async () => {
      let ok = true;
      while (steps.length > 0) {
        const step = steps.pop()!;
        try {
          await withTimeout(Promise.resolve().then(step.fn), step.timeoutMs, `cleanup "${step.label}"`);
        } catch (e) {
          ok = false;
          note(`cleanup failed: ${(e as Error).message}`);
        }
      }
      return ok;
    })();
    return cleaning;
  };

  const abort = async (why: string, code: number) => {
    note(why);
    await cleanup();
    process.exit(code);
  };

  const onSignal = (sig: NodeJS.Signals) => void abort(`${sig}: stopping`, 130);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const ctx: BenchContext = {
    defer: (label, fn, timeoutMs = DEFAULT_STEP_TIMEOUT_MS) => steps.push({ label, fn, timeoutMs }),
    note,
  };

  const limitTimer = setTimeout(() => void abort(`time limit of ${Math.round(timeLimitMs / 1000)} s exceeded: aborting`, 124), timeLimitMs);

  void (async () => {
    let outcome: BenchOutcome | null = null;
    let failed = false;
    try {
      outcome = await main(ctx);
    } catch (e) {
      failed = true;
      if (e instanceof UsageError) {
        process.stderr.write(`${e.message}\n`);
        await cleanup();
        process.exit(2);
      }
      note(`FAILED: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
    const cleanOk = await cleanup();
    clearTimeout(limitTimer);
    if (outcome) process.stdout.write(outcome.report.endsWith('\n') ? outcome.report : outcome.report + '\n');
    if (!cleanOk) note('FAILED: not everything could be stopped or removed (see above)');
    process.exit(failed || !cleanOk ? 1 : 0);
  })();
}

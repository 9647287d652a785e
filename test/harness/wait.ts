// The one polling helper of the tests: waitFor(fn, { timeoutMs, intervalMs, what }) resolves with fn's first truthy value.
export interface WaitOptions {
  /** How long to keep trying (default 15 s; the machine is loaded, so be generous). */
  timeoutMs?: number;
  /** Pause between tries (default 100 ms). */
  intervalMs?: number;
  /** What is awaited, for the timeout message ("two closed segments"). */
  what?: string;
  /** Treat a throwing fn as "not yet" and keep trying (the last error is named in the timeout message); default: rethrow at once. */
  retryErrors?: boolean;
}

export class WaitTimeout extends Error {
  constructor(
    readonly what: string,
    readonly timeoutMs: number,
    readonly tries: number,
    readonly lastValue: unknown,
    readonly lastError: unknown,
  ) {
    const err = lastError instanceof Error ? lastError.message : lastError !== undefined ? String(lastError) : '';
    super(`timed out after ${timeoutMs} ms waiting for ${what} (${tries} tries; last value: ${describe(lastValue)}${err ? `; last error: ${err}` : ''})`);
    this.name = 'WaitTimeout';
  }
}

function describe(v: unknown): string {
  if (v === undefined) return 'undefined';
  try {
    const s = JSON.stringify(v);
    return s.length > 200 ? `${s.slice(0, 200)}…` : s;
  } catch {
    return String(v);
  }
}

/** Calls fn until it returns a truthy value (then returns it); throws WaitTimeout after timeoutMs. */
export async function waitFor<T>(fn: () => T | Promise<T>, opts: WaitOptions = {}): Promise<NonNullable<T>> {
  const { timeoutMs = 15_000, intervalMs = 100, what = 'condition', retryErrors = false } = opts;
  const deadline = Date.now() + timeoutMs;
  let tries = 0;
  let lastValue: unknown;
  let lastError: unknown;
  for (;;) {
    tries++;
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
      lastValue = v;
    } catch (err) {
      if (!retryErrors) throw err;
      lastError = err;
    }
    if (Date.now() > deadline) throw new WaitTimeout(what, timeoutMs, tries, lastValue, lastError);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

// Sign-in limits: a token bucket per client address and a cap on sign-ins in progress (checked before any hash), and
// per-account failure pools that space guesses out exponentially; an address the account signed in from before has its own pool.
// The arithmetic (10,000 guesses cannot complete in a day) is in docs/design/accounts.md; throttle.test.ts checks it.

export interface SignInLimits {
  /** Attempts an address may make at once before it must wait (bucket size). */
  addressBurst: number;
  /** Attempts an address earns back per second. A correct password gives its attempt back. */
  addressPerS: number;
  /** Sign-ins being checked at once, all addresses together; one more is refused at once (503). */
  maxConcurrent: number;
  /** Failed logins a pool allows before attempts are spaced out. */
  freeFailures: number;
  /** The wait after the last free failure; it doubles with each further failure. */
  baseDelayMs: number;
  /** The longest wait between two attempts of one pool. */
  maxDelayMs: number;
  /** A pool forgets its failures after this long without one. */
  forgetMs: number;
  /** Addresses remembered per account (each has its own pool). */
  knownAddresses: number;
  /** Attempts of one pool waiting for the ones being checked (beyond: refused). */
  maxWaiting: number;
  /** Pools kept in memory at most (those without recent failures go first). */
  maxPools: number;
}

export const DEFAULT_LIMITS: SignInLimits = {
  addressBurst: 20,
  addressPerS: 0.5,
  maxConcurrent: 16,
  freeFailures: 5,
  baseDelayMs: 1000,
  maxDelayMs: 120_000,
  forgetMs: 24 * 3600_000,
  knownAddresses: 8,
  maxWaiting: 16,
  maxPools: 200_000,
};

/** An attempt refused before any hash: why, and how long to wait. */
export interface Refusal {
  reason: 'address' | 'busy' | 'account';
  retryAfterMs: number;
}

interface Bucket {
  tokens: number;
  atMs: number;
}

/** Per-address token buckets and the global count of sign-ins in progress. Pure memory; no hash, no database. */
export class AddressGate {
  private readonly buckets = new Map<string, Bucket>();
  private inFlight = 0;
  constructor(private readonly limits: SignInLimits = DEFAULT_LIMITS) {}

  /** Takes a token of the address and a slot; null when admitted (call release()), else the refusal. */
  admit(address: string, nowMs: number): Refusal | null {
    const b = this.refill(address, nowMs);
    if (b.tokens < 1) return { reason: 'address', retryAfterMs: Math.ceil(((1 - b.tokens) / this.limits.addressPerS) * 1000) };
    if (this.inFlight >= this.limits.maxConcurrent) return { reason: 'busy', retryAfterMs: 1000 };
    b.tokens -= 1;
    this.inFlight++;
    if (this.buckets.size > 10_000) this.prune(nowMs);
    return null;
  }

  /** Ends an admitted attempt; a correct password gives the address its token back. */
  release(address: string, passwordWasRight: boolean, nowMs: number): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    if (passwordWasRight) {
      const b = this.refill(address, nowMs);
      b.tokens = Math.min(this.limits.addressBurst, b.tokens + 1);
    }
  }

  get inProgress(): number {
    return this.inFlight;
  }

  private refill(address: string, nowMs: number): Bucket {
    let b = this.buckets.get(address);
    if (!b) {
      b = { tokens: this.limits.addressBurst, atMs: nowMs };
      this.buckets.set(address, b);
    }
    if (nowMs > b.atMs) {
      b.tokens = Math.min(this.limits.addressBurst, b.tokens + ((nowMs - b.atMs) / 1000) * this.limits.addressPerS);
      b.atMs = nowMs;
    }
    return b;
  }

  private prune(nowMs: number): void {
    for (const [k, b] of this.buckets) {
      if (b.tokens + ((nowMs - b.atMs) / 1000) * this.limits.addressPerS >= this.limits.addressBurst) this.buckets.delete(k);
    }
  }
}

interface Pool {
  failures: number;
  lastFailureMs: number;
  nextAllowedMs: number;
  pending: number;
  waiters: Array<() => void>;
}

/** An admitted attempt of a pool: end it with AccountThrottle.end(). */
export interface PoolPass {
  key: string;
}

/**
 * Failure pools per account: one for each address the account signed in from before, one shared by every other
 * address. A pool lets `freeFailures` failures through at once; after that one attempt at a time, each after a wait
 * that doubles per failure up to `maxDelayMs`. Correct passwords never count; an attempt that finds the free
 * budget taken by attempts still being checked waits for them instead of being refused (parallel correct logins all pass).
 */
export class AccountThrottle {
  private readonly pools = new Map<string, Pool>();
  constructor(
    private readonly limits: SignInLimits = DEFAULT_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /** The pool key: the account (lower-cased) and the known address, or '*' for every other one. */
  static key(username: string, knownAddress: string | null): string {
    return `${username.toLowerCase()}\n${knownAddress ?? '*'}`;
  }

  /** The wait a pool imposes after `failures` failures (0 within the free budget). */
  delayAfter(failures: number): number {
    if (failures < this.limits.freeFailures) return 0;
    return Math.min(this.limits.maxDelayMs, this.limits.baseDelayMs * 2 ** Math.min(30, failures - this.limits.freeFailures));
  }

  /** Admits an attempt of the pool (possibly after waiting for attempts in progress), or refuses it. */
  async begin(key: string): Promise<PoolPass | Refusal> {
    const pool = this.pool(key);
    for (;;) {
      const nowMs = this.now();
      if (pool.pending === 0 && pool.failures > 0 && nowMs - pool.lastFailureMs > this.limits.forgetMs) {
        pool.failures = 0;
        pool.nextAllowedMs = 0;
      }
      if (nowMs < pool.nextAllowedMs) return { reason: 'account', retryAfterMs: pool.nextAllowedMs - nowMs };
      if (pool.failures + pool.pending < this.limits.freeFailures || pool.pending === 0) {
        pool.pending++;
        return { key };
      }
      if (pool.waiters.length >= this.limits.maxWaiting) return { reason: 'account', retryAfterMs: 1000 };
      await new Promise<void>((resolve) => pool.waiters.push(resolve));
    }
  }

  /** Ends an attempt: a wrong password counts as a failure of the pool (and sets its next wait), a right one clears it. */
  end(pass: PoolPass, passwordWasRight: boolean): void {
    const pool = this.pool(pass.key);
    const nowMs = this.now();
    pool.pending = Math.max(0, pool.pending - 1);
    if (passwordWasRight) {
      pool.failures = 0;
      pool.nextAllowedMs = 0;
    } else {
      pool.failures++;
      pool.lastFailureMs = nowMs;
      const delayMs = this.delayAfter(pool.failures);
      if (delayMs > 0) pool.nextAllowedMs = nowMs + delayMs;
    }
    for (const wake of pool.waiters.splice(0)) wake();
    if (this.pools.size > this.limits.maxPools) this.prune(nowMs);
  }

  /** Failures a pool holds now (tests, the session list's view of an account). */
  failuresOf(key: string): number {
    return this.pools.get(key)?.failures ?? 0;
  }

  private pool(key: string): Pool {
    let p = this.pools.get(key);
    if (!p) {
      p = { failures: 0, lastFailureMs: 0, nextAllowedMs: 0, pending: 0, waiters: [] };
      this.pools.set(key, p);
    }
    return p;
  }

  /** Drops idle pools: first those without failures or with forgotten ones, then (still too many) the oldest failures. */
  private prune(nowMs: number): void {
    const idle = (p: Pool) => p.pending === 0 && p.waiters.length === 0;
    for (const [k, p] of this.pools) if (idle(p) && (p.failures === 0 || nowMs - p.lastFailureMs > this.limits.forgetMs)) this.pools.delete(k);
    if (this.pools.size <= this.limits.maxPools) return;
    const oldest = [...this.pools].filter(([, p]) => idle(p)).sort((a, b) => a[1].lastFailureMs - b[1].lastFailureMs);
    for (const [k] of oldest.slice(0, this.pools.size - Math.floor(this.limits.maxPools * 0.9))) this.pools.delete(k);
  }
}

/** The former per-key lock, kept for guesses of the current password on a password change (an open session). */
export interface LockOptions {
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

/**
 * After maxFailures failures of a key within windowMs, further attempts are refused for lockMs. Attempts still being
 * checked count too. Used only where the caller is already signed in (the own password change), never for sign-in.
 */
export class FailureLock {
  private readonly entries = new Map<string, { failures: number[]; pending: number; lockedUntilMs: number }>();
  constructor(private readonly opts: LockOptions = { maxFailures: 5, windowMs: 5 * 60_000, lockMs: 60_000 }) {}

  /** Starts an attempt: returns 0 if allowed (call end() later), else how many ms the lock still lasts. */
  begin(key: string, nowMs: number): number {
    let e = this.entries.get(key);
    if (!e) this.entries.set(key, (e = { failures: [], pending: 0, lockedUntilMs: 0 }));
    if (e.lockedUntilMs > nowMs) return e.lockedUntilMs - nowMs;
    e.failures = e.failures.filter((t) => t > nowMs - this.opts.windowMs);
    if (e.failures.length + e.pending >= this.opts.maxFailures) return this.opts.lockMs;
    e.pending++;
    return 0;
  }

  /** Ends an attempt begun with begin(); returns true when this failure locked the key. */
  end(key: string, ok: boolean, nowMs: number): boolean {
    const e = this.entries.get(key);
    if (!e) return false;
    e.pending = Math.max(0, e.pending - 1);
    if (ok) {
      e.failures = [];
      return false;
    }
    e.failures = e.failures.filter((t) => t > nowMs - this.opts.windowMs);
    e.failures.push(nowMs);
    if (e.failures.length < this.opts.maxFailures) return false;
    e.lockedUntilMs = nowMs + this.opts.lockMs;
    e.failures = [];
    return true;
  }
}

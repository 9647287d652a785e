// Sign-in limits with an injected clock: the address bucket, the per-account pools, the 10,000-guesses-a-day bound, known addresses.
import { describe, expect, test } from 'vitest';
import { AccountThrottle, AddressGate, DEFAULT_LIMITS, type PoolPass, type Refusal } from './throttle';

const DAY_MS = 24 * 3600_000;
const admitted = (r: PoolPass | Refusal): r is PoolPass => 'key' in r;

/** An attacker guessing one account's password as fast as a pool lets them for `spanMs`: how many guesses were checked. */
async function guessesIn(th: AccountThrottle, clock: { ms: number }, key: string, spanMs: number): Promise<number> {
  const endMs = clock.ms + spanMs;
  let checked = 0;
  while (clock.ms < endMs) {
    const r = await th.begin(key);
    if (!admitted(r)) {
      clock.ms += r.retryAfterMs; // waits exactly as long as told, never longer
      continue;
    }
    checked++;
    th.end(r, false);
  }
  return checked;
}

describe('AddressGate (before any hash)', () => {
  test('an address gets its burst, then 429 with the time its next token needs; other addresses are not affected', () => {
    const gate = new AddressGate({ ...DEFAULT_LIMITS, addressBurst: 3, addressPerS: 0.5, maxConcurrent: 100 });
    for (let i = 0; i < 3; i++) expect(gate.admit('10.0.0.1', 0)).toBeNull();
    expect(gate.admit('10.0.0.1', 0)).toEqual({ reason: 'address', retryAfterMs: 2000 });
    expect(gate.admit('10.0.0.2', 0)).toBeNull();
    expect(gate.admit('10.0.0.1', 1999)).toMatchObject({ reason: 'address' });
    expect(gate.admit('10.0.0.1', 2000)).toBeNull();
  });

  test('a correct password gives its token back: correct logins never use the budget up', () => {
    const gate = new AddressGate({ ...DEFAULT_LIMITS, addressBurst: 2, maxConcurrent: 100 });
    for (let i = 0; i < 50; i++) {
      expect(gate.admit('10.0.0.1', 0)).toBeNull();
      gate.release('10.0.0.1', true, 0);
    }
  });

  test('sign-ins in progress are capped for all addresses together (503 at once)', () => {
    const gate = new AddressGate({ ...DEFAULT_LIMITS, maxConcurrent: 2 });
    expect(gate.admit('a', 0)).toBeNull();
    expect(gate.admit('b', 0)).toBeNull();
    expect(gate.admit('c', 0)).toEqual({ reason: 'busy', retryAfterMs: 1000 });
    gate.release('a', false, 0);
    expect(gate.admit('c', 0)).toBeNull();
  });
});

describe('AccountThrottle (per account and address pool)', () => {
  test('5 free failures, then waits of 1, 2, 4 … s up to 2 min; a right password clears them', async () => {
    const clock = { ms: 0 };
    const th = new AccountThrottle(DEFAULT_LIMITS, () => clock.ms);
    const key = AccountThrottle.key('Admin', null);
    for (let i = 0; i < 5; i++) th.end((await th.begin(key)) as PoolPass, false);
    expect(await th.begin(key)).toEqual({ reason: 'account', retryAfterMs: 1000 });
    clock.ms += 1000;
    th.end((await th.begin(key)) as PoolPass, false);
    expect(await th.begin(key)).toEqual({ reason: 'account', retryAfterMs: 2000 });
    expect([5, 6, 7, 11, 12, 40].map((n) => th.delayAfter(n))).toEqual([1000, 2000, 4000, 64_000, 120_000, 120_000]);
    clock.ms += 2000;
    th.end((await th.begin(AccountThrottle.key('admin', null))) as PoolPass, true);
    expect(th.failuresOf(key)).toBe(0);
    expect(admitted(await th.begin(key))).toBe(true);
  });

  test('10,000 guesses cannot complete in a day: one pool checks at most 731 a day, all 9 pools of an account fewer than 10,000', async () => {
    const clock = { ms: 1_000_000 };
    const th = new AccountThrottle(DEFAULT_LIMITS, () => clock.ms);
    const unknown = await guessesIn(th, clock, AccountThrottle.key('admin', null), DAY_MS);
    // docs/design/accounts.md: 5 free + 7 ramp-up (1 … 64 s, 127 s) + (86,400 - 127) / 120 = 718.9 → at most 731.
    expect(unknown).toBeLessThanOrEqual(731);
    expect(unknown).toBeGreaterThan(700);
    // Even an attacker at every one of the account's known addresses (8 kept) as well: 9 pools.
    let total = unknown;
    for (let i = 0; i < DEFAULT_LIMITS.knownAddresses; i++) {
      clock.ms = 1_000_000;
      total += await guessesIn(th, clock, AccountThrottle.key('admin', `10.1.0.${i}`), DAY_MS);
    }
    expect(total).toBeLessThan(10_000);
    // The next day goes on at the capped rate: the pool does not forget an attacker who keeps failing.
    const clock2Start = clock.ms;
    expect(await guessesIn(th, clock, AccountThrottle.key('admin', null), DAY_MS)).toBeLessThanOrEqual(Math.ceil(DAY_MS / 120_000));
    expect(clock.ms).toBeGreaterThanOrEqual(clock2Start);
  });

  test('guesses from elsewhere never slow the real user at a known address', async () => {
    const clock = { ms: 0 };
    const th = new AccountThrottle(DEFAULT_LIMITS, () => clock.ms);
    await guessesIn(th, clock, AccountThrottle.key('chief', null), 3600_000);
    const next = await th.begin(AccountThrottle.key('chief', null));
    if (admitted(next)) th.end(next, false); // the hour ended just as a wait did: one more guess
    expect(await th.begin(AccountThrottle.key('chief', null))).toMatchObject({ reason: 'account' });
    const real = await th.begin(AccountThrottle.key('chief', '192.168.1.20'));
    expect(admitted(real)).toBe(true);
    th.end(real as PoolPass, true);
  });

  test('6 parallel correct logins all pass: those beyond the free budget wait for the ones being checked, none is refused', async () => {
    const th = new AccountThrottle(DEFAULT_LIMITS, () => 0);
    const key = AccountThrottle.key('disp', '127.0.0.1');
    const results = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const r = await th.begin(key);
        if (!admitted(r)) return r;
        await new Promise((res) => setTimeout(res, 5)); // the hash
        th.end(r, true);
        return 'ok';
      }),
    );
    expect(results).toEqual(Array(6).fill('ok'));
  });

  test('parallel wrong guesses cannot slip past the budget: the 6th waits, then is refused', async () => {
    const th = new AccountThrottle(DEFAULT_LIMITS, () => 0);
    const key = AccountThrottle.key('disp', null);
    const passes = await Promise.all(Array.from({ length: 5 }, () => th.begin(key)));
    expect(passes.every(admitted)).toBe(true);
    const sixth = th.begin(key);
    for (const p of passes) th.end(p as PoolPass, false);
    expect(await sixth).toEqual({ reason: 'account', retryAfterMs: 1000 });
  });

  test('waiting attempts are bounded (beyond maxWaiting: refused at once)', async () => {
    const th = new AccountThrottle({ ...DEFAULT_LIMITS, freeFailures: 1, maxWaiting: 2 }, () => 0);
    const key = AccountThrottle.key('x', null);
    const first = (await th.begin(key)) as PoolPass;
    const waiting = [th.begin(key), th.begin(key)];
    expect(await th.begin(key)).toEqual({ reason: 'account', retryAfterMs: 1000 });
    // Each waiting one is let through when the one before it ends (here: with the right password).
    const done = waiting.map((p) =>
      p.then((r) => {
        if (admitted(r)) th.end(r, true);
        return r;
      }),
    );
    th.end(first, true);
    expect((await Promise.all(done)).every(admitted)).toBe(true);
  });
});

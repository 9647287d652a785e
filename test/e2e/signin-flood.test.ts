// End to end (real server): a sign-in flood from one address is refused before any hash while signed-in users are served,
// the real user signs in from a known address while their account is flooded from elsewhere, parallel correct logins all pass.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../main/server/auth';
import { SEED_PASSWORD, startServer, type TestServer } from '../harness';
import { loginFrom } from '../helpers/login-from';

/** `clients` parallel loops, each sending `each` sign-ins from `from` with a user name from `name()`; the statuses seen. */
async function flood(srv: TestServer, from: string, clients: number, each: number, name: () => string, password = 'wrong-password-x'): Promise<number[]> {
  const statuses: number[] = [];
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = 0; i < each; i++) statuses.push((await loginFrom(srv.url, from, name(), password)).status);
    }),
  );
  return statuses;
}

/**
 * The defaults but a slow refill (a token per 50 s instead of per 2 s): a refused attempt is held (tarpit) up to its
 * Retry-After, so with the default refill the flood's last answer can arrive just as its address earns a token back, and
 * whether "still refused" held depended on timing. At this rate the flood (~8 s) earns back less than one token.
 */
const LIMITS = { ...DEFAULT_LIMITS, addressPerS: 0.02 };

describe('sign-in under a flood', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startServer({ tag: 'signin-flood', signInLimits: LIMITS, users: [{ username: 'disp', role: 'dispatcher' }] });
  }, 120_000);
  afterAll(async () => {
    await srv?.close();
  });

  it('refuses a flood from one address with 429 before hashing, serves a signed-in user meanwhile, and lets a correct login from another address in', async () => {
    const hashesBefore = srv.backend.auth.hasher.hashesDone;
    const startMs = Date.now();
    let served = 0;
    let floodDone = false;
    const reader = (async () => {
      while (!floodDone) {
        const r = await srv.client.call('GET', '/api/v1/cameras');
        expect(r.status).toBe(200);
        served++;
      }
    })();
    const floodRun = flood(srv, '127.0.0.3', 16, 8, () => `nobody-${crypto.randomBytes(6).toString('hex')}`);
    const statuses = await floodRun.finally(() => (floodDone = true));
    await reader;
    const elapsedS = (Date.now() - startMs) / 1000;
    const hashes = srv.backend.auth.hasher.hashesDone - hashesBefore;

    expect(statuses).toHaveLength(128);
    expect(new Set(statuses)).toEqual(new Set([401, 429]));
    const failed = statuses.filter((s) => s === 401).length;
    // Only the address's burst and what it earned back got as far as a hash (plus the one dummy hash made once).
    expect(failed).toBeLessThanOrEqual(LIMITS.addressBurst + Math.ceil(elapsedS * LIMITS.addressPerS));
    expect(hashes).toBeLessThanOrEqual(failed + 1);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(128 - failed);
    expect(served).toBeGreaterThan(0);

    // The flood's address is still refused; another address signs in.
    expect((await loginFrom(srv.url, '127.0.0.3', 'disp', SEED_PASSWORD)).status).toBe(429);
    const ok = await loginFrom(srv.url, '127.0.0.4', 'disp', SEED_PASSWORD);
    expect(ok.status).toBe(200);
    expect(ok.body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // The refusals are in the audit as one row for the address (not one per refusal).
    await srv.backend.auth.flushRefusals();
    const rows = await srv.backend.store.audit.query({ action: 'auth.login_throttled', limit: 100 });
    const fromFlood = rows.filter((r) => r.ip === '127.0.0.3');
    expect(fromFlood).toHaveLength(1);
    expect(fromFlood[0].detail).toMatchObject({ count: statuses.filter((s) => s === 429).length + 1, reasons: { address: expect.any(Number) } });
  }, 180_000);

  it('the real user signs in from a known address while their account is flooded with wrong passwords from elsewhere', async () => {
    // disp signed in from 127.0.0.1 when the harness seeded it: a known address. Guesses come from two other addresses.
    const guesses = [...(await flood(srv, '127.0.0.5', 4, 5, () => 'disp')), ...(await flood(srv, '127.0.0.6', 4, 5, () => 'disp'))];
    expect(guesses.filter((s) => s === 401).length).toBeGreaterThanOrEqual(LIMITS.freeFailures);
    expect(guesses).toContain(429); // the account's pool for unknown addresses spaces the guesses out
    const real = await loginFrom(srv.url, '127.0.0.1', 'disp', SEED_PASSWORD);
    expect(real.status).toBe(200);
  }, 120_000);

  it('6 parallel correct logins all succeed (none refused as too many failed logins), from a new address and a known one', async () => {
    for (const from of ['127.0.0.8', '127.0.0.1']) {
      const answers = await Promise.all(Array.from({ length: 6 }, () => loginFrom(srv.url, from, 'admin', srv.adminPassword)));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
    }
  }, 120_000);
});

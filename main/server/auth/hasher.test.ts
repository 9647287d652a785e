// The sign-in hasher thread: same hashes as the libuv path, a bounded queue refused at once, work counted.
import { afterEach, describe, expect, test } from 'vitest';
import { HasherBusy, PasswordHasher } from './hasher';
import { hashPassword, verifyPassword } from './passwords';

describe('PasswordHasher', () => {
  const hashers: PasswordHasher[] = [];
  const make = (o: ConstructorParameters<typeof PasswordHasher>[0]) => {
    const h = new PasswordHasher(o);
    hashers.push(h);
    return h;
  };
  afterEach(async () => {
    for (const h of hashers.splice(0)) await h.close();
  });

  test('hashes and verifies interchangeably with the libuv functions', async () => {
    const h = make({ workers: 1 });
    const stored = await h.hash('correct horse');
    expect(await verifyPassword('correct horse', stored)).toBe(true);
    const other = await hashPassword('battery staple');
    expect(await h.verify('battery staple', other)).toBe(true);
    expect(await h.verify('battery stapl', other)).toBe(false);
    expect(await h.verify('x', 'scrypt$garbage')).toBe(false);
    expect(h.hashesDone).toBe(3);
  });

  test('the queue is bounded: beyond maxQueue a hash is refused at once with a Retry-After, nothing waits unboundedly', async () => {
    const h = make({ workers: 1, maxQueue: 3 });
    const stored = await hashPassword('pw-for-queue');
    const startMs = Date.now();
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => h.verify('pw-for-queue', stored)));
    const refused = results.filter((r) => r.status === 'rejected');
    expect(refused).toHaveLength(7);
    for (const r of refused) {
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(HasherBusy);
      expect(((r as PromiseRejectedResult).reason as HasherBusy).retryAfterMs).toBeGreaterThanOrEqual(1000);
    }
    expect(results.filter((r) => r.status === 'fulfilled' && r.value === true)).toHaveLength(3);
    expect(h.hashesDone).toBe(3);
    expect(h.load).toBe(0);
    expect(Date.now() - startMs).toBeGreaterThanOrEqual(0);
  });

  test('close fails what waits and stops the thread', async () => {
    const h = make({ workers: 1, maxQueue: 4 });
    const stored = await hashPassword('pw');
    const pending = [h.verify('pw', stored), h.verify('pw', stored)];
    await h.close();
    // What was waiting or running is not verified (a closed hasher never says yes).
    const settled = await Promise.allSettled(pending);
    expect(settled.every((r) => r.status === 'rejected' || r.value === false)).toBe(true);
    await expect(h.hash('later')).rejects.toThrow(/closed/);
  });
});

// Tests of the PTZ control arbiter: takeover by higher priority only, refusal naming the holder, idle release.
import { describe, expect, it } from 'vitest';
import { PtzArbiter, type Contender } from './arbiter';

const who = (userId: number, priority: number, role: Contender['role'] = 'officer'): Contender => ({ userId, username: `u${userId}`, role, priority });

describe('PtzArbiter', () => {
  it('gives a free camera, refreshes the holder, lets only a higher priority take over', () => {
    let now = 1000;
    const released: string[] = [];
    const a = new PtzArbiter(
      30_000,
      () => now,
      (cam, prev, reason) => released.push(`${cam}:${prev.username}:${reason}`),
    );
    expect(a.acquire(1, who(1, 10))).toMatchObject({ ok: true, change: 'taken' });
    now += 5000;
    const again = a.acquire(1, who(1, 10));
    expect(again).toMatchObject({ ok: true, change: 'none', holder: { sinceMs: 1000, expiresMs: 36_000 } });
    expect(a.acquire(1, who(2, 10))).toMatchObject({ ok: false, holder: { username: 'u1' } });
    expect(a.acquire(1, who(3, 5))).toMatchObject({ ok: false });
    expect(a.acquire(1, who(4, 30, 'dispatcher'))).toMatchObject({
      ok: true,
      change: 'takeover',
      previous: { username: 'u1' },
      holder: { username: 'u4', priority: 30 },
    });
    expect(a.acquire(2, who(1, 10))).toMatchObject({ ok: true, change: 'taken' }); // cameras are independent
    expect(released).toEqual([]);
  });

  it('releases after the idle time and on request by the holder only', () => {
    let now = 0;
    const released: string[] = [];
    const a = new PtzArbiter(
      2000,
      () => now,
      (cam, prev, reason) => released.push(`${cam}:${prev.username}:${reason}`),
    );
    a.acquire(1, who(1, 10));
    now = 1999;
    a.sweep();
    expect(a.holder(1)).not.toBeNull();
    now = 2000;
    a.sweep();
    expect(a.holder(1)).toBeNull();
    expect(released).toEqual(['1:u1:idle']);
    a.acquire(1, who(1, 10));
    expect(a.release(1, 2)).toBeNull();
    expect(a.release(1, 1)).toMatchObject({ username: 'u1' });
    expect(released).toEqual(['1:u1:idle', '1:u1:released']);
    // An equal priority may take a camera as soon as it is free.
    expect(a.acquire(1, who(2, 10))).toMatchObject({ ok: true, change: 'taken' });
  });
});

// Tests of password hashing, the login throttle and first-start admin creation (real SQLite store).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { openSqliteStore } from '../../../storage/sqlite/index';
import type { Store } from '../../../storage/repositories';
import { ensureAdmin, hashPassword, hashToken, FailureLock, newToken, randomPassword, verifyPassword } from './index';

describe('password hashing', () => {
  test('scrypt$N$r$p$salt$hash with N=16384 r=8 p=1 and a random 16-byte salt', async () => {
    const h = await hashPassword('correct horse');
    const parts = h.split('$');
    expect(parts.slice(0, 4)).toEqual(['scrypt', '16384', '8', '1']);
    expect(Buffer.from(parts[4], 'base64')).toHaveLength(16);
    expect(Buffer.from(parts[5], 'base64').length).toBeGreaterThanOrEqual(32);
    expect(await hashPassword('correct horse')).not.toBe(h);
    expect(await verifyPassword('correct horse', h)).toBe(true);
    expect(await verifyPassword('correct horsf', h)).toBe(false);
    expect(await verifyPassword('', h)).toBe(false);
  });

  test('malformed or absurd stored hashes never verify', async () => {
    const h = await hashPassword('pw');
    const parts = h.split('$');
    for (const bad of [
      '',
      'plain',
      'scrypt$x$8$1$a$b',
      `scrypt$1073741824$8$1$${parts[4]}$${parts[5]}`,
      `bcrypt$${parts.slice(1).join('$')}`,
      `scrypt$16384$8$1$$${parts[5]}`,
    ])
      expect(await verifyPassword('pw', bad), bad).toBe(false);
  });

  test('tokens are 32 random bytes in base64url; only their SHA-256 is stored', () => {
    const a = newToken();
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(newToken()).not.toBe(a);
    expect(hashToken(a)).toMatch(/^[0-9a-f]{64}$/);
  });

  test('random passwords are 16 characters without look-alikes', () => {
    const p = randomPassword();
    expect(p).toMatch(/^[A-HJ-NP-Za-km-z2-9]{16}$/);
  });
});

describe('FailureLock', () => {
  test('locks after 5 failures within the window for 60 s, per key', () => {
    const th = new FailureLock();
    let now = 1_000_000;
    for (let i = 0; i < 4; i++) {
      expect(th.begin('bob', now)).toBe(0);
      expect(th.end('bob', false, now)).toBe(false);
      now += 1000;
    }
    expect(th.begin('bob', now)).toBe(0);
    expect(th.end('bob', false, now)).toBe(true);
    expect(th.begin('bob', now + 1000)).toBe(59_000);
    expect(th.begin('alice', now)).toBe(0);
    expect(th.begin('bob', now + 60_000)).toBe(0);
  });

  test('parallel attempts count before they finish', () => {
    const th = new FailureLock();
    for (let i = 0; i < 5; i++) expect(th.begin('eve', 0)).toBe(0);
    expect(th.begin('eve', 0)).toBeGreaterThan(0);
  });

  test('a success clears the failures', () => {
    const th = new FailureLock();
    for (let i = 0; i < 4; i++) th.end('x', false, th.begin('x', 0));
    th.begin('x', 0);
    th.end('x', true, 0);
    for (let i = 0; i < 4; i++) {
      expect(th.begin('x', 1)).toBe(0);
      th.end('x', false, 1);
    }
  });
});

describe('ensureAdmin', () => {
  const dirs: string[] = [];
  const stores: Store[] = [];
  async function freshStore(): Promise<Store> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-auth-'));
    dirs.push(dir);
    const s = await openSqliteStore(path.join(dir, 'argus.db'));
    stores.push(s);
    return s;
  }
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  test('creates admin with a random password printed once in a box', async () => {
    const store = await freshStore();
    const logs: string[] = [];
    expect(await ensureAdmin(store, (m) => logs.push(m), {})).toBe(true);
    expect(logs).toHaveLength(1);
    const pw = /password: (\S+)/.exec(logs[0])?.[1] ?? '';
    expect(pw).toHaveLength(16);
    expect(logs[0]).toContain('╔');
    const admin = await store.users.getByUsername('admin');
    expect(admin?.role).toBe('admin');
    expect(admin?.mustChangePassword).toBe(true); // the printed password must be changed at the first sign-in
    expect(await verifyPassword(pw, admin!.passwordHash)).toBe(true);
    const audit = await store.audit.query({ action: 'user.create' });
    expect(audit[0]).toMatchObject({ targetId: String(admin!.id), detail: { username: 'admin', passwordSource: 'generated' } });
    expect(JSON.stringify(audit)).not.toContain(pw);

    // Second start: nothing happens, nothing printed.
    expect(await ensureAdmin(store, (m) => logs.push(m), {})).toBe(false);
    expect(logs).toHaveLength(1);
    expect(await store.users.count()).toBe(1);
  });

  test('uses ARGUS_ADMIN_PASSWORD without printing it', async () => {
    const store = await freshStore();
    const logs: string[] = [];
    expect(await ensureAdmin(store, (m) => logs.push(m), { ARGUS_ADMIN_PASSWORD: 'from-the-env-1' })).toBe(true);
    expect(logs.join('\n')).not.toContain('from-the-env-1');
    const admin = await store.users.getByUsername('admin');
    expect(await verifyPassword('from-the-env-1', admin!.passwordHash)).toBe(true);
    expect(admin?.mustChangePassword).toBe(false); // chosen by the operator, not printed
  });

  test.each([
    ['k9-pw', 'password.too_short', /at least 10 characters/],
    ['admin-2026-secure', 'password.contains_username', /user name/],
    ['1234567890', 'password.common', /most common passwords/],
    ['          ', 'password.blank', /empty or only spaces/],
    ['xxxxxxxxxxxx', 'password.same_char', /one character repeated/],
  ])('refuses a weak ARGUS_ADMIN_PASSWORD (%s) by the password policy, creating no user', async (pw, code, why) => {
    const store = await freshStore();
    const err = await ensureAdmin(store, () => undefined, { ARGUS_ADMIN_PASSWORD: pw }).then(
      () => null,
      (e: Error) => e,
    );
    expect(err?.message).toContain(`ARGUS_ADMIN_PASSWORD is refused by the password policy (${code})`);
    expect(err?.message).toMatch(why);
    if (pw.trim()) expect(err?.message).not.toContain(pw); // the refused password itself is not echoed into the log
    expect(await store.users.count()).toBe(0);
  });
});

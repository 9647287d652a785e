// Unit tests of the TOTP factor with an injected clock and a real SQLite store: window, replay, throttle, recovery codes, sealing.
import fs from 'node:fs';
import path from 'node:path';
import { generate } from 'otplib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { UserRow } from '../../../storage/repositories';
import { openTempStore, type TempStore } from '../../../storage/sqlite/test-utils';
import { AuditLog } from '../../services/audit-log';
import { TotpFactor } from './factor';
import { PendingSignIns, PENDING_TTL_MS } from './pending';
import { factorSealer } from './secret';
import { matchTotp, newTotpSecret, stepOf } from './totp';

const T0 = Date.UTC(2026, 11, 7, 4, 0, 10); // 10 s into a 30 s step
const codeAt = (secret: string, ms: number) => generate({ secret, epoch: Math.floor(ms / 1000) });

describe('TOTP codes (RFC 6238 via otplib)', () => {
  it('accepts the previous, current and next step, nothing further; returns the step of the code', async () => {
    const secret = newTotpSecret();
    for (const d of [-1, 0, 1]) expect(await matchTotp(secret, await codeAt(secret, T0 + d * 30_000), T0, 0)).toBe(stepOf(T0) + d);
    for (const d of [-3, -2, 2, 3]) expect(await matchTotp(secret, await codeAt(secret, T0 + d * 30_000), T0, 0)).toBeNull();
  });

  it('refuses a code of a step at or before the last accepted one (replay), and malformed codes', async () => {
    const secret = newTotpSecret();
    const c = await codeAt(secret, T0);
    expect(await matchTotp(secret, c, T0, stepOf(T0))).toBeNull();
    expect(await matchTotp(secret, c, T0, stepOf(T0) - 1)).toBe(stepOf(T0));
    for (const bad of ['', '12345', '1234567', 'abcdef', '12 34 5x']) expect(await matchTotp(secret, bad, T0, 0)).toBeNull();
    expect(await matchTotp(secret, `${c.slice(0, 3)} ${c.slice(3)}`, T0, 0)).toBe(stepOf(T0)); // as an app shows it
  });
});

describe('TotpFactor', () => {
  let t: TempStore;
  let nowMs: number;
  let factor: TotpFactor;
  let user: UserRow;
  let officer: UserRow;

  beforeEach(async () => {
    t = await openTempStore();
    nowMs = T0;
    const now = () => nowMs;
    factor = new TotpFactor(
      t.store,
      factorSealer({ dataDir: t.dir, secretsKeyFile: path.join(t.dir, 'secrets.key') }),
      new AuditLog(t.store, now),
      { totpRoles: ['admin', 'investigator'], totpRequiredRoles: [], totpIssuer: 'Argus' },
      now,
    );
    user = await t.store.users.create({ username: 'ines', passwordHash: 'x', role: 'investigator', displayName: '', disabled: false, createdMs: T0 });
    officer = await t.store.users.create({ username: 'otto', passwordHash: 'x', role: 'officer', displayName: '', disabled: false, createdMs: T0 });
  });
  afterEach(async () => {
    await t.cleanup();
  });

  async function enrol(): Promise<{ secret: string; recovery: string[] }> {
    const setup = await factor.begin(user);
    expect(setup.uri).toMatch(new RegExp(`^otpauth://totp/Argus:ines\\?secret=${setup.secret}&.*issuer=Argus`));
    expect(setup.qrSvg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    const recovery = await factor.confirm(user, await codeAt(setup.secret, nowMs), '127.0.0.1');
    return { secret: setup.secret, recovery };
  }

  it('stores the secret sealed (not in clear), is off until the first code confirms it, then on with 10 recovery codes', async () => {
    const setup = await factor.begin(user);
    const row = await t.store.factors.totp(user.id);
    expect(row?.secretBox).toMatch(/^s1:/);
    expect(row?.secretBox).not.toContain(setup.secret);
    for (const f of [t.file, `${t.file}-wal`]) if (fs.existsSync(f)) expect(fs.readFileSync(f).includes(Buffer.from(setup.secret))).toBe(false);
    expect(await factor.enabled(user.id)).toBe(false);
    await expect(factor.confirm(user, '000000', 'ip')).rejects.toMatchObject({ kind: 'validation' });
    const codes = await factor.confirm(user, await codeAt(setup.secret, nowMs), 'ip');
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    expect(await factor.status(user)).toEqual({ enabled: true, pending: false, allowed: true, required: false, recoveryCodesLeft: 10 });
    expect((await t.store.audit.query({ action: 'user.totp_enable', limit: 5 }))[0]).toMatchObject({ userId: user.id });
    await expect(factor.begin(user)).rejects.toMatchObject({ kind: 'conflict' });
  });

  it('refuses enrolment to a role not offered TOTP', async () => {
    await expect(factor.begin(officer)).rejects.toMatchObject({ kind: 'forbidden', code: 'factor.role_not_allowed' });
  });

  it('a code is single use: the confirming code and a later code cannot be replayed; a code of the next step still passes', async () => {
    const { secret } = await enrol();
    const confirming = await codeAt(secret, nowMs);
    expect(await factor.check(user, confirming, 'ip', 'login')).toEqual({ ok: false, lockMs: 0 });
    nowMs += 30_000;
    const next = await codeAt(secret, nowMs);
    expect(await factor.check(user, next, 'ip', 'login')).toEqual({ ok: true, via: 'totp' });
    expect(await factor.check(user, next, 'ip', 'login')).toEqual({ ok: false, lockMs: 0 });
    // Two parallel uses of one fresh code: exactly one passes.
    nowMs += 30_000;
    const fresh = await codeAt(secret, nowMs);
    const both = await Promise.all([factor.check(user, fresh, 'ip', 'login'), factor.check(user, fresh, 'ip', 'login')]);
    expect(both.filter((r) => r.ok)).toHaveLength(1);
  });

  it('a recovery code works once (any case, without its dash); used ones and unknown ones are refused', async () => {
    const { recovery } = await enrol();
    const c = recovery[3]!;
    expect(await factor.check(user, c.toUpperCase().replace('-', ''), 'ip', 'login')).toEqual({ ok: true, via: 'recovery' });
    expect(await factor.check(user, c, 'ip', 'login')).toEqual({ ok: false, lockMs: 0 });
    expect(await factor.check(user, 'aaaaa-bbbbb', 'ip', 'login')).toEqual({ ok: false, lockMs: 0 });
    expect((await factor.status(user)).recoveryCodesLeft).toBe(9);
    expect(JSON.stringify(await t.store.audit.query({ limit: 100 }))).not.toContain(c);
  });

  it('throttles wrong codes per user: after 5 even the right code is refused until the lock ends (audited)', async () => {
    const { secret } = await enrol();
    nowMs += 30_000;
    for (let i = 0; i < 5; i++) expect((await factor.check(user, '000000', 'ip', 'login')).ok).toBe(false);
    const locked = await factor.check(user, await codeAt(secret, nowMs), 'ip', 'login');
    expect(locked.ok).toBe(false);
    expect(locked.ok === false && locked.lockMs).toBeGreaterThan(0);
    const reasons = (await t.store.audit.query({ action: 'auth.totp_failed', limit: 10 })).map((a) => (a.detail as { reason: string }).reason);
    expect(reasons).toContain('throttled');
    nowMs += 61_000;
    expect(await factor.check(user, await codeAt(secret, nowMs), 'ip', 'login')).toEqual({ ok: true, via: 'totp' });
  });

  it('an administrator reset removes the factor and its codes (audited)', async () => {
    await enrol();
    const admin = await t.store.users.create({ username: 'root', passwordHash: 'x', role: 'admin', displayName: '', disabled: false, createdMs: T0 });
    await factor.reset({ user: admin }, user, 'ip');
    expect(await factor.status(user)).toMatchObject({ enabled: false, pending: false, recoveryCodesLeft: 0 });
    expect((await t.store.audit.query({ action: 'user.totp_reset', limit: 5 }))[0]).toMatchObject({ username: 'root', targetId: String(user.id) });
  });
});

describe('pending sign-ins', () => {
  it('expire after their time and are found only by their token', () => {
    let nowMs = T0;
    const p = new PendingSignIns(() => nowMs);
    const a = p.create(7, 'totp');
    expect(p.get(a.token)).toMatchObject({ userId: 7, kind: 'totp' });
    expect(p.get(a.token + 'x')).toBeNull();
    nowMs += PENDING_TTL_MS;
    expect(p.get(a.token)).toBeNull();
    const b = p.create(7, 'totp');
    p.deleteUser(7);
    expect(p.get(b.token)).toBeNull();
  });
});

// Tests of SqliteSessionRepo against a real SQLite file.
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionRow } from '../repositories';
import { openTempStore, T0, type TempStore } from './test-utils';

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

describe('SqliteSessionRepo', () => {
  let t: TempStore;
  let alice: number;
  let bob: number;
  const session = (token: string, userId: number, expiresMs: number): SessionRow => ({
    tokenHash: hash(token),
    userId,
    createdMs: T0,
    expiresMs,
    lastSeenMs: T0,
    address: '127.0.0.1',
    userAgent: 'test',
  });

  beforeEach(async () => {
    t = await openTempStore();
    const base = { passwordHash: 'scrypt$x', role: 'officer' as const, displayName: '', disabled: false, createdMs: T0 };
    alice = (await t.store.users.create({ ...base, username: 'alice' })).id;
    bob = (await t.store.users.create({ ...base, username: 'bob' })).id;
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('creates, reads, touches and deletes a session', async () => {
    const repo = t.store.sessions;
    const s = session('tok-1', alice, T0 + 1000);
    await repo.create(s);
    expect(await repo.get(s.tokenHash)).toEqual(s);
    expect(await repo.get(hash('other'))).toBeNull();
    await repo.touch(s.tokenHash, T0 + 500, T0 + 5000);
    expect(await repo.get(s.tokenHash)).toEqual({ ...s, lastSeenMs: T0 + 500, expiresMs: T0 + 5000 });
    await repo.delete(s.tokenHash);
    expect(await repo.get(s.tokenHash)).toBeNull();
  });

  it('rejects a duplicate hash, an unknown user and a value that is not a SHA-256 hex', async () => {
    const repo = t.store.sessions;
    await repo.create(session('tok', alice, T0));
    await expect(repo.create(session('tok', bob, T0))).rejects.toMatchObject({ code: 'conflict', field: 'tokenHash' });
    await expect(repo.create(session('tok-2', 999, T0))).rejects.toMatchObject({ code: 'not_found', field: 'userId' });
    await expect(repo.create({ ...session('x', alice, T0), tokenHash: 'raw-token-must-not-be-stored' })).rejects.toThrow(/CHECK constraint/);
    await expect(repo.create({ ...session('x', alice, T0), tokenHash: hash('x').toUpperCase() })).rejects.toThrow(/CHECK constraint/);
  });

  it('deletes all sessions of one user', async () => {
    const repo = t.store.sessions;
    await repo.create(session('a1', alice, T0));
    await repo.create(session('a2', alice, T0));
    await repo.create(session('b1', bob, T0));
    await repo.deleteForUser(alice);
    expect(await repo.get(hash('a1'))).toBeNull();
    expect(await repo.get(hash('a2'))).toBeNull();
    expect(await repo.get(hash('b1'))).not.toBeNull();
  });

  it('deleteExpired removes sessions with expiresMs <= now and returns the count', async () => {
    const repo = t.store.sessions;
    await repo.create(session('old', alice, T0 - 1));
    await repo.create(session('edge', alice, T0));
    await repo.create(session('live', bob, T0 + 1));
    expect(await repo.deleteExpired(T0)).toBe(2);
    expect(await repo.get(hash('old'))).toBeNull();
    expect(await repo.get(hash('edge'))).toBeNull();
    expect(await repo.get(hash('live'))).not.toBeNull();
    expect(await repo.deleteExpired(T0)).toBe(0);
  });
});

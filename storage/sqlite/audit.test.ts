// Tests of SqliteAuditRepo against a real SQLite file.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewAuditEntry } from '../repositories';
import { DEFAULT_AUDIT_LIMIT } from './audit';
import { openTempStore, T0, type TempStore } from './test-utils';

const entry = (tsMs: number, action: string, username: string | null, over: Partial<NewAuditEntry> = {}): NewAuditEntry => ({
  tsMs,
  userId: username ? 1 : null,
  username,
  action,
  targetType: null,
  targetId: null,
  detail: null,
  ip: null,
  ...over,
});

describe('SqliteAuditRepo', () => {
  let t: TempStore;
  beforeEach(async () => {
    t = await openTempStore();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('appends entries and returns them newest first with every field', async () => {
    const repo = t.store.audit;
    await repo.append(entry(T0, 'login', 'alice', { ip: '10.1.2.3' }));
    await repo.append(entry(T0 + 10, 'camera.update', 'alice', { targetType: 'camera', targetId: '7', detail: { fields: ['name'], before: 'A', after: 'B' } }));
    const rows = await repo.query({});
    expect(rows).toEqual([
      {
        id: rows[0]!.id,
        tsMs: T0 + 10,
        userId: 1,
        username: 'alice',
        action: 'camera.update',
        targetType: 'camera',
        targetId: '7',
        detail: { fields: ['name'], before: 'A', after: 'B' },
        ip: null,
      },
      { id: rows[1]!.id, tsMs: T0, userId: 1, username: 'alice', action: 'login', targetType: null, targetId: null, detail: null, ip: '10.1.2.3' },
    ]);
  });

  it('filters by time window, action and username, and limits', async () => {
    const repo = t.store.audit;
    await repo.append(entry(T0 - 1, 'login', 'alice'));
    await repo.append(entry(T0, 'login', 'bob'));
    await repo.append(entry(T0 + 1, 'export', 'alice'));
    await repo.append(entry(T0 + 2, 'login', 'alice'));
    await repo.append(entry(T0 + 3, 'login', null));
    await repo.append(entry(T0 + 3, 'logout', 'alice')); // same ts: newer id first
    const q = async (query: Parameters<typeof repo.query>[0]) => (await repo.query(query)).map((e) => `${e.tsMs - T0}:${e.action}:${e.username}`);
    expect(await q({ startMs: T0, endMs: T0 + 3 })).toEqual(['2:login:alice', '1:export:alice', '0:login:bob']);
    expect(await q({ action: 'login' })).toEqual(['3:login:null', '2:login:alice', '0:login:bob', '-1:login:alice']);
    expect(await q({ username: 'alice', startMs: T0 })).toEqual(['3:logout:alice', '2:login:alice', '1:export:alice']);
    expect(await q({ username: 'alice', action: 'login' })).toEqual(['2:login:alice', '-1:login:alice']);
    expect(await q({ limit: 2 })).toEqual(['3:logout:alice', '3:login:null']);
  });

  it('applies the default limit', async () => {
    const rows = Array.from({ length: DEFAULT_AUDIT_LIMIT + 5 }, (_, i) => entry(T0 + i, 'view', 'alice'));
    for (const r of rows) await t.store.audit.append(r);
    const got = await t.store.audit.query({});
    expect(got).toHaveLength(DEFAULT_AUDIT_LIMIT);
    expect(got[0]!.tsMs).toBe(T0 + DEFAULT_AUDIT_LIMIT + 4);
  });

  it('is append-only: UPDATE and DELETE are refused by the database', async () => {
    await t.store.audit.append(entry(T0, 'login', 'alice'));
    await expect(t.store.db.run("UPDATE audit_log SET action = 'forged'")).rejects.toThrow(/append-only/);
    await expect(t.store.db.run('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    expect(await t.store.audit.query({})).toHaveLength(1);
  });
});

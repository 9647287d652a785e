// Tests of the sqlite3 promise wrapper: pragmas, WAL, transactions (serialization, rollback, savepoints), errors.
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StorageError } from '../repositories';
import { Db } from './db';
import { makeTempDir } from './test-utils';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Db', () => {
  let dir: string;
  let db: Db;

  beforeEach(async () => {
    dir = await makeTempDir();
    db = await Db.open(join(dir, 'test.db'));
    await db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE, n INTEGER NOT NULL DEFAULT 0) STRICT');
  });

  afterEach(async () => {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('opens in WAL mode with the connection pragmas', async () => {
    expect(db.journalMode).toBe('wal');
    expect(await db.get('PRAGMA journal_mode')).toEqual({ journal_mode: 'wal' });
    expect(await db.get('PRAGMA synchronous')).toEqual({ synchronous: 1 }); // NORMAL
    expect(await db.get('PRAGMA foreign_keys')).toEqual({ foreign_keys: 1 });
    expect(await db.get('PRAGMA busy_timeout')).toEqual({ timeout: 5000 });
    await db.run('INSERT INTO t (name) VALUES (?)', ['a']);
    expect(existsSync(join(dir, 'test.db-wal'))).toBe(true);
  });

  it('runs, gets and lists with positional parameters', async () => {
    const r1 = await db.run('INSERT INTO t (name, n) VALUES (?, ?)', ['a', 1]);
    const r2 = await db.run('INSERT INTO t (name, n) VALUES (?, ?)', ['b', 1_700_000_000_000]);
    expect(r1).toEqual({ lastId: 1, changes: 1 });
    expect(r2.lastId).toBe(2);
    expect(await db.get('SELECT name, n FROM t WHERE id = ?', [2])).toEqual({ name: 'b', n: 1_700_000_000_000 });
    expect(await db.get('SELECT name FROM t WHERE id = ?', [99])).toBeUndefined();
    expect(await db.all('SELECT name FROM t ORDER BY id')).toEqual([{ name: 'a' }, { name: 'b' }]);
    expect((await db.run('UPDATE t SET n = n + 1')).changes).toBe(2);
  });

  it('maps UNIQUE violations to StorageError conflict with the camelCase field', async () => {
    await db.exec('CREATE TABLE u (id INTEGER PRIMARY KEY, rel_path TEXT UNIQUE)');
    await db.run('INSERT INTO u (rel_path) VALUES (?)', ['x']);
    const err = await db.run('INSERT INTO u (rel_path) VALUES (?)', ['x']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect(err).toMatchObject({ code: 'conflict', field: 'relPath' });
    expect((err as Error).cause).toBeInstanceOf(Error);
  });

  it('leaves other constraint errors unmapped', async () => {
    const err = await db.run('INSERT INTO t (name, n) VALUES (?, ?)', ['a', null]).catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(StorageError);
    expect(String(err)).toMatch(/NOT NULL/);
  });

  it('commits a transaction and rolls it back when fn throws', async () => {
    await db.transaction(async (tx) => {
      await tx.run('INSERT INTO t (name) VALUES (?)', ['kept']);
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.run('INSERT INTO t (name) VALUES (?)', ['lost']);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await db.all('SELECT name FROM t')).toEqual([{ name: 'kept' }]);
  });

  it('serializes concurrent transactions (no interleaved BEGIN/COMMIT, no lost updates)', async () => {
    await db.run('INSERT INTO t (id, name, n) VALUES (1, ?, 0)', ['counter']);
    const order: string[] = [];
    const incr = (label: string) =>
      db.transaction(async (tx) => {
        order.push(`begin ${label}`);
        const row = await tx.get<{ n: number }>('SELECT n FROM t WHERE id = 1');
        await sleep(5); // give the other callers every chance to interleave
        await tx.run('UPDATE t SET n = ? WHERE id = 1', [row!.n + 1]);
        order.push(`end ${label}`);
      });
    await Promise.all(Array.from({ length: 20 }, (_, i) => incr(String(i))));
    expect(await db.get('SELECT n FROM t WHERE id = 1')).toEqual({ n: 20 });
    for (let i = 0; i < order.length; i += 2) {
      expect(order[i]!.replace('begin', 'end')).toBe(order[i + 1]);
    }
  });

  it('keeps statements of other callers out of a running transaction', async () => {
    let insideTx!: () => void;
    const started = new Promise<void>((r) => (insideTx = r));
    const tx = db
      .transaction(async (t) => {
        await t.run('INSERT INTO t (name) VALUES (?)', ['in-tx']);
        insideTx();
        await sleep(30);
        throw new Error('rollback');
      })
      .catch((e: Error) => e.message);
    await started;
    // Issued while the transaction is open: must wait for it, and must not be rolled back with it.
    await db.run('INSERT INTO t (name) VALUES (?)', ['outside']);
    expect(await tx).toBe('rollback');
    expect(await db.all('SELECT name FROM t')).toEqual([{ name: 'outside' }]);
  });

  it('lets code inside a transaction use the Db object itself, and nests with savepoints', async () => {
    await db.transaction(async () => {
      await db.run('INSERT INTO t (name) VALUES (?)', ['outer']);
      expect(db.inTransaction()).toBe(true);
      await expect(
        db.transaction(async (tx) => {
          await tx.run('INSERT INTO t (name) VALUES (?)', ['inner']);
          throw new Error('inner fails');
        }),
      ).rejects.toThrow('inner fails');
      await db.transaction(async (tx) => {
        await tx.run('INSERT INTO t (name) VALUES (?)', ['inner2']);
      });
    });
    expect(db.inTransaction()).toBe(false);
    expect(await db.all('SELECT name FROM t ORDER BY id')).toEqual([{ name: 'outer' }, { name: 'inner2' }]);
  });

  it('gates statements from callbacks that outlive the transaction they were created in', async () => {
    let late!: Promise<unknown>;
    await db.transaction(async () => {
      // A timer started inside a transaction inherits its async context but fires after it has ended.
      late = new Promise((resolve) => setTimeout(() => resolve(db.run('INSERT INTO t (name) VALUES (?)', ['late'])), 10));
    });
    const second = db
      .transaction(async (tx) => {
        await tx.run('INSERT INTO t (name) VALUES (?)', ['second']);
        await sleep(40); // the timer fires now; its insert must wait, not join this transaction
        throw new Error('rollback');
      })
      .catch(() => undefined);
    await Promise.all([late, second]);
    expect(await db.all('SELECT name FROM t')).toEqual([{ name: 'late' }]);
  });

  it('prepares statements, including runMany for batches', async () => {
    const ins = await db.prepare('INSERT INTO t (name, n) VALUES (?, ?)');
    const rows = Array.from({ length: 12_000 }, (_, i) => [`n${i}`, i] as const);
    await db.transaction(() => ins.runMany(rows));
    const res = await ins.run(['last', -1]);
    expect(res.changes).toBe(1);
    await ins.finalize();
    const sel = await db.prepare('SELECT count(*) AS c, sum(n) AS s FROM t WHERE n >= ?');
    expect(await sel.get([0])).toEqual({ c: 12_000, s: (11_999 * 12_000) / 2 });
    expect(await sel.all([11_999])).toEqual([{ c: 1, s: 11_999 }]);
    await sel.finalize();
  });

  it('runMany reports the first error (and the transaction rolls back)', async () => {
    const ins = await db.prepare('INSERT INTO t (name) VALUES (?)');
    const err = await db.transaction(() => ins.runMany([['a'], ['b'], ['a'], ['c']])).catch((e: unknown) => e);
    await ins.finalize();
    expect(err).toMatchObject({ code: 'conflict', field: 'name' });
    expect(await db.get('SELECT count(*) AS c FROM t')).toEqual({ c: 0 });
  });

  it('close waits for a running transaction and then refuses new work', async () => {
    const tx = db.transaction(async (t) => {
      await sleep(20);
      await t.run('INSERT INTO t (name) VALUES (?)', ['x']);
    });
    await db.close();
    await tx;
    await expect(db.get('SELECT 1')).rejects.toMatchObject({ code: 'io' });
    await db.close(); // idempotent
    db = await Db.open(join(dir, 'test.db'));
    expect(await db.all('SELECT name FROM t')).toEqual([{ name: 'x' }]);
  });

  it('uses journal mode "memory" for :memory: databases', async () => {
    const mem = await Db.open(':memory:');
    expect(mem.journalMode).toBe('memory');
    await mem.close();
  });
});

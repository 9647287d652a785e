// The audit chain over a real SQLite file: one chain from concurrent writers, legacy rows chained once, checkpoints by count, at start and at shutdown.
import { copyFile, mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asLog } from '../../common/log';
import { MIGRATIONS_DIR } from '../../storage/sqlite/migrate';
import { openSqliteStore, type SqliteStore } from '../../storage/sqlite/index';
import { makeTempDir } from '../../storage/sqlite/test-utils';
import { openSiteKey } from '../platform/site-key';
import { AuditChain } from './audit-chain';
import { AuditLog } from './audit-log';
import { verifyAuditChain } from './audit-verify';

const quiet = { log: () => undefined };

describe('audit chain', () => {
  let dir: string;
  let store: SqliteStore | null = null;
  const lines: string[] = [];
  const log = asLog((l: string) => lines.push(l), 'audit');

  beforeEach(async () => {
    dir = await makeTempDir();
    lines.length = 0;
  });
  afterEach(async () => {
    await store?.close();
    store = null;
    await rm(dir, { recursive: true, force: true });
  });

  const open = async (migrationsDir?: string) => (store = await openSqliteStore(join(dir, 'argus.db'), { ...quiet, migrationsDir }));
  const reopen = async () => {
    await store?.close();
    return open();
  };
  const verify = (s: SqliteStore) =>
    verifyAuditChain({ rows: (a, l) => s.audit.chainRows(a, l), checkpoints: () => s.audit.checkpoints() }, openSiteKey(dir).publicKeyPem);

  it('keeps one chain when several AuditLogs append at once', async () => {
    const s = await open();
    const a = new AuditLog(s, Date.now);
    const b = new AuditLog(s, Date.now);
    await Promise.all(
      Array.from({ length: 200 }, (_, i) => (i % 2 ? a : b).record({ actor: null, action: i % 2 ? 'a.write' : 'b.write', detail: { i }, ip: '127.0.0.1' })),
    );
    const rows = await s.audit.chainRows(0, 1000);
    expect(rows.map((r) => r.id)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prevHash).toBe(rows[i - 1]!.hash);
    const r = await verify(s);
    expect(r).toMatchObject({ ok: true, rows: 200, verifiedUpToId: 200, problem: null });
  });

  it('chains the entries written before migration 016 once, at the first start, and never a row inserted later without a hash', async () => {
    const upTo15 = join(dir, 'migrations-15');
    await mkdir(upTo15);
    for (const name of await readdir(MIGRATIONS_DIR)) if (Number(name.slice(0, 3)) <= 15) await copyFile(join(MIGRATIONS_DIR, name), join(upTo15, name));
    const old = await open(upTo15);
    for (let i = 0; i < 3; i++)
      await old.db.run("INSERT INTO audit_log (ts_ms, username, action, detail) VALUES (?, 'alice', 'auth.login', '{\"n\": 1}')", [1000 + i]);
    const s = await reopen(); // 016 runs, then the legacy rows get their hashes
    expect(await s.db.all('SELECT id, prev_hash IS NOT NULL AS p, hash IS NOT NULL AS h FROM audit_log ORDER BY id')).toEqual([
      { id: 1, p: 1, h: 1 },
      { id: 2, p: 1, h: 1 },
      { id: 3, p: 1, h: 1 },
    ]);
    expect(await s.db.get('SELECT until_id, chained_ms IS NOT NULL AS done FROM audit_chain_legacy')).toEqual({ until_id: 3, done: 1 });
    await s.audit.append({ tsMs: 2000, userId: null, username: null, action: 'after', targetType: null, targetId: null, detail: null, ip: null });
    expect((await verify(s)).ok).toBe(true);
    // The triggers are back.
    await expect(s.db.run("UPDATE audit_log SET action = 'x' WHERE id = 1")).rejects.toThrow(/append-only/);
    // A row written around the repository is not chained by the next start.
    await s.db.run("INSERT INTO audit_log (ts_ms, action) VALUES (3000, 'sneaked')");
    const again = await reopen();
    expect(await again.db.get('SELECT hash FROM audit_log WHERE id = 5')).toEqual({ hash: null });
    expect((await verify(again)).problem).toEqual({ kind: 'inserted', id: 5 });
  });

  it('signs a checkpoint every N entries and at shutdown; a restart signs what a crash left unsigned', async () => {
    const s = await open();
    const key = openSiteKey(dir);
    const chain = new AuditChain({ store: s, key, log, everyRows: 5, everyMs: 3600_000 });
    await chain.start();
    const audit = new AuditLog(s, Date.now);
    for (let i = 0; i < 12; i++) await audit.record({ actor: null, action: 'tick' });
    await chain.checkpoint('time'); // waits for the pending ones too
    const cps = await s.audit.checkpoints();
    expect(cps.filter((c) => c.reason === 'rows').map((c) => c.lastId)).toEqual([5, 10]);
    await chain.close();
    expect((await s.audit.lastCheckpoint())!.lastId).toBe(12);
    // A "crash": entries written without the checkpointer; the next start checks and signs them.
    for (let i = 0; i < 3; i++) await audit.record({ actor: null, action: 'unsigned' });
    const next = new AuditChain({ store: s, key, log, everyRows: 5, everyMs: 3600_000 });
    await next.start();
    expect(await s.audit.lastCheckpoint()).toMatchObject({ lastId: 15, reason: 'start' });
    await next.close();
    const r = await verify(s);
    expect(r).toMatchObject({ ok: true, afterLastCheckpoint: 0, badSignatures: [] });
  });

  it('does not sign a tail that was changed after the last checkpoint', async () => {
    const s = await open();
    const key = openSiteKey(dir);
    const audit = new AuditLog(s, Date.now);
    const chain = new AuditChain({ store: s, key, log, everyRows: 1000, everyMs: 3600_000 });
    await chain.start();
    await audit.record({ actor: null, action: 'signed' });
    await chain.close();
    await audit.record({ actor: null, action: 'unsigned', ip: '10.0.0.1' });
    await s.db.exec("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET ip = '10.6.6.6' WHERE id = 2");
    const next = new AuditChain({ store: s, key, log, everyRows: 1000, everyMs: 3600_000 });
    await next.start();
    expect((await s.audit.lastCheckpoint())!.lastId).toBe(1);
    expect(lines.join('\n')).toMatch(/audit chain broken after the last checkpoint: entry #2 was changed/);
    await next.close(); // signs the hash this server wrote for #2: the edit stays visible
    expect((await verify(s)).problem).toEqual({ kind: 'changed', id: 2 });
  });
});

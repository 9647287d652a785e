// The tamper-evident audit log end to end: a real server writes and signs the chain; the SQLite file is then edited with
// the sqlite3 command line (triggers dropped) and `verify-audit` must name what was changed, removed or inserted.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditChainState, SitePublicKey } from '../../common/audit-chain';
import { auditEntryHash } from '../../storage/audit-chain';
import { startServer, type TestServer } from '../harness';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SQLITE3 = '/usr/bin/sqlite3';

function sql(dataDir: string, script: string): string {
  const r = spawnSync(SQLITE3, [path.join(dataDir, 'argus.db')], { input: script, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sqlite3 failed: ${r.stderr}`);
  return r.stdout.trim();
}

function verify(dataDir: string, ...extra: string[]): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/verify-audit.ts'), '--data-dir', dataDir, ...extra], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return { code: r.status, out: `${r.stdout}\n${r.stderr}` };
}

describe('audit chain: verify-audit names tampering done with the sqlite3 command line', () => {
  let srv: TestServer;
  let base: string;
  let work: string;
  let publicKeyFile: string;
  let state: AuditChainState;
  let failedIds: number[];
  let lastId: number;

  /** A fresh copy of the untouched data directory. */
  const copy = (name: string): string => {
    const dir = path.join(work, name);
    fs.cpSync(base, dir, { recursive: true });
    return dir;
  };

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-audit-chain-'));
    srv = await startServer({ tag: 'audit-chain' });
    // Audited actions: a sign-in, seven failed logins in a row, another sign-in.
    await srv.client.login('admin', srv.adminPassword);
    for (let i = 0; i < 7; i++) {
      const r = await srv.client.call('POST', '/api/v1/auth/login', { username: `ghost${i}`, password: 'wrong-password' }, { token: '' });
      expect(r.status).toBe(401);
    }
    await srv.client.login('admin', srv.adminPassword);
    state = await srv.client.ok<AuditChainState>('GET', '/api/v1/audit/chain');
    const key = await srv.client.ok<SitePublicKey>('GET', '/api/v1/site-key');
    publicKeyFile = path.join(work, 'site.pub.pem');
    fs.writeFileSync(publicKeyFile, key.pem);
    base = srv.dataDir;
    await srv.close({ keepData: true }); // the shutdown checkpoint signs the last entries
    failedIds = sql(base, "SELECT id FROM audit_log WHERE action = 'auth.login_failed' ORDER BY id;").split('\n').map(Number);
    lastId = Number(sql(base, 'SELECT max(id) FROM audit_log;'));
  }, 120_000);

  afterAll(() => {
    if (srv) fs.rmSync(srv.tmp, { recursive: true, force: true });
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('the untouched chain verifies with the exported public key, in the console API and offline', () => {
    expect(state.ok).toBe(true);
    expect(state.problem).toBeNull();
    expect(state.rows).toBeGreaterThanOrEqual(9);
    expect(state.verifiedUpToId).toBe(state.lastId);
    expect(failedIds.length).toBe(7);
    const v = verify(base, '--public-key', publicKeyFile);
    expect(v.out).toContain(`OK audit chain intact up to #${lastId}`);
    expect(v.code).toBe(0);
    // The shutdown checkpoint covers the last entry.
    expect(sql(base, 'SELECT last_id, reason FROM audit_checkpoints ORDER BY id DESC LIMIT 1;')).toBe(`${lastId}|shutdown`);
  });

  it('names an entry whose actor and address were edited (triggers dropped)', () => {
    const dir = copy('edited');
    const id = failedIds[2]!;
    sql(dir, `DROP TRIGGER audit_log_no_update; UPDATE audit_log SET username = 'someone-else', ip = '10.9.9.9' WHERE id = ${id};`);
    const v = verify(dir, '--public-key', publicKeyFile);
    expect(v.code).toBe(1);
    expect(v.out).toContain(`entry #${id} was changed: its fields no longer match its hash`);
    expect(v.out).toContain(`intact up to #${id - 1}`);
  });

  it('names five failed-login entries that were deleted', () => {
    const dir = copy('deleted');
    const gone = failedIds.slice(1, 6);
    sql(dir, `DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id IN (${gone.join(',')});`);
    const v = verify(dir, '--public-key', publicKeyFile);
    expect(v.code).toBe(1);
    expect(v.out).toContain(`entries #${gone[0]} to #${gone[4]} were removed`);
  });

  it('names a back-dated export.download that was inserted', () => {
    const dir = copy('inserted');
    sql(
      dir,
      `INSERT INTO audit_log (ts_ms, user_id, username, action, target_type, target_id, detail, ip) VALUES (${Date.now() - 30 * 86400_000}, 1, 'admin', 'export.download', 'export', '1', '{"file":"video/01-cam.mp4"}', '10.0.0.5');`,
    );
    const v = verify(dir, '--public-key', publicKeyFile);
    expect(v.code).toBe(1);
    expect(v.out).toContain(`entry #${lastId + 1} was inserted: it is not part of the chain`);
  });

  it('names an entry inserted between two others, even with a hash that chains to its predecessor', () => {
    const dir = copy('inserted-middle');
    const gap = failedIds[3]!;
    sql(dir, `DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = ${gap};`);
    const prev = sql(dir, `SELECT hash FROM audit_log WHERE id = ${gap - 1};`);
    const row = {
      id: gap,
      tsMs: 1_700_000_000_000,
      userId: 1,
      username: 'admin',
      action: 'export.download',
      targetType: 'export',
      targetId: '1',
      detailJson: null,
      ip: '10.0.0.5',
    };
    const hash = auditEntryHash({ ...row, prevHash: prev });
    sql(
      dir,
      `INSERT INTO audit_log (id, ts_ms, user_id, username, action, target_type, target_id, detail, ip, prev_hash, hash) VALUES (${gap}, ${row.tsMs}, 1, 'admin', 'export.download', 'export', '1', NULL, '10.0.0.5', '${prev}', '${hash}');`,
    );
    const v = verify(dir, '--public-key', publicKeyFile);
    expect(v.code).toBe(1);
    expect(v.out).toContain(`entry #${gap} was changed and re-hashed: entry #${gap + 1} no longer links to it`);
  });

  it('names entries rewritten with fresh hashes up to a signed checkpoint', () => {
    const dir = copy('rewritten');
    // The attacker knows the algorithm: edits the last entry and recomputes its hash; nothing links after it, but the
    // shutdown checkpoint signed the old hash.
    const r = sql(dir, `SELECT id, ts_ms, user_id, username, action, target_type, target_id, detail, ip, prev_hash FROM audit_log WHERE id = ${lastId};`).split(
      '|',
    );
    const row = {
      id: lastId,
      tsMs: Number(r[1]),
      userId: r[2] === '' ? null : Number(r[2]),
      username: 'nobody',
      action: r[4]!,
      targetType: r[5] === '' ? null : r[5]!,
      targetId: r[6] === '' ? null : r[6]!,
      detailJson: r[7] === '' ? null : r[7]!,
      ip: r[8] === '' ? null : r[8]!,
    };
    const hash = auditEntryHash({ ...row, prevHash: r[9]! });
    sql(dir, `DROP TRIGGER audit_log_no_update; UPDATE audit_log SET username = 'nobody', hash = '${hash}' WHERE id = ${lastId};`);
    const v = verify(dir, '--public-key', publicKeyFile);
    expect(v.code).toBe(1);
    expect(v.out).toMatch(new RegExp(`entries up to #${lastId} were rewritten: its hash differs from signed checkpoint #\\d+`));
  });

  it('detects the tail cut off below the last checkpoint', () => {
    const dir = copy('truncated');
    sql(dir, `DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id >= ${lastId - 1};`);
    const v = verify(dir, '--public-key', publicKeyFile);
    expect(v.code).toBe(1);
    expect(v.out).toMatch(new RegExp(`entries #${lastId - 1} to #${lastId} were removed from the end \\(signed checkpoint #\\d+ covers #${lastId}\\)`));
  });

  it("fails checkpoints signed by another site's key", () => {
    const other = path.join(work, 'other.pub.pem');
    fs.writeFileSync(other, crypto.generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }));
    const v = verify(base, '--public-key', other);
    expect(v.code).toBe(1);
    expect(v.out).toMatch(/BAD SIGNATURE checkpoint #\d+/);
  });

  it('without --public-key it says the key came from the data directory itself', () => {
    const v = verify(base);
    expect(v.code).toBe(0);
    expect(v.out).toContain('checking against the key in the data directory itself');
  });
});

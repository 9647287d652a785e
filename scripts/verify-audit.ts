// `npm run verify-audit -- --data-dir DIR [--db FILE] [--public-key FILE]`: checks the audit chain and its signed checkpoints offline (read-only); names the first entry changed, removed or inserted.
import fs from 'node:fs';
import path from 'node:path';
import sqlite3 from 'sqlite3';
import type { AuditCheckpoint, ChainRow } from '../storage/audit-chain';
import { CHAIN_COLUMNS, CHECKPOINT_COLUMNS, toChainRow, toCheckpoint } from '../storage/sqlite/audit';
import { describeProblem, verifyAuditChain, type AuditChainReport } from '../main/services/audit-verify';
import { SITE_KEY_FILE, publicKeyFromPem } from '../main/platform/site-key';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function all<T>(db: sqlite3.Database, sql: string, params: unknown[] = []): Promise<T[]> {
  return new Promise((resolve, reject) => db.all<T>(sql, params, (err, rows) => (err ? reject(err) : resolve(rows))));
}

/** Runs the verification over the database file (opened read-only) against the given public key. */
export async function verifyAuditFile(dbFile: string, publicKeyPem: string): Promise<AuditChainReport> {
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const d = new sqlite3.Database(dbFile, sqlite3.OPEN_READONLY, (err) => (err ? reject(err) : resolve(d)));
  });
  try {
    return await verifyAuditChain(
      {
        rows: async (afterId, limit) =>
          (await all<Parameters<typeof toChainRow>[0]>(db, `SELECT ${CHAIN_COLUMNS} FROM audit_log WHERE id > ? ORDER BY id LIMIT ?`, [afterId, limit])).map(
            toChainRow,
          ) as ChainRow[],
        checkpoints: async () =>
          (await all<Parameters<typeof toCheckpoint>[0]>(db, `SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoints ORDER BY id`)).map(
            toCheckpoint,
          ) as AuditCheckpoint[],
      },
      publicKeyPem,
    );
  } finally {
    await new Promise<void>((resolve) => db.close(() => resolve()));
  }
}

async function main(): Promise<number> {
  const dataDir = arg('--data-dir');
  if (!dataDir) {
    console.error('usage: npm run verify-audit -- --data-dir DIR [--db FILE] [--public-key FILE]');
    return 2;
  }
  const dbFile = path.resolve(dataDir, arg('--db') ?? 'argus.db');
  const keyFile = arg('--public-key');
  let publicKeyPem: string;
  if (keyFile) {
    publicKeyPem = publicKeyFromPem(fs.readFileSync(keyFile, 'utf8'));
  } else {
    publicKeyPem = publicKeyFromPem(fs.readFileSync(path.join(dataDir, SITE_KEY_FILE), 'utf8'));
    console.log(
      `NOTE checking against the key in the data directory itself (${SITE_KEY_FILE}); whoever could change the database may have had it too. ` +
        'Pass --public-key with the key exported earlier (GET /api/v1/site-key) for a check that means more.',
    );
  }
  const r = await verifyAuditFile(dbFile, publicKeyPem);
  console.log(`key fingerprint ${r.keyFingerprint}`);
  console.log(`${r.rows} entries (last #${r.lastId}), ${r.checkpoints} checkpoints, ${Math.round(r.rows / Math.max(r.durationMs / 1000, 1e-6))} entries/s`);
  for (const id of r.badSignatures) console.log(`BAD SIGNATURE checkpoint #${id}: not signed by this key`);
  if (r.lastCheckpoint) {
    console.log(
      `last good checkpoint #${r.lastCheckpoint.id} covers entries up to #${r.lastCheckpoint.lastId}, signed ${new Date(r.lastCheckpoint.tsMs).toISOString()} (${r.lastCheckpoint.reason})`,
    );
  } else console.log('no good checkpoint');
  if (r.afterLastCheckpoint > 0)
    console.log(
      `${r.afterLastCheckpoint} entries after the last checkpoint are protected by the hash chain alone (removing them from the end is not detectable)`,
    );
  if (r.problem) console.log(`FIRST PROBLEM ${describeProblem(r.problem)} (intact up to #${r.verifiedUpToId})`);
  if (r.ok) console.log(`OK audit chain intact up to #${r.lastId}`);
  else
    console.error(
      `FAIL audit chain${r.problem ? `: ${describeProblem(r.problem)}` : ''}${r.badSignatures.length ? `; ${r.badSignatures.length} bad checkpoint signature(s)` : ''}`,
    );
  return r.ok ? 0 : 1;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(`verify-audit: ${(err as Error).message}`);
      process.exit(2);
    },
  );
}

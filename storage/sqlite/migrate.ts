// Migration runner: applies storage/migrations/NNN_name.sql in order, each in a transaction, tracked in schema_migrations.
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Db } from './db';

export interface Migration {
  /** The number in the file name (001_initial.sql -> 1). */
  version: number;
  /** The file name. */
  name: string;
  sql: string;
}

/** Where the migration files live (shipped as plain files next to the code). */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/', import.meta.url));

const FILE_RE = /^(\d{3,})_([a-z0-9_]+)\.sql$/;

/** The bookkeeping table; created by the runner itself, not by a migration. */
export const SCHEMA_MIGRATIONS_SQL = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version    INTEGER PRIMARY KEY,
  applied_ms INTEGER NOT NULL
) STRICT`;

/** Reads and orders the migration files; versions must be 1, 2, 3, ... without gaps or duplicates. */
export async function loadMigrations(dir: string = MIGRATIONS_DIR): Promise<Migration[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const name of names) {
    const m = FILE_RE.exec(name);
    if (!m) throw new Error(`[storage] migration file name "${name}" does not match NNN_name.sql`);
    migrations.push({ version: Number(m[1]), name, sql: await readFile(`${dir}/${name}`, 'utf8') });
  }
  migrations.sort((a, b) => a.version - b.version);
  migrations.forEach((mig, i) => {
    if (mig.version !== i + 1) throw new Error(`[storage] migrations must be numbered 1, 2, 3, ...; found ${mig.name} at position ${i + 1}`);
  });
  return migrations;
}

/** Versions already applied, ascending. */
export async function appliedVersions(db: Db): Promise<number[]> {
  await db.exec(SCHEMA_MIGRATIONS_SQL);
  const rows = await db.all<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
  return rows.map((r) => r.version);
}

/**
 * Applies the migrations not yet recorded in schema_migrations, in order, each in its own transaction together with
 * its schema_migrations row (so a crash never leaves a half-applied migration). Safe to run on every open and from
 * two processes at once (BEGIN IMMEDIATE + re-check). Refuses a database written by a newer Argus (unknown version).
 * Returns the versions applied now.
 */
export async function migrate(db: Db, migrations: Migration[], nowMs: () => number = Date.now): Promise<number[]> {
  const known = new Set(migrations.map((m) => m.version));
  const applied = await appliedVersions(db);
  const unknown = applied.filter((v) => !known.has(v));
  if (unknown.length > 0) {
    throw new Error(
      `[storage] database ${db.filePath} has schema version(s) ${unknown.join(', ')} that this Argus build does not know ` +
        `(it knows up to ${migrations.length}); it was written by a newer version`,
    );
  }
  const done: number[] = [];
  for (const mig of migrations) {
    if (applied.includes(mig.version)) continue;
    const ran = await db.transaction(async (tx) => {
      const row = await tx.get('SELECT 1 FROM schema_migrations WHERE version = ?', [mig.version]);
      if (row) return false; // applied meanwhile by another process
      await tx.exec(mig.sql);
      await tx.run('INSERT INTO schema_migrations (version, applied_ms) VALUES (?, ?)', [mig.version, nowMs()]);
      return true;
    });
    if (ran) done.push(mig.version);
  }
  return done;
}

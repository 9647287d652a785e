// SQLite backend of the Store: opens the database file, applies migrations and wires the repositories.
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Store } from '../repositories';
import { SqliteAuditRepo } from './audit';
import { SqliteCameraRepo } from './cameras';
import { Db } from './db';
import { SqliteEventRepo } from './events';
import { loadMigrations, migrate } from './migrate';
import { SqliteSegmentRepo } from './segments';
import { SqliteSessionRepo } from './sessions';
import { SqliteUserRepo } from './users';

export { Db } from './db';
export { MAX_SEGMENT_MS } from './segments';
export { DEFAULT_AUDIT_LIMIT } from './audit';

export interface SqliteStore extends Store {
  /** The underlying connection (tests, maintenance tools). */
  readonly db: Db;
}

export interface SqliteStoreOptions {
  /** Clock for schema_migrations.applied_ms. */
  now?: () => number;
  /** Override of the migrations directory (tests). */
  migrationsDir?: string;
  busyTimeoutMs?: number;
  /** Where to log (default console.log); tests pass a no-op. */
  log?: (line: string) => void;
}

/**
 * Opens (creating the file and its directory if needed) the Argus database at `filePath`, switches it to WAL and
 * applies pending migrations. ':memory:' gives a private in-memory database (no WAL).
 */
export async function openSqliteStore(filePath: string, opts: SqliteStoreOptions = {}): Promise<SqliteStore> {
  const inMemory = filePath === ':memory:' || filePath === '';
  if (!inMemory) await mkdir(dirname(filePath), { recursive: true });
  const log = opts.log ?? ((line: string) => console.log(line));
  const db = await Db.open(filePath, { busyTimeoutMs: opts.busyTimeoutMs });
  try {
    if (!inMemory && db.journalMode !== 'wal') {
      log(`[storage] ${filePath}: journal_mode is "${db.journalMode}", not WAL (file system without shared memory?)`);
    }
    const applied = await migrate(db, await loadMigrations(opts.migrationsDir), opts.now);
    if (applied.length > 0) log(`[storage] ${filePath}: applied migration(s) ${applied.join(', ')}`);
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
  return {
    db,
    cameras: new SqliteCameraRepo(db),
    segments: new SqliteSegmentRepo(db),
    events: new SqliteEventRepo(db),
    users: new SqliteUserRepo(db),
    sessions: new SqliteSessionRepo(db),
    audit: new SqliteAuditRepo(db),
    close: () => db.close(),
  };
}

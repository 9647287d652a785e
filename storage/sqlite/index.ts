// SQLite backend of the Store: opens the database file, applies migrations and wires the repositories.
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Store } from '../repositories';
import { SqliteAccessRepo } from './access';
import { SqliteAlarmRepo } from './alarms';
import { SqliteAlarmWindowRepo } from './alarm-windows';
import { SqliteAuditRepo } from './audit';
import { SqliteGpsRepo } from './gps';
import { SqliteInvestigationRepo } from './investigation';
import { SqliteOnvifRepo } from './onvif';
import { SqliteGbRepo } from './gb28181';
import { SqliteCameraRepo } from './cameras';
import { SqliteChannelRepo, SqliteRtspRepo } from './channels';
import { SqliteAgentRepo, SqliteDeviceRepo } from './devices';
import { SqliteOrgRepo } from './org';
import { Db } from './db';
import { SqliteEventRepo } from './events';
import { SqliteLayoutRepo } from './layouts';
import { SqliteWallStateRepo } from './wall-states';
import { SqliteGbRecordsRepo } from './gb-records';
import { SqliteGbCascadeRepo } from './gb-cascade';
import { loadMigrations, migrate } from './migrate';
import { SqliteSegmentRepo } from './segments';
import { SqliteSessionRepo } from './sessions';
import { SqliteUnitRepo } from './units';
import { SqliteUserRepo } from './users';
import { SqliteFactorRepo } from './factors';
import { SqliteGbCatalogRepo } from './gb-catalog';
import { asLog, type LogSink } from '../../common/log';
import { countSealed, sealStoredSecrets, setCodec, type SecretCodec } from './secrets';

export type { SecretCodec } from './secrets';

export { Db } from './db';
export { MAX_SEGMENT_MS } from './segments';
export { DEFAULT_AUDIT_LIMIT } from './audit';

/** Oldest SQLite library the schema and queries work with (jsonb_each: 3.45; STRICT: 3.37; ->>: 3.38; RETURNING: 3.35). */
export const MIN_SQLITE_VERSION = '3.45.0';

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

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
  /** Where to log (a Log, or a line function; default console.log); tests pass a no-op. */
  log?: LogSink;
  /**
   * The codec camera and device passwords are sealed with, made once the migrations ran and the number of passwords
   * already sealed is known (a missing key must then not be replaced by a new one). Every sealed value is checked to
   * open with it, then clear (pre-019) and older-key values are sealed under its current key. Without it the store
   * can neither read nor write a camera password (StorageError).
   */
  secrets?: (stored: { sealed: number }) => SecretCodec;
}

/**
 * Opens (creating the file and its directory if needed) the Argus database at `filePath`, switches it to WAL and
 * applies pending migrations. ':memory:' gives a private in-memory database (no WAL).
 */
export async function openSqliteStore(filePath: string, opts: SqliteStoreOptions = {}): Promise<SqliteStore> {
  const inMemory = filePath === ':memory:' || filePath === '';
  if (!inMemory) await mkdir(dirname(filePath), { recursive: true });
  const log = asLog(opts.log, 'storage');
  const db = await Db.open(filePath, { busyTimeoutMs: opts.busyTimeoutMs });
  try {
    const version = (await db.get<{ v: string }>('SELECT sqlite_version() AS v'))?.v ?? '0';
    if (compareVersions(version, MIN_SQLITE_VERSION) < 0) {
      throw new Error(`[storage] SQLite ${version} is too old: Argus needs ${MIN_SQLITE_VERSION} or newer (STRICT tables, ->>, jsonb_each)`);
    }
    if (!inMemory && db.journalMode !== 'wal') {
      log.warn(`journal_mode is "${db.journalMode}", not WAL (file system without shared memory?)`, { file: filePath });
    }
    const applied = await migrate(db, await loadMigrations(opts.migrationsDir), opts.now);
    if (applied.length > 0) log.info(`applied migration(s) ${applied.join(', ')}`, { file: filePath });
    if (opts.secrets) {
      const codec = opts.secrets({ sealed: await countSealed(db) });
      const r = await sealStoredSecrets(db, codec);
      if (r.sealed + r.resealed > 0) log.info(`sealed ${r.sealed} clear camera password(s), re-sealed ${r.resealed} under the current secrets key`, { ...r });
      setCodec(db, codec);
    }
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
  const audit = new SqliteAuditRepo(db);
  try {
    // The audit rows written before migration 016 get their hashes now (once; docs/design/audit.md).
    const chained = await audit.prepareChain((opts.now ?? Date.now)());
    if (chained > 0) log.info(`audit chain: ${chained} earlier entries chained`, { file: filePath });
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
  return {
    db,
    org: new SqliteOrgRepo(db),
    devices: new SqliteDeviceRepo(db),
    channels: new SqliteChannelRepo(db),
    rtsp: new SqliteRtspRepo(db),
    agents: new SqliteAgentRepo(db),
    cameras: new SqliteCameraRepo(db),
    units: new SqliteUnitRepo(db),
    layouts: new SqliteLayoutRepo(db),
    wallStates: new SqliteWallStateRepo(db),
    segments: new SqliteSegmentRepo(db),
    events: new SqliteEventRepo(db),
    onvif: new SqliteOnvifRepo(db),
    gb: new SqliteGbRepo(db),
    gps: new SqliteGpsRepo(db),
    investigation: new SqliteInvestigationRepo(db),
    alarms: new SqliteAlarmRepo(db),
    alarmWindows: new SqliteAlarmWindowRepo(db),
    users: new SqliteUserRepo(db),
    sessions: new SqliteSessionRepo(db),
    audit,
    access: new SqliteAccessRepo(db),
    factors: new SqliteFactorRepo(db),
    gbCatalog: new SqliteGbCatalogRepo(db),
    gbRecords: new SqliteGbRecordsRepo(db),
    gbCascade: new SqliteGbCascadeRepo(db),
    close: () => db.close(),
  };
}

// Promise wrapper around one sqlite3 connection: run/get/all/exec, prepared statements and serialized transactions.
import { AsyncLocalStorage } from 'node:async_hooks';
import sqlite3 from 'sqlite3';
import { StorageError } from '../repositories';

/** A value SQLite can bind. Booleans must be mapped to 0/1 by the caller. */
export type SqlValue = string | number | bigint | null | Buffer;
/** Positional (`?`) parameters. */
export type Params = readonly SqlValue[];

export interface RunResult {
  /** rowid of the last inserted row (only meaningful after an INSERT). */
  lastId: number;
  /** Rows changed by the statement. */
  changes: number;
}

export interface OpenOptions {
  /** Milliseconds SQLite waits on a lock held by another connection before failing with SQLITE_BUSY. */
  busyTimeoutMs?: number;
}

/** Marks the async context of a running transaction, so the statements it issues bypass the transaction gate. */
interface TxContext {
  db: Db;
  savepoints: number;
  /** Cleared when the transaction ends, so callbacks that outlive it (timers started inside fn) are gated again. */
  active: boolean;
}

/** Rows queued per chunk by `Prepared.runMany` before waiting for them (bounds memory for huge batches). */
const RUN_MANY_CHUNK = 5_000;

/**
 * One SQLite connection. Statements from concurrent callers run as they come, except while a transaction is open:
 * `transaction(fn)` takes an exclusive turn (waits for statements already in flight, then BEGIN IMMEDIATE ... COMMIT),
 * and every statement not issued from inside `fn` waits until the transaction ends. Transactions are queued FIFO, so
 * two callers can never interleave BEGIN/COMMIT on the shared connection. Code inside `fn` may use this same `Db`
 * object (or the `tx` argument, which is the same object): the async context tells the two apart.
 */
export class Db {
  private readonly txContext = new AsyncLocalStorage<TxContext>();
  /** Statements currently executing outside any transaction. */
  private inflight = 0;
  private drainWaiters: Array<() => void> = [];
  /** Set while a transaction holds (or is about to take) the connection; resolves when it ends. */
  private exclusive: Promise<void> | null = null;
  /** Tail of the FIFO queue of transactions. */
  private txQueue: Promise<void> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly raw: sqlite3.Database,
    /** The file path (or ':memory:'). */
    readonly filePath: string,
    /** The journal mode SQLite reported after `PRAGMA journal_mode=WAL` ('wal' for files, 'memory' for ':memory:'). */
    readonly journalMode: string,
  ) {}

  /** Opens (creating if needed) the database file and applies the connection pragmas (WAL, NORMAL sync, FKs, busy timeout). */
  static async open(filePath: string, opts: OpenOptions = {}): Promise<Db> {
    const raw = await new Promise<sqlite3.Database>((resolve, reject) => {
      const d: sqlite3.Database = new sqlite3.Database(filePath, sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE, (err) =>
        err ? reject(mapSqliteError(err)) : resolve(d),
      );
    });
    const get = <T>(sql: string) =>
      new Promise<T | undefined>((resolve, reject) =>
        raw.get<T>(sql, (err: Error | null, row: T | undefined) => (err ? reject(mapSqliteError(err)) : resolve(row))),
      );
    try {
      const busyTimeoutMs = Math.max(0, Math.floor(opts.busyTimeoutMs ?? 5000));
      // busy_timeout first, so that switching to WAL waits for other connections instead of failing.
      await get(`PRAGMA busy_timeout = ${busyTimeoutMs}`);
      const mode = await get<{ journal_mode: string }>('PRAGMA journal_mode = WAL');
      await get('PRAGMA synchronous = NORMAL');
      await get('PRAGMA foreign_keys = ON');
      return new Db(raw, filePath, String(mode?.journal_mode ?? '').toLowerCase());
    } catch (err) {
      await new Promise<void>((resolve) => raw.close(() => resolve()));
      throw err;
    }
  }

  /** Runs one statement; returns lastId/changes. */
  run(sql: string, params: Params = []): Promise<RunResult> {
    return this.op(() => rawRun(this.raw, sql, params));
  }

  /** First row of a query, or undefined. */
  get<T>(sql: string, params: Params = []): Promise<T | undefined> {
    return this.op(
      () =>
        new Promise<T | undefined>((resolve, reject) =>
          this.raw.get<T>(sql, params, (err: Error | null, row: T | undefined) => (err ? reject(mapSqliteError(err)) : resolve(row))),
        ),
    );
  }

  /** All rows of a query. */
  all<T>(sql: string, params: Params = []): Promise<T[]> {
    return this.op(
      () =>
        new Promise<T[]>((resolve, reject) =>
          this.raw.all<T>(sql, params, (err: Error | null, rows: T[]) => (err ? reject(mapSqliteError(err)) : resolve(rows))),
        ),
    );
  }

  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void> {
    return this.op(() => rawExec(this.raw, sql));
  }

  /** Prepares a statement for repeated use; call `finalize()` when done. */
  async prepare(sql: string): Promise<Prepared> {
    const stmt = await this.op(
      () =>
        new Promise<sqlite3.Statement>((resolve, reject) => {
          const st: sqlite3.Statement = this.raw.prepare(sql, (err: Error | null) => (err ? reject(mapSqliteError(err)) : resolve(st)));
        }),
    );
    return new Prepared(stmt, this);
  }

  /**
   * Runs `fn` inside BEGIN IMMEDIATE ... COMMIT (ROLLBACK if it throws). Transactions from concurrent callers run one
   * after the other. Called from inside a transaction, it nests with a SAVEPOINT. `fn` must await every statement it
   * issues before returning.
   */
  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    const ctx = this.ownContext();
    if (ctx) return this.savepoint(ctx, fn);
    if (this.closed) throw new StorageError('io', 'database is closed');

    let release!: () => void;
    const myTurn = new Promise<void>((resolve) => (release = resolve));
    const previous = this.txQueue;
    this.txQueue = previous.then(() => myTurn);
    await previous;

    let endExclusive!: () => void;
    this.exclusive = new Promise<void>((resolve) => (endExclusive = resolve));
    try {
      await this.drain();
      if (this.closed) throw new StorageError('io', 'database is closed');
      await rawRun(this.raw, 'BEGIN IMMEDIATE', []);
      let result: T;
      const txCtx: TxContext = { db: this, savepoints: 0, active: true };
      try {
        result = await this.txContext.run(txCtx, () => fn(this));
        txCtx.active = false;
        await rawRun(this.raw, 'COMMIT', []);
      } catch (err) {
        txCtx.active = false;
        // After a failed COMMIT (e.g. SQLITE_BUSY) the transaction is still open; after some errors SQLite has
        // already rolled back, in which case ROLLBACK fails harmlessly.
        await rawRun(this.raw, 'ROLLBACK', []).catch(() => undefined);
        throw err;
      }
      return result;
    } finally {
      this.exclusive = null;
      endExclusive();
      release();
    }
  }

  /** True when called from inside a transaction of this connection. */
  inTransaction(): boolean {
    return this.ownContext() !== null;
  }

  /** Waits for pending transactions and statements, then closes the connection. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    // Take a transaction turn so nothing else is running, then close.
    let release!: () => void;
    const myTurn = new Promise<void>((resolve) => (release = resolve));
    const previous = this.txQueue;
    this.txQueue = previous.then(() => myTurn);
    await previous;
    if (this.closed) return release();
    this.closed = true;
    let endExclusive!: () => void;
    this.exclusive = new Promise<void>((resolve) => (endExclusive = resolve));
    try {
      await this.drain();
      // Recommended before closing a long-lived connection: lets SQLite refresh planner statistics where useful.
      await rawRun(this.raw, 'PRAGMA optimize', []).catch(() => undefined);
      await new Promise<void>((resolve, reject) => this.raw.close((err) => (err ? reject(mapSqliteError(err)) : resolve())));
    } finally {
      this.exclusive = null;
      endExclusive();
      release();
    }
  }

  /** Runs a statement-level operation, waiting first for any transaction of another caller to end (used by Prepared). */
  async op<T>(fn: () => Promise<T>): Promise<T> {
    if (this.ownContext()) return fn();
    while (this.exclusive) await this.exclusive;
    if (this.closed) throw new StorageError('io', 'database is closed');
    this.inflight++;
    try {
      return await fn();
    } finally {
      if (--this.inflight === 0 && this.drainWaiters.length > 0) {
        const waiters = this.drainWaiters;
        this.drainWaiters = [];
        for (const w of waiters) w();
      }
    }
  }

  /** The context of a running transaction of this connection, if the caller is inside one. */
  private ownContext(): TxContext | null {
    const ctx = this.txContext.getStore();
    return ctx && ctx.db === this && ctx.active ? ctx : null;
  }

  private drain(): Promise<void> {
    if (this.inflight === 0) return Promise.resolve();
    return new Promise<void>((resolve) => this.drainWaiters.push(resolve));
  }

  private async savepoint<T>(ctx: TxContext, fn: (tx: Db) => Promise<T>): Promise<T> {
    const name = `sp_${++ctx.savepoints}`;
    await rawRun(this.raw, `SAVEPOINT ${name}`, []);
    try {
      const result = await fn(this);
      await rawRun(this.raw, `RELEASE ${name}`, []);
      return result;
    } catch (err) {
      await rawRun(this.raw, `ROLLBACK TO ${name}`, []).catch(() => undefined);
      await rawRun(this.raw, `RELEASE ${name}`, []).catch(() => undefined);
      throw err;
    }
  }
}

/** A prepared statement bound to a `Db`; obeys the same transaction gate as `Db.run/get/all`. */
export class Prepared {
  constructor(
    private readonly stmt: sqlite3.Statement,
    private readonly db: Db,
  ) {}

  run(params: Params = []): Promise<RunResult> {
    return this.db.op(
      () =>
        new Promise<RunResult>((resolve, reject) =>
          this.stmt.run(params, function (this: sqlite3.RunResult, err: Error | null) {
            if (err) reject(mapSqliteError(err));
            else resolve({ lastId: this.lastID, changes: this.changes });
          }),
        ),
    );
  }

  get<T>(params: Params = []): Promise<T | undefined> {
    return this.db.op(
      () =>
        new Promise<T | undefined>((resolve, reject) =>
          this.stmt.get<T>(params, (err: Error | null, row?: T) => (err ? reject(mapSqliteError(err)) : resolve(row))),
        ),
    );
  }

  all<T>(params: Params = []): Promise<T[]> {
    return this.db.op(
      () =>
        new Promise<T[]>((resolve, reject) => this.stmt.all<T>(params, (err: Error | null, rows: T[]) => (err ? reject(mapSqliteError(err)) : resolve(rows)))),
    );
  }

  /**
   * Runs the statement once per parameter list. The runs are queued on the statement without waiting for each other
   * (the statement executes them in order), which is what makes bulk inserts fast with the async driver. Rejects with
   * the first error after the queued runs of the failing chunk have finished; wrap in `transaction` for atomicity.
   */
  runMany(paramLists: readonly Params[]): Promise<void> {
    return this.db.op(async () => {
      for (let i = 0; i < paramLists.length; i += RUN_MANY_CHUNK) {
        const end = Math.min(paramLists.length, i + RUN_MANY_CHUNK);
        await new Promise<void>((resolve, reject) => {
          let remaining = end - i;
          let firstError: Error | null = null;
          const done = (err: Error | null) => {
            if (err && !firstError) firstError = err;
            if (--remaining === 0) {
              if (firstError) reject(mapSqliteError(firstError));
              else resolve();
            }
          };
          for (let j = i; j < end; j++) this.stmt.run(paramLists[j], done);
        });
      }
    });
  }

  /** Releases the statement. Not gated: a statement is finalized by its owner after its last use. */
  finalize(): Promise<void> {
    return new Promise<void>((resolve) => this.stmt.finalize(() => resolve()));
  }
}

function rawRun(raw: sqlite3.Database, sql: string, params: Params): Promise<RunResult> {
  return new Promise<RunResult>((resolve, reject) =>
    raw.run(sql, params, function (this: sqlite3.RunResult, err: Error | null) {
      if (err) reject(mapSqliteError(err));
      else resolve({ lastId: this.lastID, changes: this.changes });
    }),
  );
}

function rawExec(raw: sqlite3.Database, sql: string): Promise<void> {
  return new Promise<void>((resolve, reject) => raw.exec(sql, (err: Error | null) => (err ? reject(mapSqliteError(err)) : resolve())));
}

const IO_CODES = new Set(['SQLITE_IOERR', 'SQLITE_FULL', 'SQLITE_CANTOPEN', 'SQLITE_READONLY', 'SQLITE_CORRUPT', 'SQLITE_NOTADB', 'SQLITE_PERM']);

/**
 * Translates driver errors: UNIQUE violations become StorageError('conflict', ..., field) with the camelCase column
 * name as field; disk and file errors become StorageError('io'). Anything else (CHECK failures, SQL bugs) is returned
 * unchanged. The original error is kept as `cause`.
 */
export function mapSqliteError(err: unknown): unknown {
  if (!(err instanceof Error) || err instanceof StorageError) return err;
  const code = (err as Error & { code?: string }).code ?? '';
  let mapped: StorageError | null = null;
  if (code === 'SQLITE_CONSTRAINT') {
    const unique = /(?:UNIQUE|PRIMARY KEY) constraint failed: (\w+)\.(\w+)/.exec(err.message);
    if (unique) {
      const [, table, column] = unique as unknown as [string, string, string];
      mapped = new StorageError('conflict', `${table}.${column} must be unique`, snakeToCamel(column));
    }
  } else if (IO_CODES.has(code)) {
    mapped = new StorageError('io', err.message);
  }
  if (!mapped) return err;
  mapped.cause = err;
  return mapped;
}

export function snakeToCamel(s: string): string {
  return s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

// Tests of the migration runner: ordered application, idempotent reopen, rollback of a failed migration, immutability.
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from './index';
import { loadMigrations, MIGRATIONS_DIR } from './migrate';
import { camera, makeTempDir } from './test-utils';

/**
 * SHA-256 of every released migration. A released migration must never change (databases in the field will not run
 * it again); if this test fails, revert your edit and add a new numbered migration instead. Add a line here when a
 * new migration is released.
 */
const RELEASED: Record<string, string> = {
  '001_initial.sql': 'f83e65de2aa6df202e1d4277e78b153c7bacf6aeeba6aa95efa6a03373dd7cc9',
  '002_units.sql': '3c1c7e6c4e661748adbab30bf54be40c4fc4c0a8c00ffa83c64b310d1b93d355',
  '003_wall_layouts.sql': '53b6b7e0b7a7aa2dee83d098409af9c8384291df32c7dd951ea089271c6912c5',
};

const quiet = { log: () => undefined };

describe('migrations', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeTempDir();
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('released migrations are unchanged', async () => {
    for (const [name, sha] of Object.entries(RELEASED)) {
      // Line endings normalized, so a CRLF checkout (git autocrlf on Windows) does not count as an edit.
      const text = (await readFile(join(MIGRATIONS_DIR, name), 'utf8')).replace(/\r\n/g, '\n');
      expect(createHash('sha256').update(text).digest('hex'), `${name} was edited`).toBe(sha);
    }
  });

  it('are numbered 1..n and each starts with a header comment', async () => {
    const migrations = await loadMigrations();
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
    for (const m of migrations) expect(m.sql.startsWith('-- Migration ')).toBe(true);
  });

  it('apply at open, record versions, and are idempotent on reopen', async () => {
    const file = join(dir, 'sub', 'argus.db');
    let now = 1000;
    const lines: string[] = [];
    const s1 = await openSqliteStore(file, { now: () => now, log: (l) => lines.push(l) });
    const n = (await loadMigrations()).length;
    expect(lines.some((l) => l.includes('applied migration(s)'))).toBe(true);
    expect(await s1.db.all('SELECT version, applied_ms FROM schema_migrations ORDER BY version')).toEqual(
      Array.from({ length: n }, (_, i) => ({ version: i + 1, applied_ms: 1000 })),
    );
    await s1.cameras.create(camera('Gate'), 5);
    await s1.close();

    now = 2000;
    lines.length = 0;
    const s2 = await openSqliteStore(file, { now: () => now, log: (l) => lines.push(l) });
    expect(lines).toEqual([]);
    expect(await s2.db.all('SELECT version, applied_ms FROM schema_migrations ORDER BY version')).toEqual(
      Array.from({ length: n }, (_, i) => ({ version: i + 1, applied_ms: 1000 })),
    );
    expect((await s2.cameras.getByName('Gate'))?.createdMs).toBe(5);
    expect(s2.db.journalMode).toBe('wal');
    await s2.close();
  });

  it('two processes opening a new database at once apply each migration once', async () => {
    const file = join(dir, 'argus.db');
    const [a, b] = await Promise.all([openSqliteStore(file, quiet), openSqliteStore(file, quiet)]);
    const n = (await loadMigrations()).length;
    expect(await a.db.get('SELECT count(*) AS c FROM schema_migrations')).toEqual({ c: n });
    await a.close();
    await b.close();
  });

  it('roll back a failing migration completely and leave earlier ones applied', async () => {
    const migDir = join(dir, 'migrations');
    await mkdir(migDir);
    await copyFile(join(MIGRATIONS_DIR, '001_initial.sql'), join(migDir, '001_initial.sql'));
    await writeFile(join(migDir, '002_broken.sql'), '-- Migration 002: broken\nCREATE TABLE extra (x INTEGER);\nTHIS IS NOT SQL;\n');
    const file = join(dir, 'argus.db');
    await expect(openSqliteStore(file, { ...quiet, migrationsDir: migDir })).rejects.toThrow(/syntax error/);

    await rm(join(migDir, '002_broken.sql'));
    const s = await openSqliteStore(file, { ...quiet, migrationsDir: migDir });
    expect(await s.db.all('SELECT version FROM schema_migrations')).toEqual([{ version: 1 }]);
    expect(await s.db.get("SELECT name FROM sqlite_schema WHERE name = 'extra'")).toBeUndefined();
    await s.close();
  });

  it('refuse a database written by a newer version', async () => {
    const file = join(dir, 'argus.db');
    const s = await openSqliteStore(file, quiet);
    await s.db.run('INSERT INTO schema_migrations (version, applied_ms) VALUES (999, 0)');
    await s.close();
    await expect(openSqliteStore(file, quiet)).rejects.toThrow(/schema version\(s\) 999/);
  });

  it('reject badly named or non-contiguous migration files', async () => {
    const migDir = join(dir, 'migrations');
    await mkdir(migDir);
    await writeFile(join(migDir, '001_a.sql'), '-- Migration 001\n');
    await writeFile(join(migDir, '003_c.sql'), '-- Migration 003\n');
    await expect(loadMigrations(migDir)).rejects.toThrow(/numbered 1, 2, 3/);
    await writeFile(join(migDir, 'two.sql'), '');
    await expect(loadMigrations(migDir)).rejects.toThrow(/does not match/);
  });
});

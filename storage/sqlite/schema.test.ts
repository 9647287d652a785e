// Keeps storage/schema.sql (the documented schema) identical to what the migrations build, and fully commented.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, UNIT_TYPES } from '../../common/api';
import { DEVICE_KINDS, MOBILE_TYPES, RECORD_MODES } from '../../common/devices';
import { Db } from './db';
import { loadMigrations, migrate } from './migrate';

const SCHEMA_SQL = fileURLToPath(new URL('../schema.sql', import.meta.url));

/** Drops comments, lower-cases and normalizes whitespace so that formatting differences do not count. */
function normalize(sql: string): string {
  return sql
    .replace(/--[^\n]*/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/\s*([(),=<>])\s*/g, '$1')
    .replace(/create table if not exists/gi, 'create table')
    .trim()
    .toLowerCase();
}

/** Every CHECK (...) expression of a CREATE TABLE statement, normalized and sorted. */
function checks(sql: string): string[] {
  const s = normalize(sql);
  const out: string[] = [];
  const re = /check\(/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) {
    let depth = 1;
    let i = m.index + m[0].length;
    for (; i < s.length && depth > 0; i++) {
      if (s[i] === '(') depth++;
      else if (s[i] === ')') depth--;
    }
    out.push(s.slice(m.index, i));
  }
  return out.sort();
}

interface Described {
  objects: Array<{ type: string; name: string; tbl_name: string }>;
  tables: Record<string, unknown>;
}

async function describeDb(db: Db): Promise<Described> {
  const objects = await db.all<{ type: string; name: string; tbl_name: string; sql: string | null }>(
    "SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
  );
  const tables: Record<string, unknown> = {};
  for (const t of objects.filter((o) => o.type === 'table')) {
    const indexes = await db.all<{ name: string; unique: number; origin: string; partial: number }>(`PRAGMA index_list(${t.name})`);
    const indexDetails = [];
    for (const ix of indexes.sort((a, b) => a.name.localeCompare(b.name))) {
      const cols = await db.all(`PRAGMA index_xinfo(${ix.name})`);
      const sql = objects.find((o) => o.name === ix.name)?.sql ?? null;
      indexDetails.push({
        name: ix.name.startsWith('sqlite_autoindex') ? '(auto)' : ix.name,
        unique: ix.unique,
        origin: ix.origin,
        partial: ix.partial,
        cols,
        sql: sql && normalize(sql),
      });
    }
    tables[t.name] = {
      list: await db.all(`SELECT type, ncol, wr, strict FROM pragma_table_list WHERE name = ?`, [t.name]),
      columns: await db.all(`PRAGMA table_xinfo(${t.name})`),
      foreignKeys: await db.all(`SELECT "table", "from", "to", on_update, on_delete, "match" FROM pragma_foreign_key_list(?)`, [t.name]),
      checks: checks(t.sql ?? ''),
      indexes: indexDetails,
      triggers: objects.filter((o) => o.type === 'trigger' && o.tbl_name === t.name).map((o) => ({ name: o.name, sql: normalize(o.sql ?? '') })),
    };
  }
  return { objects: objects.map(({ type, name, tbl_name }) => ({ type, name, tbl_name })), tables };
}

describe('storage/schema.sql', () => {
  let documented: Db;
  let migrated: Db;
  let schemaText: string;

  beforeAll(async () => {
    schemaText = await readFile(SCHEMA_SQL, 'utf8');
    documented = await Db.open(':memory:');
    await documented.exec(schemaText);
    migrated = await Db.open(':memory:');
    await migrate(migrated, await loadMigrations());
  });

  afterAll(async () => {
    await documented.close();
    await migrated.close();
  });

  it('defines the same tables, columns, constraints, indexes and triggers as the migrations', async () => {
    const a = await describeDb(documented);
    const b = await describeDb(migrated);
    expect(a.objects).toEqual(b.objects);
    for (const name of Object.keys(b.tables)) expect(a.tables[name], `table ${name}`).toEqual(b.tables[name]);
  });

  it('has the tables the application needs', async () => {
    const names = (await migrated.all<{ name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table'")).map((r) => r.name);
    for (const t of [
      'schema_migrations',
      'org_nodes',
      'devices',
      'channels',
      'rtsp_channels',
      'agent_devices',
      'id_counter',
      'wall_layouts',
      'segments',
      'events',
      'users',
      'sessions',
      'audit_log',
    ])
      expect(names).toContain(t);
  });

  it('documents every table and every column with a comment', () => {
    const lines = schemaText.split('\n');
    lines.forEach((line, i) => {
      const create = /^CREATE TABLE (\w+)/.exec(line);
      if (create) expect(lines[i - 1]!.startsWith('--'), `table ${create[1]} needs a comment above it`).toBe(true);
    });
    const bodies = schemaText.match(/CREATE TABLE \w+ \(\n([\s\S]*?)\n\)/g) ?? [];
    expect(bodies.length).toBeGreaterThanOrEqual(7);
    for (const body of bodies) {
      for (const line of body.split('\n').slice(1, -1)) {
        const trimmed = line.trim();
        if (trimmed === '' || trimmed.startsWith('--') || trimmed.startsWith('CHECK')) continue;
        expect(trimmed, 'column without a comment').toMatch(/--\s*\S/);
      }
    }
  });

  it('allows exactly the roles of common/api.ts', async () => {
    const table = await migrated.get<{ sql: string }>("SELECT sql FROM sqlite_schema WHERE name = 'users'");
    const m = /role\s+TEXT\s+NOT NULL CHECK \(role IN \(([^)]*)\)\)/.exec(table!.sql);
    expect(m).not.toBeNull();
    expect(m![1]!.split(',').map((s) => s.trim().replace(/'/g, ''))).toEqual([...ROLES]);
  });

  it('allows exactly the unit types of common/api.ts as mobile device types', async () => {
    const table = await migrated.get<{ sql: string }>("SELECT sql FROM sqlite_schema WHERE name = 'devices'");
    const m = /mobile_type\s+TEXT\s+CHECK \(mobile_type IS NULL OR mobile_type IN \(([^)]*)\)\)/.exec(table!.sql);
    expect(m).not.toBeNull();
    expect(m![1]!.split(',').map((s) => s.trim().replace(/'/g, ''))).toEqual([...UNIT_TYPES]);
  });

  it('allows exactly the device kinds and record modes of common/devices.ts', async () => {
    expect([...MOBILE_TYPES]).toEqual([...UNIT_TYPES]);
    const devices = await migrated.get<{ sql: string }>("SELECT sql FROM sqlite_schema WHERE name = 'devices'");
    const kinds = /kind\s+TEXT\s+NOT NULL CHECK \(kind IN \(([^)]*)\)\)/.exec(devices!.sql);
    expect(kinds![1]!.split(',').map((s) => s.trim().replace(/'/g, ''))).toEqual([...DEVICE_KINDS]);
    const channels = await migrated.get<{ sql: string }>("SELECT sql FROM sqlite_schema WHERE name = 'channels'");
    const modes = /record_mode\s+TEXT\s+NOT NULL DEFAULT 'continuous' CHECK \(record_mode IN \(([^)]*)\)\)/.exec(channels!.sql);
    expect(modes![1]!.split(',').map((s) => s.trim().replace(/'/g, ''))).toEqual([...RECORD_MODES]);
  });
});

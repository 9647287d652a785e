// Every write route refuses control characters in its text fields and out-of-range numbers with a 400 naming the field, and saves nothing (issue 11, 13d).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../common/api';
import { rolesWith } from '../../common/rights';
import type { JsonSchema } from '../../common/schema';
import { sample, setAt } from '../helpers/body-sample';
import { hashPassword } from '../../main/server/auth';
import { documentedRoutes } from '../../main/server/routes/index';
import type { Route } from '../../main/server/router';
import type { SqliteStore } from '../../storage/sqlite/index';
import { startAlarmServer, type AlarmTestServer } from './alarms-support';

interface Leaf {
  path: string[];
  kind: 'text' | 'number';
  json: JsonSchema;
}

/** Every text (not enum) and number field of a body schema, with its path (array items at index 0). */
function leaves(json: JsonSchema, path: string[] = []): Leaf[] {
  switch (json.type) {
    case 'object':
      return Object.entries((json.properties ?? {}) as Record<string, JsonSchema>).flatMap(([k, v]) => leaves(v, [...path, k]));
    case 'array':
      return leaves(json.items as JsonSchema, [...path, '0']);
    case 'string':
      return json.enum ? [] : [{ path, kind: 'text', json }];
    case 'integer':
    case 'number':
      return [{ path, kind: 'number', json }];
    default:
      return [];
  }
}

/** A text of an allowed length with a NUL in it. */
function nulText(j: JsonSchema): string {
  const len = Math.max(3, (j.minLength as number | undefined) ?? 0);
  return `a\u0000${'b'.repeat(len - 2)}`;
}

interface Case {
  route: Route;
  leaf: Leaf;
  value: unknown;
  expect: RegExp;
}

const routes = documentedRoutes().filter((r) => r.body && r.method !== 'GET' && r.path !== '/api/v1/auth/login');
const cases: Case[] = routes.flatMap((route) =>
  leaves(route.body!.json).flatMap((leaf): Case[] =>
    leaf.kind === 'text'
      ? [{ route, leaf, value: nulText(leaf.json), expect: /control characters/ }]
      : [
          { route, leaf, value: 1e308, expect: /must be at most/ },
          { route, leaf, value: -1e308, expect: /must be at least/ },
          // A time after the year 9999 (still a safe integer; past JavaScript's Date range).
          ...(/Ms$/.test(leaf.path.at(-1)!) ? [{ route, leaf, value: 8.7e15, expect: /must be at most/ }] : []),
        ],
  ),
);

describe('write routes refuse NUL and huge numbers with a field-named 400 and save nothing', () => {
  let srv: AlarmTestServer;
  const tokens = new Map<Role, string>();
  let db: SqliteStore['db'];

  async function counts(): Promise<Record<string, number>> {
    const tables = await db.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('sessions', 'sqlite_sequence')");
    const out: Record<string, number> = {};
    for (const t of tables) out[t.name] = (await db.get<{ n: number }>(`SELECT count(*) AS n FROM "${t.name}"`))!.n;
    return out;
  }

  beforeAll(async () => {
    srv = await startAlarmServer();
    db = (srv.backend.store as SqliteStore).db;
    for (const role of ['admin', 'dispatcher', 'investigator', 'officer'] as const) {
      if (role !== 'admin')
        await srv.backend.store.users.create({
          username: `v-${role}`,
          passwordHash: await hashPassword('validation-pw'),
          role,
          displayName: role,
          disabled: false,
          createdMs: Date.now(),
        });
      tokens.set(role, role === 'admin' ? srv.token : await srv.login(`v-${role}`, 'validation-pw'));
    }
  }, 60_000);
  afterAll(async () => {
    await srv?.close();
  });

  it('covers the write routes (table built from the route table)', () => {
    expect(routes.length).toBeGreaterThan(20);
    expect(cases.length).toBeGreaterThan(100);
    const paths = new Set(routes.map((r) => `${r.method} ${r.path}`));
    for (const p of ['POST /api/v1/cameras', 'POST /api/v1/alarm-rules', 'POST /api/v1/gps/geofences', 'POST /api/v1/bookmarks']) expect(paths).toContain(p);
  });

  it('answers 400 naming the field for every text and number field', async () => {
    const before = await counts();
    const failures: string[] = [];
    for (const c of cases) {
      const role: Role =
        c.route.auth === 'any' || c.route.auth === 'public' || rolesWith(c.route.auth).includes('admin') ? 'admin' : rolesWith(c.route.auth)[0]!;
      const urlPath = c.route.path.replace(/:name\b/, 'x').replace(/:[a-zA-Z]+/g, '1');
      const body = setAt(sample(c.route.body!.json), c.leaf.path, c.value);
      const field = c.leaf.path.join('.');
      const r = await srv.api<{ error?: { kind: string; fields?: Array<{ path: string; message: string }> } }>(c.route.method, urlPath, body, tokens.get(role));
      const hit = r.body?.error?.fields?.find((f) => f.path === field);
      if (r.status !== 400 || !hit || !c.expect.test(hit.message))
        failures.push(`${c.route.method} ${c.route.path} ${field}=${JSON.stringify(c.value)}: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
    }
    expect(failures).toEqual([]);
    expect(await counts()).toEqual(before);
  }, 120_000);

  it.each([
    ['camera name', 'POST', '/api/v1/cameras', { name: 'Gate\u00001', url: 'rtsp://127.0.0.1:1/x' }, 'name'],
    ['camera name with a line break', 'POST', '/api/v1/cameras', { name: 'Gate\n1', url: 'rtsp://127.0.0.1:1/x' }, 'name'],
    ['rule name', 'POST', '/api/v1/alarm-rules', { name: 'R\u0000', actions: {} }, 'name'],
    ['geofence name', 'POST', '/api/v1/gps/geofences', { name: 'Zone\u0000', shape: 'circle', circle: { lat: 31, lon: 121, radiusM: 100 } }, 'name'],
  ])('a %s with a control character is a 400 naming the field, nothing saved', async (_what, method, p, body, field) => {
    const before = await counts();
    const r = await srv.api<{ error: { fields: Array<{ path: string }> } }>(method, p, body);
    expect(r.status).toBe(400);
    expect(r.body.error.fields.map((f) => f.path)).toEqual([field]);
    expect(await counts()).toEqual(before);
  });

  it('a bookmark ending in the year 1e308 is a 400 naming endMs; a sane one is saved', async () => {
    const cam = await srv.api<{ id: number }>('POST', '/api/v1/cameras', { name: 'Validation cam', url: 'rtsp://127.0.0.1:1/x', enabled: false });
    expect(cam.status).toBe(201);
    const before = await counts();
    const now = Date.now();
    const bad = await srv.api<{ error: { fields: Array<{ path: string }> } }>('POST', '/api/v1/bookmarks', {
      cameraId: cam.body.id,
      startMs: now - 1000,
      endMs: 1e308,
      note: 'x',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f) => f.path)).toEqual(['endMs']);
    const year10k = await srv.api<{ error: { fields: Array<{ path: string }> } }>('POST', '/api/v1/bookmarks', {
      cameraId: cam.body.id,
      startMs: now - 1000,
      endMs: 253_402_300_800_000,
      note: 'x',
    });
    expect(year10k.status).toBe(400);
    expect(year10k.body.error.fields.map((f) => f.path)).toEqual(['endMs']);
    expect(await counts()).toEqual(before);
    const ok = await srv.api('POST', '/api/v1/bookmarks', { cameraId: cam.body.id, startMs: now - 1000, endMs: now, note: 'line one\nline two' });
    expect(ok.status).toBe(201);
  });
});

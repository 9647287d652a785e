// The route guards follow the rights table (common/rights.ts): every route with a right answers 403 exactly to the roles without it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../common/api';
import { can, isScopedRight, RIGHTS, rolesWith, type Right } from '../../common/rights';
import { startTestServer, type TestServer } from './test-support';

describe('rights table and route guards', () => {
  let t: TestServer;
  const tokens = new Map<Role, string>();

  beforeAll(async () => {
    t = await startTestServer();
    for (const role of ROLES) {
      await t.addUser(`${role}-user`, `pw-of-the-${role}`, role);
      tokens.set(role, (await t.login(`${role}-user`, `pw-of-the-${role}`)).token);
    }
  });
  afterAll(async () => {
    await t.close();
  });

  it('every right is held by at least one role and by the administrator', () => {
    for (const right of RIGHTS) {
      expect(rolesWith(right).length, right).toBeGreaterThan(0);
      expect(can({ role: 'admin' }, right), right).toBe(true);
    }
  });

  it('the real rules: dispatchers and officers have no cases, officers no recordings, only admins administer', () => {
    expect(can({ role: 'dispatcher' }, 'cases.manage')).toBe(false);
    expect(can({ role: 'officer' }, 'cases.manage')).toBe(false);
    expect(can({ role: 'officer' }, 'recordings.view')).toBe(false);
    expect(can({ role: 'investigator' }, 'recordings.view')).toBe(true);
    for (const role of ['dispatcher', 'investigator', 'officer'] as const) expect(can({ role }, 'users.manage')).toBe(false);
  });

  it('a grant of its own extends a role within its scope only (the shape the per-node access control builds on)', () => {
    const officer = {
      role: 'officer' as const,
      grants: [{ right: 'recordings.view' as Right, scope: { kind: 'channel' as const, channel: 'camera' as const, id: 7 } }],
    };
    expect(can(officer, 'recordings.view', { kind: 'channel', channel: 'camera', id: 7 })).toBe(true);
    expect(can(officer, 'recordings.view', { kind: 'channel', channel: 'camera', id: 8 })).toBe(false);
    expect(can(officer, 'recordings.view')).toBe(false);
  });

  it('each route with a right answers 403 to exactly the roles without it (a scoped right: held nowhere; officers hold theirs only on their own units)', async () => {
    const guarded = t.app.routes.filter((r) => r.auth !== 'public' && r.auth !== 'any');
    expect(guarded.length).toBeGreaterThan(30);
    const wrong: string[] = [];
    for (const r of guarded) {
      const right = r.auth as Right;
      const urlPath = r.path.replace(/:name\b/, 'x').replace(/:[A-Za-z]+/g, '999');
      for (const role of ROLES) {
        // An empty body: allowed roles get past the guard (400/404/503...), the others are refused before validation.
        const res = await t.call(r.method, urlPath, { token: tokens.get(role), body: r.body ? {} : undefined });
        const refused = res.status === 403;
        const user = (await t.store.users.getByUsername(`${role}-user`))!;
        const a = t.app.access.for(user);
        if (refused === (isScopedRight(right) ? a.any(right) : a.global(right))) wrong.push(`${r.method} ${r.path} (${right}) as ${role}: ${res.status}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

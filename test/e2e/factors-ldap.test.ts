// End to end against a real slapd: directory sign-in with a group → role mapping, wrong password, no group, filter injection, directory down.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoginResponse } from '../../common/api';
import type { ErrorBody } from '../../common/errors';
import { escapeFilterValue, fillFilter } from '../../main/server/auth-factors/ldap';
import { startServer, type TestServer } from '../harness';
import { groupLdif, personLdif, startSlapd, type Slapd } from '../helpers/slapd';

describe('directory (LDAP) sign-in against slapd', () => {
  let ldap: Slapd;
  let srv: TestServer;
  const group = (cn: string) => `cn=${cn},ou=groups,${ldap.baseDn}`;

  beforeAll(async () => {
    ldap = await startSlapd();
    const b = ldap.baseDn;
    ldap.add(
      [
        `dn: cn=argus-search,${b}\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\ncn: argus-search\nuserPassword: search-account-pw\n`,
        personLdif(b, 'dora', 'dora-directory-pw'),
        personLdif(b, 'ivan', 'ivan-directory-pw'),
        personLdif(b, 'nobody', 'nobody-directory-pw'),
        groupLdif(b, 'argus-dispatch', ['dora']),
        groupLdif(b, 'argus-investigators', ['ivan']),
        groupLdif(b, 'canteen', ['nobody']),
      ].join('\n'),
    );
    srv = await startServer({
      tag: 'factors-ldap',
      overrides: {
        ldapUrl: ldap.url,
        ldapBindDn: `cn=argus-search,${b}`,
        ldapBindPassword: 'search-account-pw',
        ldapUserBaseDn: `ou=people,${b}`,
        ldapUserFilter: '(&(objectClass=inetOrgPerson)(uid={username}))',
        ldapGroupRoles: [
          { group: `CN=argus-investigators, ou=groups,${b}`, role: 'investigator', argusGroup: 'investigations-team' },
          { group: `cn=argus-dispatch,ou=groups,${b}`, role: 'dispatcher' },
        ],
      },
    });
  }, 60_000);
  afterAll(async () => {
    await srv?.close();
    await ldap?.close();
  });

  const login = (username: string, password: string) =>
    srv.client.call<LoginResponse & ErrorBody>('POST', '/api/v1/auth/login', { username, password }, { token: '', headers: { 'User-Agent': 'factors-ldap' } });

  it('a directory user in a mapped group gets a session with the mapped role; the Argus user is created (source ldap) and audited', async () => {
    const r = await login('dora', 'dora-directory-pw');
    expect(r.status).toBe(200);
    expect(r.body.user).toMatchObject({ username: 'dora', role: 'dispatcher' });
    expect((await srv.client.call('GET', '/api/v1/auth/me', undefined, { token: r.body.token })).status).toBe(200);
    const user = (await srv.backend.store.users.getByUsername('dora'))!;
    expect(await srv.backend.store.factors.directoryAccount(user.id)).toMatchObject({
      dn: `uid=dora,ou=people,${ldap.baseDn}`,
      groups: [group('argus-dispatch')],
    });
    // No local password: the directory is the only way in.
    expect(user.passwordHash.startsWith('scrypt$')).toBe(false);
    const created = (await srv.backend.store.audit.query({ action: 'user.create', limit: 50 })).find((a) => a.targetId === String(user.id));
    expect(created?.detail).toMatchObject({ username: 'dora', role: 'dispatcher', source: 'ldap' });
  });

  it('the role is refreshed from the groups at each sign-in (memberOf and the first matching mapping)', async () => {
    const first = await login('ivan', 'ivan-directory-pw');
    expect(first.body.user.role).toBe('investigator');
    // An administrator changes the role in Argus: the next sign-in takes the directory's again (audited).
    const ivan = (await srv.backend.store.users.getByUsername('ivan'))!;
    await srv.backend.store.users.update(ivan.id, { role: 'officer' });
    expect((await login('ivan', 'ivan-directory-pw')).body.user.role).toBe('investigator');
    expect((await srv.backend.store.audit.query({ action: 'user.directory_sync', limit: 10 }))[0]?.detail).toMatchObject({
      from: 'officer',
      to: 'investigator',
    });
  });

  it('access groups follow the directory at each sign-in: a group mapped by directory name is joined (its grant shows in the rights), an unmatched one left; audited', async () => {
    const admin = (m: string, p: string, body?: unknown) => srv.client.call<{ id: number; memberIds: number[] }>(m, `/api/v1${p}`, body, { token: srv.token });
    const dispatch = await admin('POST', '/access/groups', { name: 'Dispatch (directory)', directoryName: `CN=argus-dispatch, OU=groups,${ldap.baseDn}` });
    const canteen = await admin('POST', '/access/groups', { name: 'Canteen (directory)', directoryName: group('canteen') });
    const local = await admin('POST', '/access/groups', { name: 'Local only' });
    expect([dispatch.status, canteen.status, local.status]).toEqual([201, 201, 201]);
    // audit.view is an admin's right only: dora (a dispatcher) gets it through the directory-mapped group alone.
    const grant = await admin('POST', '/access/grants', {
      principalKind: 'group',
      principalId: dispatch.body.id,
      right: 'audit.view',
      scopeKind: 'node',
      scopeId: 1,
      effect: 'allow',
    });
    expect(grant.status).toBe(201);
    const dora = (await srv.backend.store.users.getByUsername('dora'))!;
    // An administrator had put dora in the canteen-mapped group and in a group without a directory name.
    expect((await admin('PUT', `/access/groups/${canteen.body.id}/members`, { userIds: [dora.id] })).status).toBe(200);
    expect((await admin('PUT', `/access/groups/${local.body.id}/members`, { userIds: [dora.id] })).status).toBe(200);
    const before = await srv.client.call<{ rights: { global: string[] } }>('GET', '/api/v1/auth/me', undefined, {
      token: (await login('dora', 'dora-directory-pw')).body.token,
    });
    expect(before.body.rights.global).toContain('audit.view');
    const list = (await srv.client.call<Array<{ id: number; memberIds: number[] }>>('GET', '/api/v1/access/groups', undefined, { token: srv.token })).body;
    const members = (id: number) => list.find((g) => g.id === id)!.memberIds;
    expect(members(dispatch.body.id)).toEqual([dora.id]);
    expect(members(canteen.body.id)).toEqual([]); // she is not in the directory's canteen group
    expect(members(local.body.id)).toEqual([dora.id]); // groups without a directory name are Argus's own
    const reach = await srv.client.call<unknown>('GET', `/api/v1/access/users/${dora.id}/reach`, undefined, { token: srv.token });
    expect(reach.status).toBe(200);
    expect(JSON.stringify(reach.body)).toContain('audit.view');
    const audited = (await srv.backend.store.audit.query({ action: 'access.group.members', limit: 50 })).filter(
      (a) => (a.detail as { source?: string }).source === 'directory',
    );
    expect(audited.map((a) => [a.targetId, (a.detail as { after: number[] }).after])).toEqual(
      expect.arrayContaining([
        [String(dispatch.body.id), [dora.id]],
        [String(canteen.body.id), []],
      ]),
    );
    expect(audited.length).toBe(2);
    // The next sign-in changes nothing (nothing audited again).
    expect((await login('dora', 'dora-directory-pw')).status).toBe(200);
    expect(
      (await srv.backend.store.audit.query({ action: 'access.group.members', limit: 50 })).filter(
        (a) => (a.detail as { source?: string }).source === 'directory',
      ).length,
    ).toBe(2);
  });

  it("a mapping's argusGroup names the access group (by directoryName) its members join", async () => {
    const team = await srv.client.call<{ id: number }>(
      'POST',
      '/api/v1/access/groups',
      { name: 'Investigations', directoryName: 'investigations-team' },
      { token: srv.token },
    );
    expect(team.status).toBe(201);
    expect((await login('ivan', 'ivan-directory-pw')).status).toBe(200);
    expect((await login('dora', 'dora-directory-pw')).status).toBe(200);
    const ivan = (await srv.backend.store.users.getByUsername('ivan'))!;
    const groups = (await srv.client.call<Array<{ id: number; memberIds: number[] }>>('GET', '/api/v1/access/groups', undefined, { token: srv.token })).body;
    expect(groups.find((g) => g.id === team.body.id)!.memberIds).toEqual([ivan.id]);
  });

  it('a wrong directory password is 401 and audited; the password never reaches the audit or the log', async () => {
    const r = await login('dora', 'dora-wrong-pw-123');
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('auth.invalid_credentials');
    const all = JSON.stringify(await srv.backend.store.audit.query({ limit: 1000 })) + srv.logs.join('\n');
    for (const secret of ['dora-wrong-pw-123', 'dora-directory-pw', 'search-account-pw']) expect(all).not.toContain(secret);
  });

  it('a directory user in no mapped group is refused (403, audited) and gets no Argus account', async () => {
    const r = await login('nobody', 'nobody-directory-pw');
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('ldap.no_group');
    expect(await srv.backend.store.users.getByUsername('nobody')).toBeNull();
    const failed = await srv.backend.store.audit.query({ action: 'auth.login_failed', limit: 50 });
    expect(failed.find((a) => (a.detail as { reason: string }).reason === 'no_group')?.detail).toMatchObject({
      username: 'nobody',
      groups: [group('canteen')],
    });
  });

  it('a filter injection is escaped (RFC 4515) and finds nobody: refused', async () => {
    expect(escapeFilterValue('*)(uid=*')).toBe('\\2a\\29\\28uid=\\2a');
    expect(fillFilter('(uid={username})', { username: 'a\\b(c)*\0' })).toBe('(uid=a\\5cb\\28c\\29\\2a\\00)');
    // Unescaped, "*)(uid=*" would match every entry and "dora*" any name starting with dora, with dora's password.
    for (const name of ['*)(uid=*', '*', 'dora*', 'dor*', '*)(|(uid=dora)']) {
      const r = await login(name, 'dora-directory-pw');
      expect(r.status, name).toBe(401);
    }
    expect((await srv.backend.store.users.list()).map((u) => u.username).sort()).toEqual(['admin', 'dora', 'ivan']);
  });

  it('directory down: a clear 503 naming the cause; local accounts still sign in', async () => {
    await ldap.stop();
    const r = await login('dora', 'dora-directory-pw');
    expect(r.status).toBe(503);
    expect(r.body.error.code).toBe('ldap.unavailable');
    expect(r.body.error.message).toMatch(/directory server cannot be used \(.*ECONNREFUSED/);
    expect((await srv.backend.store.audit.query({ action: 'auth.directory_unavailable', limit: 5 }))[0]?.detail).toMatchObject({ username: 'dora' });
    expect(srv.logs.some((l) => l.includes('directory sign-in unavailable'))).toBe(true);
    const admin = await login('admin', srv.adminPassword);
    expect(admin.status).toBe(200);
    expect(admin.body.user.role).toBe('admin');
  });
});

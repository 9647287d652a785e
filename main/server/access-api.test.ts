// HTTP API of access control (/access) against a real SQLite store: 401/403/400/404/409, grants taking effect on /auth/me, the two questions, audit rows.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ChannelAudienceView, GrantView, GroupView, UserReachView } from '../../common/access';
import type { AuditEntry, LoginResponse, UserInfo } from '../../common/api';
import type { DeviceView, OrgNodeView } from '../../common/devices';
import type { ErrorBody } from '../../common/errors';
import { startTestServer, type TestServer } from './test-support';

describe('access control API', () => {
  let t: TestServer;
  let admin: LoginResponse;
  let dispatcher: LoginResponse;
  let officerId: number;
  let node: OrgNodeView;
  let cam: DeviceView;

  beforeAll(async () => {
    t = await startTestServer();
    await t.addUser('admin', 'admin-password-1', 'admin');
    await t.addUser('disp', 'disp-password-1', 'dispatcher');
    officerId = (await t.addUser('off', 'off-password-1', 'officer')).id;
    admin = await t.login('admin', 'admin-password-1');
    dispatcher = await t.login('disp', 'disp-password-1');
    node = await json<OrgNodeView>(await a().post('/org/nodes', { parentId: 1, name: 'North' }), 201);
    cam = await json<DeviceView>(
      await a().post('/devices/rtsp', { nodeId: node.id, name: 'Gate', channels: [{ name: 'Gate 1', url: 'rtsp://10.0.0.9/x' }] }),
      201,
    );
  });
  afterAll(async () => {
    await t.close();
  });

  async function json<T>(r: Response, status: number): Promise<T> {
    const text = await r.text();
    expect(r.status, text).toBe(status);
    return (text ? JSON.parse(text) : undefined) as T;
  }
  const errorOf = async (r: Response, status: number) => (await json<ErrorBody>(r, status)).error;
  const as = (token?: string) => ({
    get: (p: string) => t.call('GET', `/api/v1${p}`, { token }),
    post: (p: string, body?: unknown) => t.call('POST', `/api/v1${p}`, { token, body }),
    patch: (p: string, body: unknown) => t.call('PATCH', `/api/v1${p}`, { token, body }),
    put: (p: string, body: unknown) => t.call('PUT', `/api/v1${p}`, { token, body }),
    del: (p: string) => t.call('DELETE', `/api/v1${p}`, { token }),
  });
  const a = () => as(admin.token);
  const audit = async (action: string) => (await json<AuditEntry[]>(await a().get(`/audit?action=${action}`), 200)).filter((e) => e.action === action);

  test('401 without a session, 403 for a role without access.manage', async () => {
    expect((await as().get('/access/grants')).status).toBe(401);
    expect((await as(dispatcher.token).get('/access/grants')).status).toBe(403);
    expect((await as(dispatcher.token).post('/access/grants', {})).status).toBe(403);
    expect((await as(dispatcher.token).get(`/access/channels/${cam.channels[0]!.id}/audience`)).status).toBe(403);
  });

  test('the role templates are listed: officers only on their own devices', async () => {
    const off = await json<GrantView[]>(await a().get('/access/grants?principalKind=role&role=officer'), 200);
    expect(off.map((g) => [g.right, g.scopeKind]).sort()).toEqual([
      ['alarms.handle', 'own'],
      ['alarms.view', 'own'],
      ['live.view', 'own'],
      ['map.positions', 'own'],
    ]);
    const adminGrants = await json<GrantView[]>(await a().get('/access/grants?principalKind=role&role=admin'), 200);
    expect(adminGrants.every((g) => g.scopeKind === 'node' && g.scopeId === 1)).toBe(true);
    expect(adminGrants.map((g) => g.right)).toContain('access.manage');
  });

  test('bodies are validated (400), unknown targets are 404, duplicates 409', async () => {
    expect(
      (await errorOf(await a().post('/access/grants', { principalKind: 'user', right: 'nope', scopeKind: 'node', effect: 'allow' }), 400)).fields?.[0]?.path,
    ).toBe('right');
    expect(
      (await errorOf(await a().post('/access/grants', { principalKind: 'user', right: 'live.view', scopeKind: 'node', scopeId: 1, effect: 'allow' }), 400))
        .fields?.[0]?.code,
    ).toBe('access.principal_required');
    const global = await errorOf(
      await a().post('/access/grants', {
        principalKind: 'user',
        principalId: officerId,
        right: 'audit.view',
        scopeKind: 'node',
        scopeId: node.id,
        effect: 'allow',
      }),
      400,
    );
    expect(global.fields?.[0]?.code).toBe('access.global_at_root');
    expect(
      (await errorOf(await a().post('/access/grants', { principalKind: 'user', principalId: 999, right: 'live.view', scopeKind: 'own', effect: 'allow' }), 404))
        .code,
    ).toBe('user.not_found');
    expect((await errorOf(await a().del('/access/grants/99999'), 404)).code).toBe('access.grant_not_found');
    expect((await errorOf(await a().put('/access/users/999/node', { nodeId: 1 }), 404)).code).toBe('user.not_found');
    expect((await errorOf(await a().put(`/access/users/${officerId}/node`, { nodeId: 999 }), 404)).code).toBe('org.node_not_found');
    expect((await errorOf(await a().put('/access/devices/999/users', { userIds: [] }), 404)).code).toBe('device.not_found');
    expect((await errorOf(await a().post('/access/groups', { name: '' }), 400)).fields?.[0]?.path).toBe('name');
    await json(await a().post('/access/groups', { name: 'Dup' }), 201);
    expect((await errorOf(await a().post('/access/groups', { name: 'Dup' }), 409)).code).toBe('access.group_name_taken');
  });

  test('a node grant reaches the officer: /auth/me rights, the audience and the reach answer it; audited with before and after', async () => {
    const off = await t.login('off', 'off-password-1');
    expect(off.user.rights).toEqual({ global: [], any: [] });
    const g = await json<GrantView>(
      await a().post('/access/grants', {
        principalKind: 'user',
        principalId: officerId,
        right: 'live.view',
        scopeKind: 'node',
        scopeId: node.id,
        effect: 'allow',
      }),
      201,
    );
    const me = await json<UserInfo>(await as(off.token).get('/auth/me'), 200);
    expect(me.rights?.any).toEqual(['live.view']);
    const channelId = cam.channels[0]!.id;
    const who = await json<ChannelAudienceView>(await a().get(`/access/channels/${channelId}/audience`), 200);
    const offRow = who.users.find((u) => u.userId === officerId)!;
    expect(offRow).toMatchObject({ allowed: true, allows: [{ grantId: g.id, principalKind: 'user', scopeKind: 'node', scopeId: node.id }], denies: [] });
    expect(who.users.find((u) => u.username === 'disp')).toMatchObject({ allowed: true, allows: [{ principalKind: 'role', role: 'dispatcher' }] });
    const reach = await json<UserReachView>(await a().get(`/access/users/${officerId}/reach`), 200);
    expect(reach.channels).toEqual({ right: 'live.view', all: false, ids: [channelId] });
    expect(reach.entries.some((e) => e.reason.grantId === g.id)).toBe(true);
    // A group deny on the channel wins.
    const grp = await json<GroupView>(await a().post('/access/groups', { name: 'Suspended', directoryName: 'cn=suspended,dc=example' }), 201);
    await json(await a().put(`/access/groups/${grp.id}/members`, { userIds: [officerId] }), 200);
    const deny = await json<GrantView>(
      await a().post('/access/grants', {
        principalKind: 'group',
        principalId: grp.id,
        right: 'live.view',
        scopeKind: 'channel',
        scopeId: channelId,
        effect: 'deny',
      }),
      201,
    );
    const after = await json<ChannelAudienceView>(await a().get(`/access/channels/${channelId}/audience`), 200);
    expect(after.users.find((u) => u.userId === officerId)).toMatchObject({ allowed: false, denies: [{ grantId: deny.id, principalKind: 'group' }] });
    // Deleting the group takes its deny along.
    expect((await a().del(`/access/groups/${grp.id}`)).status).toBe(204);
    expect((await json<GrantView[]>(await a().get(`/access/grants?principalKind=group`), 200)).some((x) => x.id === deny.id)).toBe(false);
    expect((await a().del(`/access/grants/${g.id}`)).status).toBe(204);
    expect((await json<UserInfo>(await as(off.token).get('/auth/me'), 200)).rights?.any).toEqual([]);

    const created = await audit('access.grant.create');
    expect(created.find((e) => e.targetId === String(g.id))).toMatchObject({
      username: 'admin',
      targetType: 'grant',
      detail: { before: null, after: { id: g.id, right: 'live.view' } },
    });
    expect((await audit('access.grant.delete')).find((e) => e.targetId === String(g.id))).toMatchObject({ detail: { before: { id: g.id }, after: null } });
    expect((await audit('access.group.members'))[0]).toMatchObject({ detail: { before: [], after: [officerId] } });
    expect((await audit('access.group.delete'))[0]).toMatchObject({ detail: { before: { name: 'Suspended', grants: [{ id: deny.id }] }, after: null } });
  });

  test("an officer's own unit and home node: set, read back, audited", async () => {
    expect(await json(await a().put(`/access/devices/${cam.id}/users`, { userIds: [officerId] }), 200)).toEqual({ deviceId: cam.id, userIds: [officerId] });
    expect(await json(await a().get(`/access/devices/${cam.id}/users`), 200)).toEqual({ deviceId: cam.id, userIds: [officerId] });
    const off = await t.login('off', 'off-password-1');
    expect(off.user.rights?.any.sort()).toEqual(['alarms.handle', 'alarms.view', 'live.view', 'map.positions']);
    expect(await json(await a().put(`/access/users/${officerId}/node`, { nodeId: node.id }), 200)).toEqual({ userId: officerId, nodeId: node.id });
    expect(await json(await a().get(`/access/users/${officerId}/node`), 200)).toEqual({ userId: officerId, nodeId: node.id });
    expect((await audit('access.user.node'))[0]).toMatchObject({ targetId: String(officerId), detail: { before: { nodeId: 1 }, after: { nodeId: node.id } } });
    expect((await audit('access.device.users'))[0]).toMatchObject({
      targetId: String(cam.id),
      detail: { before: { userIds: [] }, after: { userIds: [officerId] } },
    });
  });
});

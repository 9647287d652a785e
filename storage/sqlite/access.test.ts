// SQLite AccessRepo: the table's constraints, conflicts, and what deleting a node, channel, device or group does to grants and links.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROOT_NODE_ID } from '../../common/devices';
import type { NewGrant } from '../repos/access';
import { openTempStore, T0, type TempStore } from './test-utils';

const grant = (over: Partial<NewGrant>): NewGrant => ({
  principalKind: 'user',
  role: null,
  principalId: null,
  right: 'live.view',
  scopeKind: 'node',
  scopeId: ROOT_NODE_ID,
  effect: 'allow',
  ...over,
});

describe('SqliteAccessRepo', () => {
  let t: TempStore;
  let userId: number;
  let nodeId: number;
  let deviceId: number;
  let channelId: number;

  beforeEach(async () => {
    t = await openTempStore();
    userId = (await t.store.users.create({ username: 'o', passwordHash: 'scrypt$x', role: 'officer', displayName: '', disabled: false, createdMs: T0 })).id;
    nodeId = (await t.store.org.create({ parentId: ROOT_NODE_ID, name: 'North' }, T0)).id;
    const made = await t.store.devices.createWithChannels(
      {
        device: { nodeId, kind: 'rtsp', name: 'Gate' },
        channels: [
          { name: 'Gate 1', segmentSeconds: 60, retentionDays: 30, rtsp: { url: 'rtsp://x/', subUrl: null, username: null, password: null, transport: 'tcp' } },
        ],
      },
      T0,
    );
    deviceId = made.device.id;
    channelId = made.channels[0]!.id;
  });
  afterEach(async () => t.cleanup());

  it('migration 015 seeds the role templates and marks every right seeded', async () => {
    const grants = await t.store.access.listGrants();
    expect(grants.filter((g) => g.role === 'officer').every((g) => g.scopeKind === 'own' && g.scopeId === null)).toBe(true);
    expect(grants.find((g) => g.role === 'admin' && g.right === 'access.manage')).toMatchObject({ scopeKind: 'node', scopeId: ROOT_NODE_ID, effect: 'allow' });
    expect(await t.store.access.listSeededRights()).toContain('access.manage');
  });

  it('stores one principal and one scope per grant; refuses mixed rows and duplicates', async () => {
    const g = await t.store.access.createGrant(grant({ principalId: userId, scopeKind: 'channel', scopeId: channelId }), T0);
    expect(await t.store.access.getGrant(g.id)).toEqual({ ...g, createdMs: T0 });
    await expect(t.store.access.createGrant(grant({ principalId: userId, scopeKind: 'channel', scopeId: channelId }), T0)).rejects.toMatchObject({
      code: 'conflict',
      field: 'grant',
    });
    // The same grant as a deny is another row.
    await t.store.access.createGrant(grant({ principalId: userId, scopeKind: 'channel', scopeId: channelId, effect: 'deny' }), T0);
    await expect(t.store.access.createGrant(grant({ principalId: 999 }), T0)).rejects.toMatchObject({ code: 'not_found' });
    // The table's CHECKs: a role row without a role; a user row that also names a node.
    await expect(
      t.store.db.run(
        "INSERT INTO access_grants (principal_kind, right_name, scope_kind, scope_node_id, effect, created_ms) VALUES ('role', 'x', 'node', 1, 'allow', 0)",
      ),
    ).rejects.toThrow(/CHECK/);
    await expect(
      t.store.db.run(
        "INSERT INTO access_grants (principal_kind, user_id, principal_node_id, right_name, scope_kind, effect, created_ms) VALUES ('user', ?, 1, 'x', 'own', 'allow', 0)",
        [userId],
      ),
    ).rejects.toThrow(/CHECK/);
    await expect(
      t.store.db.run(
        "INSERT INTO access_grants (principal_kind, user_id, right_name, scope_kind, effect, created_ms) VALUES ('user', ?, 'x', 'node', 'allow', 0)",
        [userId],
      ),
    ).rejects.toThrow(/CHECK/);
    await expect(
      t.store.db.run(
        "INSERT INTO access_grants (principal_kind, user_id, right_name, scope_kind, effect, created_ms) VALUES ('user', ?, 'x', 'own', 'maybe', 0)",
        [userId],
      ),
    ).rejects.toThrow(/CHECK/);
  });

  it('deleting a channel, a device, a node or a group removes their grants and links; a deleted home node sends its users to the root', async () => {
    const onChannel = await t.store.access.createGrant(grant({ principalId: userId, scopeKind: 'channel', scopeId: channelId }), T0);
    const group = await t.store.access.createGroup({ name: 'Shift', directoryName: 'cn=shift' }, T0);
    await t.store.access.setMembers(group.id, [userId], T0);
    const ofGroup = await t.store.access.createGrant(grant({ principalKind: 'group', principalId: group.id }), T0);
    await t.store.access.setDeviceUsers(deviceId, [userId]);
    await t.store.access.setUserNode(userId, nodeId);
    expect(await t.store.access.listDeviceUsers()).toEqual([{ deviceId, userId }]);
    expect((await t.store.access.listUserNodes()).find((n) => n.userId === userId)?.nodeId).toBe(nodeId);

    expect(await t.store.devices.delete(deviceId)).toBe(true);
    expect(await t.store.access.getGrant(onChannel.id)).toBeNull();
    expect(await t.store.access.listDeviceUsers()).toEqual([]);

    const onNode = await t.store.access.createGrant(grant({ principalKind: 'node', principalId: nodeId, scopeId: nodeId }), T0);
    expect(await t.store.org.delete(nodeId)).toBe(true);
    expect(await t.store.access.getGrant(onNode.id)).toBeNull();
    expect((await t.store.access.listUserNodes()).find((n) => n.userId === userId)?.nodeId).toBeNull();

    expect(await t.store.access.listMembers()).toEqual([{ groupId: group.id, userId }]);
    expect(await t.store.access.deleteGroup(group.id)).toBe(true);
    expect(await t.store.access.getGrant(ofGroup.id)).toBeNull();
    expect(await t.store.access.listMembers()).toEqual([]);
  });

  it('groups: unique names and directory names; members must exist; seeding skips rows that exist', async () => {
    await t.store.access.createGroup({ name: 'A', directoryName: 'cn=a' }, T0);
    await expect(t.store.access.createGroup({ name: 'A' }, T0)).rejects.toMatchObject({ code: 'conflict', field: 'name' });
    await expect(t.store.access.createGroup({ name: 'B', directoryName: 'cn=a' }, T0)).rejects.toMatchObject({ code: 'conflict', field: 'directoryName' });
    const b = await t.store.access.createGroup({ name: 'B' }, T0);
    await expect(t.store.access.setMembers(b.id, [userId, 999], T0)).rejects.toMatchObject({ code: 'not_found', field: 'userIds' });
    expect(await t.store.access.listMembers()).toEqual([]);
    expect(await t.store.access.updateGroup(b.id, { directoryName: 'cn=b', description: 'night' }, T0 + 1)).toMatchObject({
      name: 'B',
      directoryName: 'cn=b',
      description: 'night',
      updatedMs: T0 + 1,
    });
    const before = (await t.store.access.listGrants()).length;
    await t.store.access.seedRight('live.view', [grant({ principalKind: 'role', role: 'admin' })], T0);
    expect((await t.store.access.listGrants()).length).toBe(before);
  });
});

// SQLite AccessRepo (migration 015): grants, groups and their members, users' home nodes, devices' assigned users.
import type { Effect, PrincipalKind, ScopeKind } from '../../common/access';
import type { Role } from '../../common/api';
import type { AccessRepo, GrantRow, GroupPatch, GroupRow, NewGrant, NewGroup } from '../repos/access';
import { StorageError } from '../repositories';
import type { Db } from './db';
import { ms } from './mapping';

interface GrantDbRow {
  id: number;
  principal_kind: PrincipalKind;
  role: Role | null;
  user_id: number | null;
  group_id: number | null;
  principal_node_id: number | null;
  right_name: string;
  scope_kind: ScopeKind;
  scope_node_id: number | null;
  scope_channel_id: number | null;
  effect: Effect;
  created_ms: number;
}

interface GroupDbRow {
  id: number;
  name: string;
  description: string;
  directory_name: string | null;
  created_ms: number;
  updated_ms: number;
}

const GRANT_COLUMNS =
  'id, principal_kind, role, user_id, group_id, principal_node_id, right_name, scope_kind, scope_node_id, scope_channel_id, effect, created_ms';
const GROUP_COLUMNS = 'id, name, description, directory_name, created_ms, updated_ms';

function toGrant(r: GrantDbRow): GrantRow {
  return {
    id: r.id,
    principalKind: r.principal_kind,
    role: r.role,
    principalId: r.user_id ?? r.group_id ?? r.principal_node_id,
    right: r.right_name,
    scopeKind: r.scope_kind,
    scopeId: r.scope_node_id ?? r.scope_channel_id,
    effect: r.effect,
    createdMs: r.created_ms,
  };
}

const toGroup = (r: GroupDbRow): GroupRow => ({
  id: r.id,
  name: r.name,
  description: r.description,
  directoryName: r.directory_name,
  createdMs: r.created_ms,
  updatedMs: r.updated_ms,
});

/** The principal and scope columns of a grant (exactly the one its kind names; the table's CHECKs enforce it too). */
function grantParams(g: NewGrant): Array<string | number | null> {
  const p = g.principalKind;
  const sc = g.scopeKind;
  return [
    p,
    p === 'role' ? g.role : null,
    p === 'user' ? g.principalId : null,
    p === 'group' ? g.principalId : null,
    p === 'node' ? g.principalId : null,
    g.right,
    sc,
    sc === 'node' ? g.scopeId : null,
    sc === 'channel' ? g.scopeId : null,
    g.effect,
  ];
}

const isUnique = (e: unknown) => e instanceof Error && /UNIQUE constraint failed/.test(e.message);
const isForeignKey = (e: unknown) => e instanceof Error && /FOREIGN KEY constraint failed/.test(e.message);

export class SqliteAccessRepo implements AccessRepo {
  constructor(private readonly db: Db) {}

  async listGrants(): Promise<GrantRow[]> {
    return (await this.db.all<GrantDbRow>(`SELECT ${GRANT_COLUMNS} FROM access_grants ORDER BY id`)).map(toGrant);
  }

  async getGrant(id: number): Promise<GrantRow | null> {
    const r = await this.db.get<GrantDbRow>(`SELECT ${GRANT_COLUMNS} FROM access_grants WHERE id = ?`, [id]);
    return r ? toGrant(r) : null;
  }

  async createGrant(g: NewGrant, nowMs: number): Promise<GrantRow> {
    try {
      const r = await this.db.get<GrantDbRow>(
        `INSERT INTO access_grants (principal_kind, role, user_id, group_id, principal_node_id, right_name, scope_kind, scope_node_id, scope_channel_id, effect, created_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING ${GRANT_COLUMNS}`,
        [...grantParams(g), ms(nowMs)],
      );
      return toGrant(r!);
    } catch (e) {
      if (isUnique(e) || (e instanceof StorageError && e.code === 'conflict')) throw new StorageError('conflict', 'this grant exists already', 'grant');
      if (isForeignKey(e)) throw new StorageError('not_found', 'the principal or the scope of the grant does not exist', 'grant');
      throw e;
    }
  }

  async deleteGrant(id: number): Promise<GrantRow | null> {
    const r = await this.db.get<GrantDbRow>(`DELETE FROM access_grants WHERE id = ? RETURNING ${GRANT_COLUMNS}`, [id]);
    return r ? toGrant(r) : null;
  }

  async listGroups(): Promise<GroupRow[]> {
    return (await this.db.all<GroupDbRow>(`SELECT ${GROUP_COLUMNS} FROM access_groups ORDER BY name, id`)).map(toGroup);
  }

  async getGroup(id: number): Promise<GroupRow | null> {
    const r = await this.db.get<GroupDbRow>(`SELECT ${GROUP_COLUMNS} FROM access_groups WHERE id = ?`, [id]);
    return r ? toGroup(r) : null;
  }

  async createGroup(g: NewGroup, nowMs: number): Promise<GroupRow> {
    const r = await this.db.get<GroupDbRow>(
      `INSERT INTO access_groups (name, description, directory_name, created_ms, updated_ms) VALUES (?, ?, ?, ?, ?) RETURNING ${GROUP_COLUMNS}`,
      [g.name, g.description ?? '', g.directoryName ?? null, ms(nowMs), ms(nowMs)],
    );
    return toGroup(r!);
  }

  async updateGroup(id: number, patch: GroupPatch, nowMs: number): Promise<GroupRow | null> {
    const r = await this.db.get<GroupDbRow>(
      `UPDATE access_groups SET name = coalesce(?, name), description = coalesce(?, description),
         directory_name = CASE WHEN ? THEN ? ELSE directory_name END, updated_ms = ? WHERE id = ? RETURNING ${GROUP_COLUMNS}`,
      [patch.name ?? null, patch.description ?? null, patch.directoryName !== undefined ? 1 : 0, patch.directoryName ?? null, ms(nowMs), id],
    );
    return r ? toGroup(r) : null;
  }

  async deleteGroup(id: number): Promise<boolean> {
    return (await this.db.run('DELETE FROM access_groups WHERE id = ?', [id])).changes > 0;
  }

  async listMembers(): Promise<Array<{ groupId: number; userId: number }>> {
    return this.db.all<{ groupId: number; userId: number }>(
      'SELECT group_id AS groupId, user_id AS userId FROM access_group_members ORDER BY group_id, user_id',
    );
  }

  async setMembers(groupId: number, userIds: readonly number[], nowMs: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      if (!(await tx.get('SELECT 1 AS x FROM access_groups WHERE id = ?', [groupId]))) throw new StorageError('not_found', 'no such group', 'groupId');
      await tx.run('DELETE FROM access_group_members WHERE group_id = ?', [groupId]);
      for (const u of new Set(userIds)) {
        try {
          await tx.run('INSERT INTO access_group_members (group_id, user_id) VALUES (?, ?)', [groupId, u]);
        } catch (e) {
          if (isForeignKey(e)) throw new StorageError('not_found', `user ${u} does not exist`, 'userIds');
          throw e;
        }
      }
      await tx.run('UPDATE access_groups SET updated_ms = ? WHERE id = ?', [ms(nowMs), groupId]);
    });
  }

  async listUserNodes(): Promise<Array<{ userId: number; nodeId: number | null }>> {
    return this.db.all<{ userId: number; nodeId: number | null }>('SELECT id AS userId, node_id AS nodeId FROM users ORDER BY id');
  }

  async setUserNode(userId: number, nodeId: number | null): Promise<boolean> {
    try {
      return (await this.db.run('UPDATE users SET node_id = ? WHERE id = ?', [nodeId, userId])).changes > 0;
    } catch (e) {
      if (isForeignKey(e)) throw new StorageError('not_found', `organisation node ${nodeId} does not exist`, 'nodeId');
      throw e;
    }
  }

  async listDeviceUsers(): Promise<Array<{ deviceId: number; userId: number }>> {
    return this.db.all<{ deviceId: number; userId: number }>('SELECT device_id AS deviceId, user_id AS userId FROM device_users ORDER BY device_id, user_id');
  }

  async setDeviceUsers(deviceId: number, userIds: readonly number[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      if (!(await tx.get('SELECT 1 AS x FROM devices WHERE id = ?', [deviceId]))) throw new StorageError('not_found', 'no such device', 'deviceId');
      await tx.run('DELETE FROM device_users WHERE device_id = ?', [deviceId]);
      for (const u of new Set(userIds)) {
        try {
          await tx.run('INSERT INTO device_users (device_id, user_id) VALUES (?, ?)', [deviceId, u]);
        } catch (e) {
          if (isForeignKey(e)) throw new StorageError('not_found', `user ${u} does not exist`, 'userIds');
          throw e;
        }
      }
    });
  }

  async listSeededRights(): Promise<string[]> {
    return (await this.db.all<{ r: string }>('SELECT right_name AS r FROM access_seeded_rights ORDER BY right_name')).map((x) => x.r);
  }

  async seedRight(right: string, defaults: readonly NewGrant[], nowMs: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const g of defaults) {
        await tx.run(
          `INSERT OR IGNORE INTO access_grants (principal_kind, role, user_id, group_id, principal_node_id, right_name, scope_kind, scope_node_id, scope_channel_id, effect, created_ms)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [...grantParams(g), ms(nowMs)],
        );
      }
      await tx.run('INSERT OR IGNORE INTO access_seeded_rights (right_name) VALUES (?)', [right]);
    });
  }
}

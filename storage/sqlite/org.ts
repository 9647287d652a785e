// SQLite OrgRepo: the organisation tree (org_nodes, materialised path '/1/4/9/') of docs/design/devices.md.
import { ORG_MAX_DEPTH, ROOT_NODE_ID } from '../../common/devices';
import { StorageError } from '../repositories';
import { OrgTreeError, type NewOrgNode, type OrgNodePatch, type OrgNodeRow, type OrgRepo } from '../repos/devices';
import type { Db } from './db';
import { ms } from './mapping';

interface NodeDbRow {
  id: number;
  parent_id: number | null;
  name: string;
  code: string | null;
  path: string;
  depth: number;
  sort_order: number;
  created_ms: number;
  updated_ms: number;
}

const COLUMNS = 'id, parent_id, name, code, path, depth, sort_order, created_ms, updated_ms';

/** '/1/4/9/' → [1, 4, 9]. */
export function parsePath(path: string): number[] {
  return path
    .split('/')
    .filter((p) => p !== '')
    .map(Number);
}

function toRow(r: NodeDbRow): OrgNodeRow {
  return {
    id: r.id,
    parentId: r.parent_id,
    name: r.name,
    code: r.code,
    path: parsePath(r.path),
    depth: r.depth,
    sortOrder: r.sort_order,
    createdMs: r.created_ms,
    updatedMs: r.updated_ms,
  };
}

/** Depth-first order from `rootId`: siblings by sortOrder, then name, then id. Rows outside the subtree are dropped. */
function treeOrder(rows: OrgNodeRow[], rootId: number): OrgNodeRow[] {
  const children = new Map<number, OrgNodeRow[]>();
  for (const r of rows) {
    if (r.parentId === null) continue;
    const list = children.get(r.parentId) ?? [];
    list.push(r);
    children.set(r.parentId, list);
  }
  for (const list of children.values()) list.sort((a, b) => a.sortOrder - b.sortOrder || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) || a.id - b.id);
  const out: OrgNodeRow[] = [];
  const start = rows.find((r) => r.id === rootId);
  if (!start) return out;
  const stack = [start];
  while (stack.length > 0) {
    const n = stack.pop()!;
    out.push(n);
    const kids = children.get(n.id) ?? [];
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
  return out;
}

/** UNIQUE failures of org_nodes name the first indexed column; say which field the caller got wrong. */
function conflict(err: unknown, n: { name?: string; code?: string | null }): unknown {
  if (!(err instanceof StorageError) || err.code !== 'conflict') return err;
  const e =
    err.field === 'code'
      ? new StorageError('conflict', `another organisation node has the code "${n.code}"`, 'code')
      : new StorageError('conflict', `a node named "${n.name}" already exists there`, 'name');
  e.cause = err;
  return e;
}

export class SqliteOrgRepo implements OrgRepo {
  constructor(private readonly db: Db) {}

  async list(): Promise<OrgNodeRow[]> {
    return treeOrder((await this.db.all<NodeDbRow>(`SELECT ${COLUMNS} FROM org_nodes`)).map(toRow), ROOT_NODE_ID);
  }

  async get(id: number): Promise<OrgNodeRow | null> {
    const r = await this.db.get<NodeDbRow>(`SELECT ${COLUMNS} FROM org_nodes WHERE id = ?`, [id]);
    return r ? toRow(r) : null;
  }

  async subtree(id: number): Promise<OrgNodeRow[]> {
    const rows = await this.db.all<NodeDbRow>(`SELECT ${COLUMNS} FROM org_nodes WHERE path GLOB (SELECT path FROM org_nodes WHERE id = ?) || '*'`, [id]);
    return treeOrder(rows.map(toRow), id);
  }

  async childByName(parentId: number, name: string): Promise<OrgNodeRow | null> {
    const r = await this.db.get<NodeDbRow>(`SELECT ${COLUMNS} FROM org_nodes WHERE parent_id = ? AND name = ?`, [parentId, name]);
    return r ? toRow(r) : null;
  }

  async create(n: NewOrgNode, nowMs: number): Promise<OrgNodeRow> {
    try {
      return await this.db.transaction(async (tx) => {
        const parent = await tx.get<NodeDbRow>(`SELECT ${COLUMNS} FROM org_nodes WHERE id = ?`, [n.parentId]);
        if (!parent) throw new OrgTreeError('parent_not_found', `organisation node ${n.parentId} does not exist`);
        if (parent.depth + 1 > ORG_MAX_DEPTH) throw new OrgTreeError('too_deep', `the tree may be at most ${ORG_MAX_DEPTH} levels deep`);
        // Node ids come from their own counter and are never reused (a grant on a deleted node must not cover a new one).
        const c = await tx.get<{ id: number }>("UPDATE id_counter SET next = next + 1 WHERE name = 'org' RETURNING next - 1 AS id");
        if (!c) throw new Error('[storage] id_counter has no row "org" (migration 014 not applied?)');
        const id = c.id;
        await tx.run(
          `INSERT INTO org_nodes (id, parent_id, name, code, path, depth, sort_order, created_ms, updated_ms)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [id, n.parentId, n.name, n.code ?? null, `${parent.path}${id}/`, parent.depth + 1, n.sortOrder ?? 0, ms(nowMs), ms(nowMs)],
        );
        return toRow((await tx.get<NodeDbRow>(`SELECT ${COLUMNS} FROM org_nodes WHERE id = ?`, [id]))!);
      });
    } catch (err) {
      throw conflict(err, n);
    }
  }

  async update(id: number, patch: OrgNodePatch, nowMs: number): Promise<OrgNodeRow | null> {
    try {
      return await this.db.transaction(async (tx) => {
        const node = await tx.get<NodeDbRow>(`SELECT ${COLUMNS} FROM org_nodes WHERE id = ?`, [id]);
        if (!node) return null;
        if (patch.parentId !== undefined && patch.parentId !== node.parent_id) await this.move(tx, node, patch.parentId);
        const sets: string[] = [];
        const params: Array<string | number | null> = [];
        if (patch.name !== undefined) (sets.push('name = ?'), params.push(patch.name));
        if (patch.code !== undefined) (sets.push('code = ?'), params.push(patch.code));
        if (patch.sortOrder !== undefined) (sets.push('sort_order = ?'), params.push(patch.sortOrder));
        sets.push('updated_ms = ?');
        params.push(ms(nowMs));
        const r = await tx.get<NodeDbRow>(`UPDATE org_nodes SET ${sets.join(', ')} WHERE id = ? RETURNING ${COLUMNS}`, [...params, id]);
        return toRow(r!);
      });
    } catch (err) {
      throw conflict(err, patch);
    }
  }

  /** Moves `node` and its subtree under `parentId` (inside the caller's transaction). */
  private async move(tx: Db, node: NodeDbRow, parentId: number): Promise<void> {
    if (node.id === ROOT_NODE_ID) throw new OrgTreeError('root', 'the root node cannot be moved');
    const parent = await tx.get<NodeDbRow>(`SELECT ${COLUMNS} FROM org_nodes WHERE id = ?`, [parentId]);
    if (!parent) throw new OrgTreeError('parent_not_found', `organisation node ${parentId} does not exist`);
    if (parent.path.startsWith(node.path)) throw new OrgTreeError('cycle', 'a node cannot move under itself or one of its descendants');
    const deepest = await tx.get<{ d: number }>(`SELECT max(depth) AS d FROM org_nodes WHERE path GLOB ? || '*'`, [node.path]);
    const delta = parent.depth + 1 - node.depth;
    if ((deepest?.d ?? node.depth) + delta > ORG_MAX_DEPTH) throw new OrgTreeError('too_deep', `the tree may be at most ${ORG_MAX_DEPTH} levels deep`);
    const newPrefix = `${parent.path}${node.id}/`;
    // No rewritten path can collide with an existing one: every path holding this node's id is in its subtree.
    await tx.run(`UPDATE org_nodes SET path = ? || substr(path, length(?) + 1), depth = depth + ? WHERE path GLOB ? || '*'`, [
      newPrefix,
      node.path,
      delta,
      node.path,
    ]);
    await tx.run('UPDATE org_nodes SET parent_id = ? WHERE id = ?', [parentId, node.id]);
  }

  async delete(id: number): Promise<boolean> {
    if (id === ROOT_NODE_ID) throw new OrgTreeError('root', 'the root node cannot be deleted');
    return this.db.transaction(async (tx) => {
      const node = await tx.get<{ id: number }>('SELECT id FROM org_nodes WHERE id = ?', [id]);
      if (!node) return false;
      const used = await tx.get<{ n: number }>(
        'SELECT (SELECT count(*) FROM org_nodes WHERE parent_id = ?) + (SELECT count(*) FROM devices WHERE node_id = ?) AS n',
        [id, id],
      );
      if ((used?.n ?? 0) > 0) throw new OrgTreeError('not_empty', `organisation node ${id} still holds nodes or devices`);
      return (await tx.run('DELETE FROM org_nodes WHERE id = ?', [id])).changes > 0;
    });
  }
}

/**
 * The node an old group name means (deprecated camera/unit API): the root's child with that trimmed name, created
 * when missing; the root for null or blank. Inside the caller's transaction.
 */
export async function groupNodeId(tx: Db, groupName: string | null, nowMs: number): Promise<number> {
  const name = groupName?.trim() ?? '';
  if (name === '') return ROOT_NODE_ID;
  const found = await tx.get<{ id: number }>('SELECT id FROM org_nodes WHERE parent_id = ? AND name = ?', [ROOT_NODE_ID, name]);
  if (found) return found.id;
  return (await new SqliteOrgRepo(tx).create({ parentId: ROOT_NODE_ID, name }, nowMs)).id;
}

/** SQL expression of a device's old group name, given the alias of its org_nodes row: null at the root. */
export const groupNameSql = (alias: string): string => `CASE WHEN ${alias}.id = ${ROOT_NODE_ID} THEN NULL ELSE ${alias}.name END`;

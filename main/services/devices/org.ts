// Edits of the organisation tree (invariant 10): create, rename/recode/reorder, move with the subtree, delete an empty node; each audited.
import { ErrorKind } from '../../../common/errors';
import { msg } from '../../../common/messages';
import { ORG_MAX_DEPTH, ROOT_NODE_ID, type OrgNodeCreate, type OrgNodeUpdate, type OrgNodeView } from '../../../common/devices';
import { StorageError } from '../../../storage/repositories';
import { OrgTreeError, type OrgNodePatch, type OrgTreeRefusal } from '../../../storage/repos/devices';
import type { Actor } from '../../platform/actor';
import { DomainError } from '../../platform/errors';
import type { DeviceService } from './service';
import type { MoveProblem } from './tree';

/** The domain error of a refused tree change. */
export function treeRefusal(reason: OrgTreeRefusal | MoveProblem, nodeId: number, parentId?: number): DomainError {
  switch (reason) {
    case 'root':
      return new DomainError(ErrorKind.BadRequest, msg('org.root'));
    case 'cycle':
      return DomainError.conflict('parentId', msg('org.cycle'));
    case 'too_deep':
      return DomainError.conflict('parentId', msg('org.too_deep', { max: ORG_MAX_DEPTH }));
    case 'not_empty':
      return new DomainError(ErrorKind.Conflict, msg('org.node_not_empty'));
    case 'parent_not_found':
      return DomainError.notFound(msg('org.parent_not_found', { id: parentId ?? nodeId }));
    case 'not_found':
      return DomainError.notFound(msg('org.node_not_found', { id: nodeId }));
  }
}

/** Storage's refusals in domain terms (a racing duplicate name or code, a tree rule the repository enforces). */
function fromStorage(e: unknown, nodeId: number, name?: string, code?: string | null, parentId?: number): unknown {
  if (e instanceof OrgTreeError) return treeRefusal(e.reason, nodeId, parentId);
  if (e instanceof StorageError && e.code === 'conflict') {
    if (e.field === 'code') return DomainError.conflict('code', msg('org.code_taken', { code: code ?? '' }));
    return DomainError.conflict('name', msg('org.name_taken', { name: name ?? '' }));
  }
  return e;
}

export class OrgEditor {
  constructor(private readonly svc: DeviceService) {}

  private async audit(actor: Actor, action: string, id: number, detail: unknown): Promise<void> {
    await this.svc.deps.audit.record({ actor, action, targetType: 'org_node', targetId: id, detail, ip: actor.kind === 'user' ? actor.ip : null });
  }

  private checkCodeFree(code: string | null | undefined, exceptId?: number): void {
    if (!code) return;
    const other = this.svc.tree.allNodes().find((n) => n.code === code && n.id !== exceptId);
    if (other) throw DomainError.conflict('code', msg('org.code_taken', { code }));
  }

  async create(body: OrgNodeCreate, actor: Actor): Promise<OrgNodeView> {
    return this.svc.serial(async () => {
      const tree = this.svc.tree;
      if (!tree.node(body.parentId)) throw treeRefusal('parent_not_found', body.parentId, body.parentId);
      if (!tree.canAddChild(body.parentId)) throw treeRefusal('too_deep', body.parentId);
      if (tree.siblingNamed(body.parentId, body.name)) throw DomainError.conflict('name', msg('org.name_taken', { name: body.name }));
      this.checkCodeFree(body.code);
      const row = await this.svc.deps.repos.org
        .create({ parentId: body.parentId, name: body.name, code: body.code ?? null, sortOrder: body.sortOrder ?? 0 }, this.svc.now())
        .catch((e: unknown) => Promise.reject(fromStorage(e, body.parentId, body.name, body.code, body.parentId)));
      tree.putNode({ id: row.id, parentId: row.parentId, name: row.name, code: row.code, sortOrder: row.sortOrder });
      await this.audit(actor, 'org.create', row.id, { name: row.name, code: row.code, parentId: row.parentId, path: row.path });
      this.svc.treeChanged();
      return this.svc.node(row.id);
    });
  }

  /** Renames, recodes, reorders and/or moves a node (with its subtree and devices). */
  async update(id: number, body: OrgNodeUpdate, actor: Actor): Promise<OrgNodeView> {
    return this.svc.serial(async () => {
      const tree = this.svc.tree;
      const before = tree.node(id);
      if (!before) throw treeRefusal('not_found', id);
      const patch: OrgNodePatch = {};
      const moving = body.parentId !== undefined && body.parentId !== before.parentId;
      if (moving) {
        const problem = tree.checkMove(id, body.parentId!);
        if (problem) throw treeRefusal(problem, id, body.parentId);
        patch.parentId = body.parentId;
      }
      const parentId = moving ? body.parentId! : before.parentId;
      const name = body.name ?? before.name;
      if ((moving || name !== before.name) && parentId !== null && tree.siblingNamed(parentId, name, id))
        throw DomainError.conflict('name', msg('org.name_taken', { name }));
      if (body.name !== undefined && body.name !== before.name) patch.name = body.name;
      if (body.code !== undefined && body.code !== before.code) {
        this.checkCodeFree(body.code, id);
        patch.code = body.code;
      }
      if (body.sortOrder !== undefined && body.sortOrder !== before.sortOrder) patch.sortOrder = body.sortOrder;
      if (Object.keys(patch).length === 0) return this.svc.node(id);
      const fromPath = tree.pathOf(id);
      const row = await this.svc.deps.repos.org
        .update(id, patch, this.svc.now())
        .catch((e: unknown) => Promise.reject(fromStorage(e, id, name, body.code, body.parentId)));
      if (!row) throw treeRefusal('not_found', id);
      if (moving)
        await this.svc.reload(); // paths of the whole subtree changed
      else tree.putNode({ id: row.id, parentId: row.parentId, name: row.name, code: row.code, sortOrder: row.sortOrder });
      if (moving)
        await this.audit(actor, 'org.move', id, {
          name: row.name,
          from: { parentId: before.parentId, path: fromPath },
          to: { parentId: row.parentId, path: row.path },
        });
      const changes: Record<string, unknown> = {};
      for (const k of ['name', 'code', 'sortOrder'] as const) if (patch[k] !== undefined) changes[k] = { from: before[k], to: row[k] };
      if (Object.keys(changes).length > 0) await this.audit(actor, 'org.update', id, { name: row.name, changes });
      this.svc.treeChanged();
      return this.svc.node(id);
    });
  }

  /** Deletes an empty node (no child nodes, no devices); never the root. */
  async delete(id: number, actor: Actor): Promise<void> {
    return this.svc.serial(async () => {
      const tree = this.svc.tree;
      const n = tree.node(id);
      if (id === ROOT_NODE_ID) throw treeRefusal('root', id);
      if (!n) throw treeRefusal('not_found', id);
      if (tree.hasContent(id)) throw treeRefusal('not_empty', id);
      const deleted = await this.svc.deps.repos.org.delete(id).catch((e: unknown) => Promise.reject(fromStorage(e, id)));
      if (!deleted) throw treeRefusal('not_found', id);
      const path = tree.pathOf(id);
      tree.removeNode(id);
      await this.audit(actor, 'org.delete', id, { name: n.name, code: n.code, parentId: n.parentId, path });
      this.svc.treeChanged();
    });
  }
}

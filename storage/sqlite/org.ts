// SQLite OrgRepo: the organisation tree (org_nodes, materialised path) of docs/design/devices.md.
import type { NewOrgNode, OrgNodePatch, OrgNodeRow, OrgRepo } from '../repos/devices';
import type { Db } from './db';

const notYet = (): never => {
  throw new Error('OrgRepo: not implemented yet');
};

export class SqliteOrgRepo implements OrgRepo {
  constructor(private readonly db: Db) {}
  list(): Promise<OrgNodeRow[]> { return notYet(); }
  get(_id: number): Promise<OrgNodeRow | null> { return notYet(); }
  subtree(_id: number): Promise<OrgNodeRow[]> { return notYet(); }
  childByName(_parentId: number, _name: string): Promise<OrgNodeRow | null> { return notYet(); }
  create(_n: NewOrgNode, _nowMs: number): Promise<OrgNodeRow> { return notYet(); }
  update(_id: number, _patch: OrgNodePatch, _nowMs: number): Promise<OrgNodeRow | null> { return notYet(); }
  delete(_id: number): Promise<boolean> { return notYet(); }
}

// Search of the organisation tree: case-insensitive substring over node name/code, device name/code/callsign/serial/plate, channel name/code.
import type { OrgSearchHit } from '../../../common/devices';
import type { OrgTreeIndex } from './tree';

export const DEFAULT_SEARCH_LIMIT = 50;

const hit = (q: string, ...values: Array<string | null>) => values.some((v) => v !== null && v !== '' && v.toLocaleLowerCase().includes(q));

/**
 * At most `limit` hits, in tree order: nodes (depth-first), then devices, then channels, each with the node path from the
 * root (a device's and a channel's path is its device's node's) so the console can expand the tree to it.
 */
export function searchTree(tree: OrgTreeIndex, query: string, limit = DEFAULT_SEARCH_LIMIT): OrgSearchHit[] {
  const q = query.trim().toLocaleLowerCase();
  if (q === '' || limit <= 0) return [];
  const out: OrgSearchHit[] = [];
  const root = tree.allNodes().find((n) => n.parentId === null);
  const nodes = root ? tree.subtree(root.id) : [];
  for (const n of nodes) {
    if (out.length >= limit) return out;
    if (hit(q, n.name, n.code)) out.push({ kind: 'node', id: n.id, name: n.name, code: n.code, path: tree.pathOf(n.id) });
  }
  const devices = nodes.flatMap((n) => tree.devicesOf(n.id));
  for (const d of devices) {
    if (out.length >= limit) return out;
    if (hit(q, d.name, d.code, d.callsign, d.serial, d.plate))
      out.push({ kind: 'device', id: d.id, name: d.name, code: d.code, callsign: d.callsign, path: tree.pathOf(d.nodeId) });
  }
  for (const d of devices) {
    for (const c of tree.channelsOf(d.id)) {
      if (out.length >= limit) return out;
      if (hit(q, c.name, c.code)) out.push({ kind: 'channel', id: c.id, deviceId: d.id, name: c.name, code: c.code, path: tree.pathOf(d.nodeId) });
    }
  }
  return out;
}

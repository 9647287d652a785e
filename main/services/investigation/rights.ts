// Who may see and do what in the investigation feature (issue 13): recordings per channel, cases per organisation node, and which events a console receives.
import { msg } from '../../../common/messages';
import { ErrorKind } from '../../../common/errors';
import type { Bookmark, ExportJob, InvestigationServerEvent, Snapshot } from '../../../common/investigation';
import { DomainError } from '../../platform/errors';
import { ROOT_NODE_ID } from '../../../common/devices';
import type { OrgScopes, UserAccess } from '../contracts';

/** Whose rights limit a call: a user's effective rights (routes, raw endpoints), or null for the system (alarm rule actions). */
export type Viewer = UserAccess | null;

/**
 * A user's rights as the investigation feature asks them: recordings outlive their channels, so a channel no longer in
 * the organisation tree (deleted, its evidence kept) is judged at the root (allowed there and not denied there).
 */
export function recordingsAccess(a: UserAccess, org: OrgScopes | ((channelId: number) => boolean)): UserAccess {
  const known = typeof org === 'function' ? org : (channelId: number) => org.scopeOf({ channelId }) !== null;
  return {
    userId: a.userId,
    global: (right) => a.global(right),
    any: (right) => a.any(right),
    channel: (right, channelId) => (known(channelId) ? a.channel(right, channelId) : a.node(right, ROOT_NODE_ID)),
    device: (right, deviceId) => a.device(right, deviceId),
    node: (right, nodeId) => a.node(right, nodeId),
    channels: (right) => a.channels(right),
    devices: (right) => a.devices(right),
  };
}

/** recordings.view on the channel: its playback, timeline, frames, bookmarks and snapshots. */
export const mayViewChannel = (v: Viewer, channelId: number): boolean => v === null || v.channel('recordings.view', channelId);

/** cases.manage on the case's node or above (inherited down the tree). */
export const mayCase = (v: Viewer, nodeId: number): boolean => v === null || v.node('cases.manage', nodeId);

/** A bookmark or snapshot: its channel's recordings, and its case when it is filed in one (`caseNodeId`: that case's node). */
export const mayItem = (v: Viewer, item: { cameraId: number }, caseNodeId: number | null): boolean =>
  mayViewChannel(v, item.cameraId) && (caseNodeId === null || mayCase(v, caseNodeId));

/** An export: its case, and the recordings of every channel it packs. */
export const mayExportJob = (v: Viewer, job: Pick<ExportJob, 'request'>, caseNodeId: number): boolean =>
  mayCase(v, caseNodeId) && job.request.sources.every((s) => mayViewChannel(v, s.cameraId));

type ForbiddenCode = 'recordings.forbidden' | 'case.forbidden' | 'case.node_forbidden' | 'export.forbidden' | 'snapshot.forbidden';
const forbidden = (code: ForbiddenCode, id: number) => new DomainError(ErrorKind.Forbidden, msg(code, { id }));

export function requireChannel(v: Viewer, channelId: number): void {
  if (!mayViewChannel(v, channelId)) throw forbidden('recordings.forbidden', channelId);
}

export function requireCase(v: Viewer, c: { id: number; nodeId: number }): void {
  if (!mayCase(v, c.nodeId)) throw forbidden('case.forbidden', c.id);
}

export function requireExportRight(v: Viewer, channelId: number): void {
  if (v !== null && !v.channel('export', channelId)) throw forbidden('export.forbidden', channelId);
}

export function requireSnapshotRight(v: Viewer, channelId: number): void {
  if (v !== null && !v.channel('snapshot', channelId)) throw forbidden('snapshot.forbidden', channelId);
}

/** A new case's node: the one asked for (the creator must hold cases.manage on it), or the creator's home node. */
export function requireCaseNode(v: Viewer, nodeId: number): void {
  if (!mayCase(v, nodeId)) throw forbidden('case.node_forbidden', nodeId);
}

/**
 * Whether a console receives an investigation event: the same rules as the routes (a bookmark or snapshot with its
 * channel and case, an export with its case and channels, a case with its node; a download only to its user).
 */
export function mayReceiveInvestigationEvent(ev: InvestigationServerEvent, userId: number, given: UserAccess): boolean {
  const retired = 'retired' in ev ? ev.retired : [];
  const access = retired.length > 0 ? recordingsAccess(given, (id) => !retired.includes(id)) : given;
  switch (ev.type) {
    case 'investigation.bookmark':
      return mayItem(access, ev.bookmark, ev.caseNodeId);
    case 'investigation.snapshot':
      return mayItem(access, ev.snapshot, ev.caseNodeId);
    case 'investigation.export':
      return mayExportJob(access, ev.export, ev.caseNodeId);
    case 'investigation.case':
      return mayCase(access, ev.nodeId);
    case 'investigation.download':
      return ev.download.userId === userId;
    default: {
      const never: never = ev;
      throw new Error(`unexpected event ${JSON.stringify(never)}`);
    }
  }
}

/** Keeps the items a viewer may see, looking each case's node up once. */
export async function visibleItems<T extends Bookmark | Snapshot>(v: Viewer, items: T[], caseNode: (caseId: number) => Promise<number | null>): Promise<T[]> {
  if (v === null) return items;
  const nodes = new Map<number, number | null>();
  const out: T[] = [];
  for (const it of items) {
    if (!mayViewChannel(v, it.cameraId)) continue;
    if (it.caseId !== null) {
      if (!nodes.has(it.caseId)) nodes.set(it.caseId, await caseNode(it.caseId));
      const node = nodes.get(it.caseId)!;
      if (node === null || !mayCase(v, node)) continue;
    }
    out.push(it);
  }
  return out;
}

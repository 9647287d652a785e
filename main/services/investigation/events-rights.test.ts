// Which consoles get investigation events, with the real access service: node-inherited allows, a channel deny, cases by node, and channels no longer in the tree.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROOT_NODE_ID } from '../../../common/devices';
import type { Bookmark, ExportJob, InvestigationServerEvent, Snapshot } from '../../../common/investigation';
import { openAccessFixture, type AccessFixture } from '../../../test/helpers/access-fixture';
import type { UserActor } from '../../platform/actor';
import { mayReceiveInvestigationEvent } from './rights';

const admin: UserActor = { kind: 'user', userId: 1, username: 'admin', role: 'admin' };

describe('investigation event audience (real grants)', () => {
  let f: AccessFixture;
  let nodeA: number, nodeB: number;
  let camA: number, camA2: number, camB: number;

  beforeEach(async () => {
    f = await openAccessFixture();
    nodeA = await f.node('A');
    nodeB = await f.node('B');
    [camA, camA2] = (await f.device('GateA', nodeA, 2)).channels as [number, number];
    [camB] = (await f.device('GateB', nodeB)).channels as [number];
  });
  afterEach(async () => f.close());

  const bookmark = (cameraId: number, caseNodeId: number | null, retired: number[] = []): InvestigationServerEvent => ({
    type: 'investigation.bookmark',
    op: 'created',
    bookmark: { cameraId, caseId: caseNodeId === null ? null : 1 } as Bookmark,
    caseNodeId,
    retired,
  });
  const snapshot = (cameraId: number): InvestigationServerEvent => ({
    type: 'investigation.snapshot',
    snapshot: { cameraId, caseId: null } as Snapshot,
    caseNodeId: null,
    retired: [],
  });
  const exported = (sources: number[], caseNodeId: number): InvestigationServerEvent => ({
    type: 'investigation.export',
    export: { caseId: 1, request: { sources: sources.map((cameraId) => ({ cameraId })) } } as ExportJob,
    caseNodeId,
    retired: [],
  });

  it("an officer granted recordings and cases on node A gets A's events, not B's nor the denied channel's", async () => {
    const u = await f.user('ina', 'officer');
    for (const right of ['recordings.view', 'cases.manage'] as const)
      await f.access.createGrant({ principalKind: 'user', principalId: u.id, right, scopeKind: 'node', scopeId: nodeA, effect: 'allow' }, admin);
    await f.access.createGrant(
      { principalKind: 'user', principalId: u.id, right: 'recordings.view', scopeKind: 'channel', scopeId: camA2, effect: 'deny' },
      admin,
    );
    const a = f.access.for(u);
    const gets = (ev: InvestigationServerEvent) => mayReceiveInvestigationEvent(ev, u.id, a);
    expect(gets(bookmark(camA, null))).toBe(true);
    expect(gets(bookmark(camA, nodeA))).toBe(true);
    expect(gets(bookmark(camA, nodeB))).toBe(false);
    expect(gets(bookmark(camB, null))).toBe(false);
    expect(gets(bookmark(camA2, null))).toBe(false);
    expect(gets(snapshot(camA))).toBe(true);
    expect(gets(snapshot(camB))).toBe(false);
    expect(gets(exported([camA], nodeA))).toBe(true);
    expect(gets(exported([camA, camB], nodeA))).toBe(false);
    expect(gets(exported([camB], nodeB))).toBe(false);
    expect(gets({ type: 'investigation.case', caseId: 1, nodeId: nodeA })).toBe(true);
    expect(gets({ type: 'investigation.case', caseId: 2, nodeId: nodeB })).toBe(false);
    // A channel no longer in the tree (its recordings kept) is judged at the root: not for a node's officer.
    expect(gets(bookmark(9999, null, [9999]))).toBe(false);
  });

  it('a dispatcher (recordings everywhere, no case anywhere) gets bookmarks outside cases only; an investigator also retired channels', async () => {
    const d = await f.user('dora', 'dispatcher');
    const da = f.access.for(d);
    expect(mayReceiveInvestigationEvent(bookmark(camB, null), d.id, da)).toBe(true);
    expect(mayReceiveInvestigationEvent(bookmark(camB, nodeB), d.id, da)).toBe(false);
    expect(mayReceiveInvestigationEvent(exported([camB], nodeB), d.id, da)).toBe(false);
    expect(mayReceiveInvestigationEvent({ type: 'investigation.case', caseId: 1, nodeId: ROOT_NODE_ID }, d.id, da)).toBe(false);
    const i = await f.user('ivo', 'investigator');
    expect(mayReceiveInvestigationEvent(bookmark(9999, null, [9999]), i.id, f.access.for(i))).toBe(true);
    expect(mayReceiveInvestigationEvent(bookmark(9999, null), i.id, f.access.for(i))).toBe(false);
  });
});

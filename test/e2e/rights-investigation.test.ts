// Investigation rights end to end (issue 13): recordings per channel, cases per organisation node, object-level bookmarks, exports and snapshots, the event stream, and signed playback links.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { EVENTS_PATH } from '../../common/events';
import type { Bookmark, Case, ExportJob, PlaybackMap, SearchHit, Snapshot } from '../../common/investigation';
import { waitFor } from '../harness';
import { indexSegments, makeSegments } from './investigation-fixtures';
import { startInvServer, tempDir, type InvServer } from './investigation-server';
import { grant, setHomeNode } from './rights-investigation-support';

describe('investigation rights by organisation node and channel (real back end)', () => {
  let dataDir: string;
  let srv: InvServer;
  let admin: string;
  /** An officer given recordings.view, cases.manage and export on node A (inherited by its channels), snapshot nowhere. */
  let ia: string;
  let iaId: number;
  /** A dispatcher (recordings.view everywhere by role, cases.manage nowhere). */
  let disp: string;
  let nodeA: number;
  let nodeB: number;
  let camA: number;
  let camA2: number;
  let camB: number;
  let t0: number;
  let caseA: Case;
  let caseB: Case;
  const sockets: WebSocket[] = [];

  const api = <T>(method: string, p: string, token: string, body?: unknown) => srv.api<T>(method, p, token, body);
  const range = () => `startMs=${t0}&endMs=${t0 + 8000}`;

  /** Collects the investigation events one session's console receives. */
  async function listen(token: string): Promise<Array<{ type: string; [k: string]: unknown }>> {
    const got: Array<{ type: string; [k: string]: unknown }> = [];
    const ws = new WebSocket(`${srv.backend.url.replace(/^http/, 'ws')}${EVENTS_PATH}?token=${token}`);
    sockets.push(ws);
    ws.on('message', (data: Buffer) => {
      const ev = JSON.parse(data.toString()) as { type: string };
      if (ev.type.startsWith('investigation.')) got.push(ev);
    });
    await new Promise<void>((resolve, reject) => ws.once('open', () => resolve()).once('error', reject));
    return got;
  }

  beforeAll(async () => {
    dataDir = tempDir('rights-inv');
    srv = await startInvServer(dataDir);
    admin = await srv.token();
    const node = async (name: string) => (await api<{ id: number }>('POST', '/api/v1/org/nodes', admin, { parentId: 1, name })).body.id;
    nodeA = await node('District A');
    nodeB = await node('District B');
    const device = async (nodeId: number, name: string, channels: string[]) => {
      const r = await api<{ id: number; channels: Array<{ id: number }> }>('POST', '/api/v1/devices/rtsp', admin, {
        nodeId,
        name,
        channels: channels.map((c) => ({ name: c, url: 'rtsp://127.0.0.1:1/none', enabled: false })),
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body.channels.map((c) => c.id);
    };
    [camA, camA2] = (await device(nodeA, 'Gate A', ['Gate A 1', 'Gate A 2'])) as [number, number];
    [camB] = (await device(nodeB, 'Gate B', ['Gate B 1'])) as [number];
    t0 = Date.now() - 3_600_000;
    for (const cam of [camA, camA2, camB]) await indexSegments(srv.backend.store, cam, await makeSegments(srv.backend.config.recordingsDir, cam, t0, 2, 4));

    ia = await srv.user('ina', 'officer');
    iaId = (await api<{ id: number }>('GET', '/api/v1/auth/me', ia)).body.id;
    await setHomeNode(srv, admin, iaId, nodeA);
    for (const right of ['recordings.view', 'cases.manage', 'export'] as const)
      await grant(srv, admin, { principalKind: 'user', principalId: iaId, right, scopeKind: 'node', scopeId: nodeA, effect: 'allow' });
    // One channel of node A is denied: Deny wins over the node's allow.
    await grant(srv, admin, { principalKind: 'user', principalId: iaId, right: 'recordings.view', scopeKind: 'channel', scopeId: camA2, effect: 'deny' });
    disp = await srv.user('dora', 'dispatcher');

    caseA = (await api<Case>('POST', '/api/v1/cases', admin, { reference: 'A-1', nodeId: nodeA })).body;
    caseB = (await api<Case>('POST', '/api/v1/cases', admin, { reference: 'B-1', nodeId: nodeB })).body;
    expect([caseA.nodeId, caseB.nodeId]).toEqual([nodeA, nodeB]);
  }, 180_000);

  afterAll(async () => {
    for (const ws of sockets) ws.terminate();
    await srv?.backend.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('recordings.view per channel: inherited from node A, refused on node B and on the denied channel; search keeps only what may be seen', async () => {
    expect((await api('GET', `/api/v1/timeline/${camA}?${range()}`, ia)).status).toBe(200);
    expect((await api('GET', `/api/v1/timeline/${camB}?${range()}`, ia)).status).toBe(403);
    expect((await api('GET', `/api/v1/timeline/${camA2}?${range()}`, ia)).status).toBe(403);
    expect((await api('GET', `/api/v1/playback-map/${camB}?${range()}`, ia)).status).toBe(403);
    const frame = await fetch(`${srv.backend.url}/api/v1/frame-files/${camB}/${t0 + 1000}.jpg`, { headers: { Authorization: `Bearer ${ia}` } });
    expect(frame.status).toBe(403);
    const hits = (await api<SearchHit[]>('GET', `/api/v1/search?${range()}`, ia)).body;
    expect(new Set(hits.map((h) => h.cameraId))).toEqual(new Set([camA]));
    const all = (await api<SearchHit[]>('GET', `/api/v1/search?${range()}`, admin)).body;
    expect(new Set(all.map((h) => h.cameraId))).toEqual(new Set([camA, camA2, camB]));
  });

  it("cases.manage per node: node B's case is neither listed nor readable; a new case goes to the home node; node B is refused", async () => {
    const listed = (await api<Case[]>('GET', '/api/v1/cases', ia)).body.map((c) => c.reference);
    expect(listed).toContain('A-1');
    expect(listed).not.toContain('B-1');
    expect((await api('GET', `/api/v1/cases/${caseB.id}`, ia)).status).toBe(403);
    expect((await api('POST', `/api/v1/cases/${caseB.id}/hold`, ia, { reason: 'x' })).status).toBe(403);
    expect((await api('POST', '/api/v1/cases', ia, { reference: 'B-2', nodeId: nodeB })).status).toBe(403);
    const own = await api<Case>('POST', '/api/v1/cases', ia, { reference: 'A-2' });
    expect(own.status).toBe(201);
    expect(own.body.nodeId).toBe(nodeA);
    // The admin (cases.manage at the root) sees both.
    const adminCases = (await api<Case[]>('GET', '/api/v1/cases', admin)).body.map((c) => c.reference);
    expect(adminCases).toEqual(expect.arrayContaining(['A-1', 'B-1', 'A-2']));
  });

  it("bookmarks are object-level: another node's channel or case is refused, and a dispatcher cannot touch case bookmarks", async () => {
    const onB = (await api<Bookmark>('POST', '/api/v1/bookmarks', admin, { cameraId: camB, startMs: t0, endMs: t0 + 1000, note: 'b' })).body;
    const inCaseB = (
      await api<Bookmark>('POST', '/api/v1/bookmarks', admin, { cameraId: camA, startMs: t0, endMs: t0 + 1000, note: 'filed in B', caseId: caseB.id })
    ).body;
    const plain = (await api<Bookmark>('POST', '/api/v1/bookmarks', admin, { cameraId: camA, startMs: t0, endMs: t0 + 1000, note: 'plain' })).body;
    const inCaseA = (
      await api<Bookmark>('POST', '/api/v1/bookmarks', admin, { cameraId: camA, startMs: t0, endMs: t0 + 1000, note: 'filed in A', caseId: caseA.id })
    ).body;
    const seen = (await api<Bookmark[]>('GET', '/api/v1/bookmarks', ia)).body.map((b) => b.id);
    expect(seen).toEqual(expect.arrayContaining([plain.id, inCaseA.id]));
    expect(seen).not.toContain(onB.id);
    expect(seen).not.toContain(inCaseB.id);
    for (const id of [onB.id, inCaseB.id]) {
      expect((await api('PATCH', `/api/v1/bookmarks/${id}`, ia, { note: 'mine now' })).status).toBe(403);
      expect((await api('DELETE', `/api/v1/bookmarks/${id}`, ia)).status).toBe(403);
    }
    expect((await api('PATCH', `/api/v1/bookmarks/${plain.id}`, ia, { caseId: caseB.id })).status).toBe(403);
    expect((await api('POST', '/api/v1/bookmarks', ia, { cameraId: camB, startMs: t0, endMs: t0 + 1, note: '' })).status).toBe(403);
    // The dispatcher may see recordings everywhere but no case: case bookmarks are hidden and refused, others allowed.
    const dSeen = (await api<Bookmark[]>('GET', '/api/v1/bookmarks', disp)).body.map((b) => b.id);
    expect(dSeen).toEqual(expect.arrayContaining([plain.id, onB.id]));
    expect(dSeen).not.toContain(inCaseA.id);
    expect((await api('GET', `/api/v1/bookmarks?caseId=${caseA.id}`, disp)).status).toBe(403);
    expect((await api('PATCH', `/api/v1/bookmarks/${inCaseA.id}`, disp, { note: 'x' })).status).toBe(403);
    expect((await api('PATCH', `/api/v1/bookmarks/${plain.id}`, disp, { caseId: caseA.id })).status).toBe(403);
    expect((await api('DELETE', `/api/v1/bookmarks/${inCaseA.id}`, disp)).status).toBe(403);
    expect((await api('PATCH', `/api/v1/bookmarks/${plain.id}`, ia, { note: 'seen by A' })).status).toBe(200);
  });

  it("exports need export on EVERY channel; another node's export and its files are refused", async () => {
    const body = (sources: number[], caseId: number) => ({ caseId, sources: sources.map((cameraId) => ({ cameraId })), startMs: t0, endMs: t0 + 6000 });
    expect((await api('POST', '/api/v1/exports', ia, body([camA, camB], caseA.id))).status).toBe(403);
    expect((await api('POST', '/api/v1/exports', ia, body([camA], caseB.id))).status).toBe(403);
    const mine = await api<ExportJob>('POST', '/api/v1/exports', ia, body([camA], caseA.id));
    expect(mine.status, JSON.stringify(mine.body)).toBe(201);
    const theirs = (await api<ExportJob>('POST', '/api/v1/exports', admin, body([camB], caseB.id))).body;
    for (const id of [mine.body.id, theirs.id])
      await waitFor(async () => (await api<ExportJob>('GET', `/api/v1/exports/${id}`, admin)).body.state === 'done', {
        timeoutMs: 90_000,
        what: `export ${id}`,
      });
    expect((await api('GET', `/api/v1/exports/${theirs.id}`, ia)).status).toBe(403);
    expect((await api<ExportJob[]>('GET', '/api/v1/exports', ia)).body.map((j) => j.id)).toEqual([mine.body.id]);
    const file = (id: number, token: string) =>
      fetch(`${srv.backend.url}/api/v1/export-files/${id}/manifest.json`, { headers: { Authorization: `Bearer ${token}` } });
    expect((await file(theirs.id, ia)).status).toBe(403);
    expect((await fetch(`${srv.backend.url}/api/v1/export-files/${theirs.id}.zip`, { headers: { Authorization: `Bearer ${ia}` } })).status).toBe(403);
    expect((await file(mine.body.id, ia)).status).toBe(200);
  }, 120_000);

  it('snapshots: taking needs the snapshot right on the channel; seeing needs its recordings (and its case)', async () => {
    expect((await api('POST', '/api/v1/snapshots', ia, { cameraId: camA, tMs: t0 + 2000 })).status).toBe(403);
    await grant(srv, admin, { principalKind: 'user', principalId: iaId, right: 'snapshot', scopeKind: 'node', scopeId: nodeA, effect: 'allow' });
    const taken = await api<Snapshot>('POST', '/api/v1/snapshots', ia, { cameraId: camA, tMs: t0 + 2000 });
    expect(taken.status, JSON.stringify(taken.body)).toBe(201);
    expect((await api('POST', '/api/v1/snapshots', ia, { cameraId: camB, tMs: t0 + 2000 })).status).toBe(403);
    const onB = (await api<Snapshot>('POST', '/api/v1/snapshots', admin, { cameraId: camB, tMs: t0 + 2000 })).body;
    const jpg = (id: number) => fetch(`${srv.backend.url}/api/v1/snapshot-files/${id}.jpg`, { headers: { Authorization: `Bearer ${ia}` } });
    expect((await jpg(onB.id)).status).toBe(403);
    expect((await jpg(taken.body.id)).status).toBe(200);
    const listed = (await api<Snapshot[]>('GET', '/api/v1/snapshots', ia)).body.map((s) => s.id);
    expect(listed).toContain(taken.body.id);
    expect(listed).not.toContain(onB.id);
  }, 60_000);

  it('the event stream sends a console only the investigation events about what its user may see', async () => {
    const iaEvents = await listen(ia);
    const adminEvents = await listen(admin);
    const dispEvents = await listen(disp);
    await api('POST', '/api/v1/bookmarks', admin, { cameraId: camB, startMs: t0, endMs: t0 + 1, note: 'ev on B' });
    await api('POST', '/api/v1/bookmarks', admin, { cameraId: camA, startMs: t0, endMs: t0 + 1, note: 'ev in case B', caseId: caseB.id });
    await api('POST', `/api/v1/cases/${caseB.id}/hold`, admin, { reason: 'court' });
    await api('POST', '/api/v1/exports', admin, { caseId: caseB.id, sources: [{ cameraId: camB }], startMs: t0, endMs: t0 + 4000 });
    await api('POST', '/api/v1/bookmarks', admin, { cameraId: camA, startMs: t0, endMs: t0 + 1, note: 'ev on A' });
    // The last event reached the officer of node A: everything before it was sent (or not) already.
    await waitFor(() => iaEvents.some((e) => (e.bookmark as Bookmark | undefined)?.note === 'ev on A'), { timeoutMs: 20_000, what: 'the bookmark event on A' });
    await waitFor(() => adminEvents.some((e) => (e.bookmark as Bookmark | undefined)?.note === 'ev on A'), { timeoutMs: 20_000, what: 'admin events' });
    expect(iaEvents.map((e) => e.type)).toEqual(['investigation.bookmark']);
    expect(adminEvents.map((e) => e.type)).toEqual(expect.arrayContaining(['investigation.bookmark', 'investigation.case', 'investigation.export']));
    // The dispatcher gets bookmarks outside cases, never case or export messages.
    await waitFor(() => dispEvents.some((e) => (e.bookmark as Bookmark | undefined)?.note === 'ev on A'), { timeoutMs: 20_000, what: 'dispatcher events' });
    expect(dispEvents.map((e) => (e.bookmark as Bookmark | undefined)?.note ?? e.type)).toEqual(['ev on B', 'ev on A']);
  }, 60_000);

  it('playback links are signed, never carry the session token, cover their channel only and stop working at logout', async () => {
    const token = await srv.token('ina', 'password-123');
    const map = await api<PlaybackMap>('GET', `/api/v1/playback-map/${camA}?${range()}`, token);
    expect(map.status).toBe(200);
    expect(map.body.playlist).toContain('sig=');
    expect(map.body.playlist).not.toContain(token);
    const playlist = await fetch(`${srv.backend.url}${map.body.playlist}`);
    expect(playlist.status).toBe(200);
    const text = await playlist.text();
    expect(text).not.toContain(token);
    expect(text).not.toContain('token=');
    const piece = text.split('\n').find((l) => l.includes('/piece/'))!;
    expect((await fetch(`${srv.backend.url}${piece}`)).status).toBe(200);
    // The link of camera A does not open camera B's segments.
    const segB = (await srv.backend.store.segments.listRange(camB, t0, t0 + 8000, 1))[0]!;
    const forged = piece.replace(/piece\/\d+\//, `piece/${segB.id}/`);
    expect((await fetch(`${srv.backend.url}${forged}`)).status).toBe(403);
    // The session token itself is not accepted in a playback URL.
    expect((await fetch(`${srv.backend.url}/api/v1/playback/${camA}.m3u8?${range()}&token=${token}`)).status).toBe(401);
    expect((await api('POST', '/api/v1/auth/logout', token)).status).toBeLessThan(300);
    expect((await fetch(`${srv.backend.url}${map.body.playlist}`)).status).toBe(403);
    expect((await fetch(`${srv.backend.url}${piece}`)).status).toBe(403);
  });
});

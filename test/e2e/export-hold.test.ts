// End to end: a legal hold protects its case's segments from a retention pass that deletes their neighbours; release needs admin and is audited.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case, LegalHold } from '../../common/investigation';
import { indexSegments, makeSegments, type RecordedSeg } from './investigation-fixtures';
import { startInvServer, tempDir, type InvServer } from './investigation-server';

describe('legal hold vs retention (real back end and retention service)', () => {
  let dataDir: string;
  let srv: InvServer;
  let admin: string;
  let investigator: string;
  let cameraId: number;
  let segs: RecordedSeg[];
  let ids: number[];
  let kase: Case;

  beforeAll(async () => {
    dataDir = tempDir('hold');
    srv = await startInvServer(dataDir);
    admin = await srv.token();
    investigator = await srv.user('ines', 'investigator');
    const cam = await srv.backend.store.cameras.create(
      {
        name: 'Yard',
        url: 'rtsp://127.0.0.1:1/none',
        subUrl: null,
        username: null,
        password: null,
        transport: 'tcp',
        enabled: false,
        segmentSeconds: 4,
        retentionDays: 1,
        groupName: null,
        description: null,
      },
      Date.now(),
    );
    cameraId = cam.id;
    // Five 4 s segments recorded three days ago: all older than the camera's 1-day retention.
    const t0 = Date.now() - 3 * 86_400_000;
    segs = await makeSegments(srv.backend.config.recordingsDir, cameraId, t0, 5, 4);
    ids = await indexSegments(srv.backend.store, cameraId, segs);
    kase = (await srv.api<Case>('POST', '/api/v1/cases', investigator, { reference: 'HOLD-7', title: 'held' })).body;
    // The bookmark covers segment 2 only.
    const b = await srv.api('POST', '/api/v1/bookmarks', investigator, {
      cameraId,
      startMs: segs[2]!.startMs + 500,
      endMs: segs[2]!.startMs + 3000,
      note: 'suspect at gate',
      caseId: kase.id,
    });
    expect(b.status).toBe(201);
  }, 120_000);

  afterAll(async () => {
    await srv?.backend.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps the held segment through a retention pass that deletes its neighbours; only admin releases; then it goes', async () => {
    const hold = await srv.api<LegalHold>('POST', `/api/v1/cases/${kase.id}/hold`, investigator, { reason: 'court order 12/26' });
    expect(hold.status, JSON.stringify(hold.body)).toBe(201);
    expect(hold.body.segments).toBe(1);
    expect((await srv.api('POST', `/api/v1/cases/${kase.id}/hold`, investigator, { reason: 'again' })).status).toBe(409);

    const report = await srv.backend.retention.runOnce();
    expect(report.byAge).toBe(4);
    const left = await srv.backend.store.segments.listRange(cameraId, segs[0]!.startMs, segs[4]!.endMs, 100);
    expect(left.map((s) => s.id)).toEqual([ids[2]]);
    expect(fs.existsSync(segs[2]!.file)).toBe(true);
    for (const i of [0, 1, 3, 4]) expect(fs.existsSync(segs[i]!.file)).toBe(false);
    // The held case's bookmark cannot be deleted while held.
    const bm = (await srv.api<Array<{ id: number }>>('GET', `/api/v1/bookmarks?caseId=${kase.id}`, investigator)).body;
    expect((await srv.api('DELETE', `/api/v1/bookmarks/${bm[0]!.id}`, investigator)).status).toBe(409);

    // Release: investigators may not; admin may, and it is audited.
    expect((await srv.api('DELETE', `/api/v1/cases/${kase.id}/hold`, investigator)).status).toBe(403);
    const rel = await srv.api<LegalHold>('DELETE', `/api/v1/cases/${kase.id}/hold`, admin);
    expect(rel.status).toBe(200);
    expect(rel.body.releasedBy).toBe('admin');
    const audit = (await srv.api<Array<{ action: string; username: string; targetId: string }>>('GET', '/api/v1/audit?limit=100', admin)).body;
    expect(audit.find((a) => a.action === 'case.hold')).toMatchObject({ username: 'ines', targetId: String(kase.id) });
    expect(audit.find((a) => a.action === 'case.release')).toMatchObject({ username: 'admin', targetId: String(kase.id) });
    expect((await srv.api<Case>('GET', `/api/v1/cases/${kase.id}`, admin)).body.hold).toBeNull();

    await srv.backend.retention.runOnce();
    expect(await srv.backend.store.segments.get(ids[2]!)).toBeNull();
    expect(fs.existsSync(segs[2]!.file)).toBe(false);
  }, 60_000);

  it('enforces roles: officers see no recordings, dispatchers play back but do not export, raw endpoints need a session', async () => {
    const officer = await srv.user('otto', 'officer');
    const dispatcher = await srv.user('dora', 'dispatcher');
    const range = `startMs=${segs[0]!.startMs}&endMs=${segs[4]!.endMs}`;
    expect((await srv.api('GET', `/api/v1/timeline/${cameraId}?${range}`, officer)).status).toBe(403);
    expect((await srv.api('GET', `/api/v1/timeline/${cameraId}?${range}`, dispatcher)).status).toBe(200);
    expect((await srv.api('POST', '/api/v1/cases', dispatcher, { reference: 'D-1' })).status).toBe(403);
    expect(
      (await srv.api('POST', '/api/v1/exports', dispatcher, { caseId: kase.id, sources: [{ cameraId }], startMs: segs[0]!.startMs, endMs: segs[0]!.endMs }))
        .status,
    ).toBe(403);
    const base = srv.backend.url;
    expect((await fetch(`${base}/api/v1/playback/${cameraId}.m3u8?${range}`)).status).toBe(401);
    const bearer = (t: string) => ({ headers: { Authorization: `Bearer ${t}` } });
    expect((await fetch(`${base}/api/v1/playback/${cameraId}.m3u8?${range}`, bearer(officer))).status).toBe(403);
    // The session token is not accepted in a playback URL; the playback map's signed link is.
    expect((await fetch(`${base}/api/v1/playback/${cameraId}.m3u8?${range}&token=${dispatcher}`)).status).toBe(401);
    const map = await srv.api<{ playlist: string }>('GET', `/api/v1/playback-map/${cameraId}?${range}`, dispatcher);
    expect(map.status).toBe(200);
    const ok = await fetch(`${base}${map.body.playlist}`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('#EXTM3U');
    expect((await fetch(`${base}/api/v1/export-files/1/manifest.json?token=${dispatcher}`)).status).toBe(403);
    // Validation: a field-named 400, and the server keeps running.
    const bad = await srv.api<{ error: { fields: Array<{ path: string }> } }>('POST', '/api/v1/bookmarks', dispatcher, {
      cameraId,
      startMs: 'soon',
      endMs: 1,
      note: '',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0]!.path).toBe('startMs');
    expect((await srv.api('GET', '/api/v1/search?startMs=10&endMs=5', dispatcher)).status).toBe(400);
  }, 60_000);
});

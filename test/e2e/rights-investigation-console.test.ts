// Headless Chromium (issue 13): an investigator of node A does not see node B's case nor node B's recordings in the console; the admin sees both.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case } from '../../common/investigation';
import { buildRenderer } from '../../scripts/build-renderer';
import { launchBrowser, openConsole, type TestBrowser } from '../harness';
import { indexSegments, makeSegments } from './investigation-fixtures';
import { ADMIN_PASSWORD, startInvServer, tempDir, type InvServer } from './investigation-server';
import { grant, setHomeNode } from './rights-investigation-support';

describe('investigation rights in the console (built console, real back end, headless Chromium)', () => {
  let dataDir: string;
  let srv: InvServer;
  let browser: TestBrowser;
  let admin: string;

  beforeAll(async () => {
    dataDir = tempDir('rights-inv-console');
    const build = await buildRenderer(path.join(dataDir, 'console'));
    srv = await startInvServer(path.join(dataDir, 'data'), {}, build.outDir);
    admin = await srv.token();
    const node = async (name: string) => (await srv.api<{ id: number }>('POST', '/api/v1/org/nodes', admin, { parentId: 1, name })).body.id;
    const nodeA = await node('District A');
    const nodeB = await node('District B');
    const channel = async (nodeId: number, name: string) => {
      const r = await srv.api<{ channels: Array<{ id: number }> }>('POST', '/api/v1/devices/rtsp', admin, {
        nodeId,
        name,
        channels: [{ name, url: 'rtsp://127.0.0.1:1/none', enabled: false }],
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body.channels[0]!.id;
    };
    const camA = await channel(nodeA, 'Gate A');
    const camB = await channel(nodeB, 'Gate B');
    const t0 = Date.now() - 120_000;
    for (const cam of [camA, camB]) await indexSegments(srv.backend.store, cam, await makeSegments(srv.backend.config.recordingsDir, cam, t0, 1, 4));
    for (const [cam, note] of [
      [camA, 'white van at gate A'],
      [camB, 'white van at gate B'],
    ] as const)
      expect((await srv.api('POST', '/api/v1/bookmarks', admin, { cameraId: cam, startMs: t0 + 1000, endMs: t0 + 2000, note })).status).toBe(201);
    for (const [reference, nodeId] of [
      ['CASE-A-7', nodeA],
      ['CASE-B-9', nodeB],
    ] as const)
      expect((await srv.api<Case>('POST', '/api/v1/cases', admin, { reference, nodeId })).status).toBe(201);
    // An investigator of node A: the role's rights, denied on node B (Deny wins over the role's root grant).
    await srv.user('ina', 'investigator');
    const inaId = (await srv.api<Array<{ id: number; username: string }>>('GET', '/api/v1/users', admin)).body.find((u) => u.username === 'ina')!.id;
    await setHomeNode(srv, admin, inaId, nodeA);
    for (const right of ['recordings.view', 'cases.manage'] as const)
      await grant(srv, admin, { principalKind: 'user', principalId: inaId, right, scopeKind: 'node', scopeId: nodeB, effect: 'deny' });
    browser = await launchBrowser();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await srv?.backend.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it.each([
    { user: 'ina', password: 'password-123', sees: ['CASE-A-7'], hidden: ['CASE-B-9'], hits: ['gate A'], noHits: ['gate B'] },
    { user: 'admin', password: ADMIN_PASSWORD, sees: ['CASE-A-7', 'CASE-B-9'], hidden: [], hits: ['gate A', 'gate B'], noHits: [] },
  ])(
    '$user sees only the cases and recordings of the nodes they hold',
    async ({ user, password, sees, hidden, hits, noHits }) => {
      const c = await openConsole(srv.backend.url, { browser, user: { username: user, password } });
      try {
        const { page } = c;
        await page.locator('#tab-cases').click();
        for (const ref of sees) await page.locator('.case-item', { hasText: ref }).waitFor();
        const listed = await page.locator('.case-item').allInnerTexts();
        for (const ref of hidden) expect(listed.join('\n')).not.toContain(ref);

        await page.locator('#tab-playback').click();
        await page.locator('input[name=search-text]').fill('white van');
        await page.locator('.pb-search button[type=submit]').click();
        for (const h of hits) await page.locator('.pb-hits li', { hasText: h }).waitFor();
        const found = (await page.locator('.pb-hits li').allInnerTexts()).join('\n');
        for (const h of noHits) expect(found).not.toContain(h);
        expect(c.pageErrors).toEqual([]);
      } finally {
        await c.close();
      }
    },
    120_000,
  );
});

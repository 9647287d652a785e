// End to end: the Playback tab in headless Chromium against the real back end: a click on the timeline shows the frame recorded at that time; two cameras play in sync on wall-clock time; viewing is audited per session.
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRenderer } from '../../scripts/build-renderer';
import { openAuditLog, openConsole, signIn, type TestBrowser } from '../harness';
import { BAR_BITS, FPS, indexSegments, makeSegments } from './investigation-fixtures';
import { ADMIN_PASSWORD, startInvServer, tempDir, until, type InvServer } from './investigation-server';

const FRAME_MS = 1000 / FPS;

/** Frame numbers (from the barcode) of the frames the tiles' videos show now, read in one synchronous pass. */
function shownFrames(page: Page, cameraIds: number[]): Promise<Array<number | null>> {
  return page.evaluate(
    ({ ids, bits }) => {
      return ids.map((id) => {
        const v = document.querySelector<HTMLVideoElement>(`.pb-tile[data-camera-id="${id}"] video`);
        if (!v || v.readyState < 2 || v.videoWidth === 0) return null;
        const c = document.createElement('canvas');
        c.width = v.videoWidth;
        c.height = v.videoHeight;
        const g = c.getContext('2d', { willReadFrequently: true })!;
        g.drawImage(v, 0, 0);
        const row = g.getImageData(0, 80, c.width, 1).data;
        let n = 0;
        for (let i = 0; i < bits; i++) {
          const x = Math.round((i + 0.5) * (c.width / bits));
          if (row[x * 4]! > 128) n |= 1 << i;
        }
        return n;
      });
    },
    { ids: cameraIds, bits: BAR_BITS },
  );
}

describe('playback tab (built console, real back end, hls.js in headless Chromium)', () => {
  let dataDir: string;
  let srv: InvServer;
  let browser: TestBrowser;
  let context: BrowserContext;
  let page: Page;
  let camA: number;
  let camB: number;
  let t0A: number;
  let t0B: number;
  let camC: number;
  let camD: number;
  let t0C: number;
  let t0D: number;
  let pageErrors: string[] = [];

  beforeAll(async () => {
    dataDir = tempDir('playback');
    const build = await buildRenderer(path.join(dataDir, 'console'));
    srv = await startInvServer(path.join(dataDir, 'data'), { playbackAuditIdleMs: 1500 }, build.outDir);
    const mk = (name: string) =>
      srv.backend.store.cameras.create(
        {
          name,
          url: 'rtsp://127.0.0.1:1/none',
          subUrl: null,
          username: null,
          password: null,
          transport: 'tcp',
          enabled: false,
          segmentSeconds: 6,
          retentionDays: 30,
          groupName: null,
          description: null,
        },
        Date.now(),
      );
    camA = (await mk('North gate')).id;
    camB = (await mk('South gate')).id;
    t0A = Math.floor((Date.now() - 2 * 3_600_000) / 1000) * 1000;
    t0B = t0A + 2360; // B started recording 2.36 s later: its frame numbers differ from A's for the same wall time
    await indexSegments(srv.backend.store, camA, await makeSegments(srv.backend.config.recordingsDir, camA, t0A, 10, 6));
    await indexSegments(srv.backend.store, camB, await makeSegments(srv.backend.config.recordingsDir, camB, t0B, 10, 6));
    camC = (await mk('East gate')).id;
    camD = (await mk('West gate')).id;
    t0C = t0A - 1730;
    t0D = t0A + 4110;
    await indexSegments(srv.backend.store, camC, await makeSegments(srv.backend.config.recordingsDir, camC, t0C, 11, 6));
    await indexSegments(srv.backend.store, camD, await makeSegments(srv.backend.config.recordingsDir, camD, t0D, 10, 6));
    ({ browser, context, page, pageErrors } = await openConsole(srv.backend.url, {
      user: { username: 'admin', password: ADMIN_PASSWORD },
      context: { viewport: { width: 1440, height: 900 } },
    }));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await srv?.backend.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('a click on the timeline shows the frame recorded at that moment', async () => {
    await page.getByRole('tab', { name: 'Playback' }).click();
    await page.locator(`input[name=source-${camA}]`).check();
    await page.locator(`input[name=source-${camB}]`).check();
    const start = new Date(t0A + 20_000).toISOString().slice(0, 19);
    await page.locator('input[name=goto]').fill(start);
    await page.getByRole('button', { name: 'Go to' }).click();
    // The clock reads in the user's zone (UTC in this context), named once: not "UTC UTC".
    expect(await page.locator('.pb-now').innerText()).toBe(`${new Date(t0A + 20_000).toISOString().slice(0, 19).replace('T', ' ')} UTC`);
    for (let i = 0; i < 3; i++) await page.locator('button[name=zoom-in]').click(); // 1 h → 1 min
    const timeline = page.locator('.pb-timeline');
    await expect.poll(async () => Number(await timeline.getAttribute('data-view-span'))).toBe(60_000);
    await page.locator('.pb-range').first().waitFor();

    for (const target of [t0A + 33_480, t0A + 9_120, t0A + 44_000]) {
      const viewStart = Number(await timeline.getAttribute('data-view-start'));
      const span = Number(await timeline.getAttribute('data-view-span'));
      const box = (await timeline.boundingBox())!;
      await page.mouse.click(box.x + ((target - viewStart) / span) * box.width, box.y + box.height - 8);
      const cursor = Number(await timeline.getAttribute('data-cursor-ms'));
      expect(Math.abs(cursor - target), 'the click seeks to the time under the pointer').toBeLessThan((span / box.width) * 1.5);
      const expected = Math.floor((cursor - t0A) / FRAME_MS + 1e-6);
      const got = await until(
        async () => {
          const [n] = await shownFrames(page, [camA]);
          const seeking = await page.evaluate((id) => document.querySelector<HTMLVideoElement>(`.pb-tile[data-camera-id="${id}"] video`)!.seeking, camA);
          return n !== null && !seeking && Math.abs(n - expected) <= 1 ? n : null;
        },
        30_000,
        `frame ${expected} on camera A`,
      );
      expect(Math.abs(got - expected)).toBeLessThanOrEqual(1);
      // Camera B shows its own frame for the same wall time.
      const expectedB = Math.floor((cursor - t0B) / FRAME_MS + 1e-6);
      await until(
        async () => {
          const [n] = await shownFrames(page, [camB]);
          return n !== null && Math.abs(n - expectedB) <= 1;
        },
        30_000,
        `frame ${expectedB} on camera B`,
      );
    }
  }, 180_000);

  it('plays two cameras in sync on wall-clock time (within 200 ms)', async () => {
    const timeline = page.locator('.pb-timeline');
    const box = (await timeline.boundingBox())!;
    const viewStart = Number(await timeline.getAttribute('data-view-start'));
    const span = Number(await timeline.getAttribute('data-view-span'));
    await page.mouse.click(box.x + ((t0A + 10_000 - viewStart) / span) * box.width, box.y + box.height - 8);
    await page.locator('.pb-play').click();
    await page.waitForTimeout(2500);
    const skews: number[] = [];
    let lastA = -1;
    for (let i = 0; i < 8; i++) {
      const [a, b] = await shownFrames(page, [camA, camB]);
      expect(a).not.toBeNull();
      expect(b).not.toBeNull();
      const wallA = t0A + a! * FRAME_MS;
      const wallB = t0B + b! * FRAME_MS;
      skews.push(Math.abs(wallA - wallB));
      expect(a!, 'camera A keeps playing').toBeGreaterThan(lastA);
      lastA = a!;
      await page.waitForTimeout(400);
    }
    expect(Math.max(...skews), `skews ${skews.join(', ')} ms`).toBeLessThanOrEqual(200);
    await page.locator('.pb-play').click(); // pause
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('plays four cameras in sync at 4x (within 200 ms of wall-clock time)', async () => {
    await page.locator(`input[name=source-${camC}]`).check();
    await page.locator(`input[name=source-${camD}]`).check();
    await page.locator('input[name=goto]').fill(new Date(t0A + 12_000).toISOString().slice(0, 19));
    await page.getByRole('button', { name: 'Go to' }).click();
    await page.locator('select[name=speed]').selectOption('4');
    await page.locator('.pb-play').click();
    const ids = [camA, camB, camC, camD];
    // Each tile first shows a frame (a loaded machine may take longer to start four players at 4x), then play settles.
    await expect.poll(async () => (await shownFrames(page, ids)).every((f) => f !== null), { timeout: 20_000 }).toBe(true);
    await page.waitForTimeout(2000);
    const starts = [t0A, t0B, t0C, t0D];
    const skews: number[] = [];
    for (let i = 0; i < 6; i++) {
      const frames = await shownFrames(page, ids);
      expect(
        frames.every((f) => f !== null),
        `frames ${frames.join(',')}`,
      ).toBe(true);
      const walls = frames.map((f, k) => starts[k]! + f! * FRAME_MS);
      skews.push(Math.max(...walls) - Math.min(...walls));
      await page.waitForTimeout(300);
    }
    await page.locator('.pb-play').click();
    await page.locator('select[name=speed]').selectOption('1');
    expect(Math.max(...skews), `skews ${skews.join(', ')} ms`).toBeLessThanOrEqual(200);
    await page.locator(`input[name=source-${camC}]`).uncheck();
    await page.locator(`input[name=source-${camD}]`).uncheck();
  }, 120_000);

  it('bookmarks a range into a case, exports it with live progress, holds and releases the case in the Cases tab', async () => {
    await page.getByRole('tab', { name: 'Cases' }).click();
    // A reference that could leave the export directory is refused with the server's reason.
    await page.locator('input[name=case-reference]').fill('../escape');
    await page.getByRole('button', { name: 'Create' }).click();
    const refused = page.locator('.cases-tab [data-field=case-reference] .field-error');
    await refused.waitFor();
    expect(await refused.innerText()).toContain('cannot name a path');
    // A Chinese case number is a normal reference.
    await page.locator('input[name=case-reference]').fill('沪公刑字〔2026〕123号');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.locator('.case-item', { hasText: '沪公刑字〔2026〕123号' }).waitFor();
    expect(await refused.count()).toBe(0);
    await page.locator('input[name=case-reference]').fill('CR-E2E/7');
    await page.locator('input[name=case-title]').fill('Gate collision');
    await page.getByRole('button', { name: 'Create' }).click();
    const item = page.locator('.case-item', { hasText: 'CR-E2E/7' });
    await item.waitFor();

    // Back in Playback: mark in/out around the playhead and bookmark into the case.
    await page.getByRole('tab', { name: 'Playback' }).click();
    await page.locator('input[name=goto]').fill(new Date(t0A + 30_000).toISOString().slice(0, 19));
    await page.getByRole('button', { name: 'Go to' }).click();
    await page.locator('button[name=mark-in]').click();
    await page.locator('input[name=goto]').fill(new Date(t0A + 40_000).toISOString().slice(0, 19));
    await page.getByRole('button', { name: 'Go to' }).click();
    await page.locator('button[name=mark-out]').click();
    await page.locator('select[name=case]').selectOption({ label: 'CR-E2E/7' });
    await page.locator('.pb-tile[data-camera-id="' + camA + '"]').click();
    await page.locator('input[name=note]').fill('white van reverses');
    await page.locator('button[name=bookmark]').click();
    await page.locator('.pb-bookmark').first().waitFor();

    await page.getByRole('tab', { name: 'Cases' }).click();
    await item.click();
    await page.locator('.tl-item[data-kind=bookmark]', { hasText: 'white van reverses' }).waitFor();
    // Export camera A for the bookmarked range; progress arrives over the WebSocket.
    await page.locator(`input[name=export-source-${camA}]`).check();
    await page.locator('input[name=export-from]').fill(new Date(t0A + 30_000).toISOString().slice(0, 19));
    await page.locator('input[name=export-to]').fill(new Date(t0A + 40_000).toISOString().slice(0, 19));
    await page.getByRole('button', { name: 'Start export' }).click();
    await page.locator('.tl-item[data-kind=export][data-state=done]').waitFor({ timeout: 60_000 });
    const admin = await srv.token();
    const jobs = (await srv.api<Array<{ id: number; state: string; dirName: string }>>('GET', '/api/v1/exports', admin)).body;
    const done = jobs.find((j) => j.state === 'done')!;
    expect(fs.existsSync(path.join(dataDir, 'data', 'exports', done.dirName, 'manifest.json'))).toBe(true);

    // Legal hold, then release (admin).
    await page.locator('input[name=hold-reason]').fill('prosecutor request');
    await page.locator('button[name=hold]').click();
    await page.locator('.case-hold[data-held=true]').waitFor();
    expect(await page.locator('.case-hold').innerText()).toContain('prosecutor request');
    await page.locator('button[name=release]').click();
    await page.locator('.case-hold[data-held=false]').waitFor();
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('audits the viewing sessions (who, camera, range), not every byte-range request', async () => {
    const admin = await srv.token();
    const opens = (await srv.api<Array<{ action: string; targetId: string; username: string }>>('GET', '/api/v1/audit?action=playback.open&limit=100', admin))
      .body;
    expect(opens.filter((e) => e.targetId === String(camA)).length).toBeGreaterThanOrEqual(1);
    expect(opens.every((e) => e.username === 'admin')).toBe(true);
    await page.close();
    const views = await until(
      async () => {
        const v = (
          await srv.api<Array<{ targetId: string; detail: { startMs: number; endMs: number; pieces: number } }>>(
            'GET',
            '/api/v1/audit?action=playback.view&limit=100',
            admin,
          )
        ).body;
        return v.some((e) => e.targetId === String(camA)) && v.some((e) => e.targetId === String(camB)) ? v : null;
      },
      30_000,
      'playback.view entries',
    );
    const a = views.find((e) => e.targetId === String(camA))!;
    expect(a.detail.startMs).toBeGreaterThanOrEqual(t0A);
    expect(a.detail.endMs).toBeLessThanOrEqual(t0A + 60_000);
    expect(a.detail.pieces).toBeGreaterThan(1);
    // Far fewer entries than piece requests.
    expect(views.filter((e) => e.targetId === String(camA)).length).toBeLessThan(a.detail.pieces);
  }, 60_000);

  it('lets the admin search the audit log for playback and export it as CSV', async () => {
    const p2 = await context.newPage();
    p2.setDefaultTimeout(20_000);
    // The session lives in the first tab's sessionStorage: a new tab signs in again.
    await signIn(p2, srv.backend.url, 'admin', ADMIN_PASSWORD);
    await openAuditLog(p2);
    // Search by action (labelled in the filter) and user.
    await p2.locator('select[name=action]').selectOption({ label: 'Recording viewed' });
    await p2.locator('input[name=username]').fill('admin');
    await p2.getByRole('button', { name: 'Search' }).click();
    await p2.locator('.audit-table tr[data-action="playback.view"]').first().waitFor();
    await expect.poll(() => p2.locator('.audit-table tbody tr:not([data-action="playback.view"])').count()).toBe(0);
    const [download] = await Promise.all([p2.waitForEvent('download'), p2.locator('button[name=audit-csv]').click()]);
    const file = path.join(dataDir, 'audit.csv');
    await download.saveAs(file);
    // In the console's language and zone (issue 12): worded header, action and target, local time with the offset.
    const all = fs
      .readFileSync(file, 'utf8')
      .replace(/^\uFEFF/, '')
      .split('\r\n');
    // The entries end at the blank row before the signed checkpoints and the site public key (issue 13).
    const csv = all.slice(0, all.indexOf(''));
    expect(all.some((l) => l.startsWith('Signed checkpoints (Ed25519 over argus-audit-checkpoint/1)'))).toBe(true);
    expect(csv[0]).toBe('No.,Time,User,Action,Target,Address,Detail');
    expect(csv.some((l) => l.includes(`,admin,Recording viewed,Camera ${camA},`))).toBe(true);
    expect(csv.length).toBeGreaterThan(1);
    expect(csv.slice(1).every((l) => l.includes(',Recording viewed,') && / UTC[+-]?[\d:]*,/.test(l))).toBe(true);
    await p2.close();
  }, 60_000);
});

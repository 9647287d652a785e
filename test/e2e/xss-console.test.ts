// An XSS payload in every user-writable text never runs in the console (issue 13 item 6): real back end, built console, headless Chromium, every screen.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportJob } from '../../common/investigation';
import { buildRenderer } from '../../scripts/build-renderer';
import { launchBrowser, type TestBrowser } from '../harness';
import { indexSegments, makeSegments } from './investigation-fixtures';
import { ADMIN_PASSWORD, startInvServer, tempDir, until, type InvServer } from './investigation-server';

/**
 * Payloads, each marked so that an element made from it is found (`data-xss`) and any script run from it is seen
 * (`window.__xss`). The strict CSP would block inline handlers anyway: the test also fails on any CSP violation, since
 * one means the text was parsed as markup.
 */
const P = [
  '<img src=x data-xss=1 onerror="window.__xss=1">',
  '"><svg data-xss=2 onload="window.__xss=2">',
  '\'><a data-xss=3 href="javascript:window.__xss=3">x</a>',
  '</textarea><script data-xss=4>window.__xss=4</script>',
  '<iframe data-xss=5 srcdoc="<script>parent.__xss=5</script>">',
  '{{constructor.constructor("window.__xss=6")()}}<b data-xss=6>',
  '<b data-xss=7>', // short enough for a plate (16 characters)
];
/** A payload by number, cut to a field's maximum length without losing its marker. */
const p = (i: number, tag = '') => `${tag}${P[i % P.length]}`;

declare global {
  interface Window {
    __xss?: number;
    __csp?: string[];
  }
}

describe('XSS payloads in every user-writable text (built console, headless Chromium)', () => {
  let dataDir: string;
  let srv: InvServer;
  let browser: TestBrowser;
  let admin: string;
  const cams: number[] = [];
  let caseId = 0;

  beforeAll(async () => {
    dataDir = tempDir('xss');
    const build = await buildRenderer(path.join(dataDir, 'console'));
    srv = await startInvServer(path.join(dataDir, 'data'), {}, build.outDir);
    admin = await srv.token();
    const ok = async (method: string, url: string, body: unknown) => {
      const r = await srv.api<{ id: number }>(method, url, admin, body);
      expect(r.status, `${method} ${url}: ${JSON.stringify(r.body)}`).toBeLessThan(300);
      return r.body;
    };
    // The organisation tree, cameras (names, groups), a device with vendor/model, units (callsign, officer, plate), a user's display name.
    const node = await ok('POST', '/api/v1/org/nodes', { parentId: 1, name: p(0, 'N') });
    const t0 = Math.floor((Date.now() - 3_600_000) / 1000) * 1000;
    for (let i = 0; i < 3; i++) {
      const cam = await ok('POST', '/api/v1/cameras', { name: p(i, `C${i}`), url: 'rtsp://127.0.0.1:1/none', enabled: false, groupName: p(i + 1, 'G') });
      cams.push(cam.id);
      await ok('PUT', `/api/v1/gps/cameras/${cam.id}/place`, { lat: 31.2 + i / 100, lon: 121.4, viewDeg: 90 });
    }
    await indexSegments(srv.backend.store, cams[0]!, await makeSegments(srv.backend.config.recordingsDir, cams[0]!, t0, 2, 6));
    await ok('POST', '/api/v1/devices/rtsp', {
      name: p(3, 'D'),
      nodeId: node.id,
      channels: [{ name: p(1, 'CH'), url: 'rtsp://127.0.0.1:1/dev', enabled: false }],
    });
    // A callsign is letters and digits only: the unit's free texts are its officer and plate.
    await ok('POST', '/api/v1/devices/agent', { nodeId: node.id, callsign: 'Patrol 7', type: 'vehicle', officer: p(4, 'O'), plate: P[6] });
    await ok('POST', '/api/v1/users', { username: 'xss-user', password: 'Kettle-Orbit-2291', role: 'dispatcher', displayName: p(5, 'DN') });
    // Alarms (message, notes), a rule, a layout, a geofence.
    const alarm = await ok('POST', '/api/v1/alarms', { sourceId: cams[0], severity: 'major', message: p(0, 'A') });
    await ok('POST', `/api/v1/alarms/${alarm.id}/steps`, { action: 'note', note: p(1, 'NOTE') });
    await ok('POST', '/api/v1/alarm-rules', { name: p(2, 'R'), types: ['manual'], minSeverity: 'critical', actions: { sound: true } });
    await ok('PUT', `/api/v1/layouts/${encodeURIComponent(p(3, 'L'))}`, { name: p(3, 'L'), layout: '4', tiles: [cams[0], cams[1], null, null] });
    await ok('POST', '/api/v1/gps/geofences', { name: p(4, 'F'), shape: 'circle', circle: { lat: 31.2, lon: 121.4, radiusM: 500 } });
    // A case (reference, title), a bookmark in it, an export.
    const kase = await ok('POST', '/api/v1/cases', { reference: 'X-1', title: p(5, 'T') });
    caseId = kase.id;
    await ok('POST', '/api/v1/bookmarks', { cameraId: cams[0], startMs: t0 + 3000, endMs: t0 + 5000, note: p(0, 'B'), caseId });
    const ex = await srv.api<ExportJob>('POST', '/api/v1/exports', admin, { caseId, sources: [{ cameraId: cams[0] }], startMs: t0 + 1000, endMs: t0 + 9000 });
    expect(ex.status, JSON.stringify(ex.body)).toBe(201);
    await until(
      async () => {
        const j = (await srv.api<ExportJob>('GET', `/api/v1/exports/${ex.body.id}`, admin)).body;
        return j.state === 'done' || j.state === 'failed' ? j : null;
      },
      120_000,
      'export',
    );
    browser = await launchBrowser();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await srv?.backend.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows every payload as text on every screen; none becomes an element, runs, or trips the CSP', async () => {
    const context = await browser.newContext({ locale: 'en-US', timezoneId: 'Asia/Shanghai', viewport: { width: 1600, height: 900 } });
    await context.addInitScript(() => {
      window.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__csp!.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`));
    });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const findings: string[] = [];
    const seen = new Set<string>();
    const check = async (label: string, act: (pg: Page) => Promise<void>) => {
      try {
        await act(page);
      } catch (e) {
        findings.push(`[${label}] could not be reached: ${(e as Error).message.split('\n')[0]}`);
      }
      await page.waitForTimeout(400);
      const state = await page.evaluate(() => ({
        injected: [...document.querySelectorAll('[data-xss]')].map((el) => el.outerHTML.slice(0, 80)),
        ran: window.__xss ?? null,
        csp: window.__csp ?? [],
        text: document.body.innerText,
        titles: [...document.querySelectorAll('[title],[aria-label]')]
          .map((el) => `${el.getAttribute('title') ?? ''} ${el.getAttribute('aria-label') ?? ''}`)
          .join('\n'),
      }));
      if (state.injected.length > 0) findings.push(`[${label}] elements made from a payload: ${state.injected.join(' | ')}`);
      if (state.ran !== null) findings.push(`[${label}] a payload ran (window.__xss=${state.ran})`);
      if (state.csp.length > 0) findings.push(`[${label}] CSP violations: ${state.csp.join(' | ')}`);
      for (const payload of P) if (state.text.includes(payload) || state.titles.includes(payload)) seen.add(payload);
      // A row may open a dialog over the navigation: close it before the next screen.
      for (let k = 0; k < 3 && (await page.getByRole('dialog').count()) > 0; k++) await page.keyboard.press('Escape');
    };
    const tab = (id: string) => page.locator(`#tab-${id}`).click();
    try {
      await page.goto(srv.backend.url);
      await page.locator('input[name=username]').fill('admin');
      await page.locator('input[name=password]').fill(ADMIN_PASSWORD);
      await page.locator('button[type=submit]').click();
      await page.locator('.console').waitFor();

      await check('live', async (pg) => {
        await tab('live');
        await pg.locator('.tile[data-tile-index="0"]').waitFor();
        await pg.dragAndDrop(`.tree-camera[data-camera-id="${cams[0]}"]`, '.tile[data-tile-index="0"]');
      });
      await check('live-layout', async (pg) => {
        await pg
          .locator('.wall-toolbar select')
          .first()
          .selectOption({ label: p(3, 'L') });
      });
      await check('map', async (pg) => {
        await tab('map');
        await pg.locator('.leaflet-container').waitFor();
        const markers = pg.locator('.leaflet-marker-icon');
        for (let i = 0; i < Math.min(await markers.count(), 4); i++) {
          await markers.nth(i).hover({ force: true });
          await markers.nth(i).click({ force: true });
          await pg.waitForTimeout(200);
        }
      });
      await check('playback', async (pg) => {
        await tab('playback');
        await pg.locator(`input[name=source-${cams[0]}]`).check();
        await pg.locator('.pb-tile').first().waitFor();
      });
      for (const view of ['live', 'history', 'rules'] as const)
        await check(`alarms-${view}`, async (pg) => {
          await tab('alarms');
          await pg.locator(`.alarms-views [data-view=${view}]`).click();
          if (view === 'history') await pg.getByRole('button', { name: 'Search', exact: true }).click();
          if (view !== 'rules') await pg.locator('.alarm-row:visible, tbody tr:visible').first().click();
        });
      await check('cases', async (pg) => {
        await tab('cases');
        await pg.locator('.case-item').first().click();
        await pg.locator('.tl-item').first().waitFor();
      });
      const subs = await page
        .locator('.sub-nav-item')
        .count()
        .catch(() => 0);
      await tab('admin');
      const n = Math.max(subs, await page.locator('.sub-nav-item').count());
      for (let i = 0; i < n; i++)
        await check(`admin-${i}`, async (pg) => {
          await tab('admin');
          await pg.locator('.sub-nav-item').nth(i).click();
          await pg.waitForTimeout(300);
          const rows = pg.locator('tbody tr:visible');
          if ((await rows.count()) > 0) await rows.first().click();
        });
    } finally {
      await context.close();
    }
    expect(findings).toEqual([]);
    // The payloads were on the screens, as text: every one of them was shown somewhere.
    expect([...seen].sort()).toEqual([...P].sort());
  }, 300_000);
});

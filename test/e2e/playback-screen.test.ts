// End to end: the Playback screen at 1600×900 in English (admin) and Chinese (investigator): SVG transport icons, a one-line
// toolbar, videos inside the screen, the place row showing Radius, event types as a list; one date format across playback
// search results, the alarms list and the audit table; plural-aware counts. Screenshots go to /tmp/argus-playback-*.png.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alarm } from '../../common/alarms';
import type { AuditEntry } from '../../common/api';
import { DEVICE_EVENT_TYPES } from '../../common/device-events';
import { buildRenderer } from '../../scripts/build-renderer';
import { launchBrowser, openConsole as openSignedIn, type TestBrowser } from '../harness';
import { indexSegments, makeSegments } from './investigation-fixtures';
import { ADMIN_PASSWORD, startInvServer, tempDir, type InvServer } from './investigation-server';

const ZONE = 'Asia/Shanghai';

/** The expected text of an instant in Asia/Shanghai (UTC+8, no daylight saving), computed here independently of the console. */
function shanghai(ms: number): string {
  return `${new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ')} UTC+8`;
}

type Box = { x: number; y: number; width: number; height: number };
const right = (b: Box) => b.x + b.width;

/** A signed-in console page in `lang` (ZONE, 1600×900) on the test's browser (the harness's openConsole). */
async function openConsole(browser: Browser, url: string, lang: 'en' | 'zh-CN', username: string, password: string): Promise<Page> {
  return (await openSignedIn(url, { browser, lang, user: { username, password }, context: { timezoneId: ZONE, viewport: { width: 1600, height: 900 } } })).page;
}

describe('playback screen, dates and plurals (built console, real back end, headless Chromium, 1600×900)', () => {
  let dataDir: string;
  let srv: InvServer;
  let browser: TestBrowser;
  let admin: string;
  const cams: number[] = [];
  let t0: number;

  beforeAll(async () => {
    dataDir = tempDir('playback-screen');
    const build = await buildRenderer(path.join(dataDir, 'console'));
    srv = await startInvServer(path.join(dataDir, 'data'), {}, build.outDir);
    admin = await srv.token();
    await srv.user('ivy', 'investigator');
    t0 = Math.floor((Date.now() - 3_600_000) / 1000) * 1000;
    for (const name of ['North gate', 'South gate']) {
      const r = await srv.api<{ id: number }>('POST', '/api/v1/cameras', admin, { name, url: 'rtsp://127.0.0.1:1/none', enabled: false, segmentSeconds: 6 });
      expect(r.status).toBe(201);
      cams.push(r.body.id);
      // Wide pictures (1280×720): a video's own size must not push its tile past the screen's edge.
      await indexSegments(
        srv.backend.store,
        r.body.id,
        await makeSegments(srv.backend.config.recordingsDir, r.body.id, t0, 2, 6, { width: 1280, height: 720, bitrateKbps: 300 }),
      );
    }
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await srv?.backend.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it.each([
    ['en', 'admin', ADMIN_PASSWORD],
    ['zh-CN', 'ivy', 'password-123'],
  ] as const)(
    'Playback in %s as %s: one-line toolbar, videos inside the screen, SVG frame-step icons, Radius visible, event types listed',
    async (lang, user, password) => {
      const page = await openConsole(browser.browser, srv.backend.url, lang, user, password);
      try {
        await page.locator('#tab-playback').click();
        for (const id of cams) await page.locator(`input[name=source-${id}]`).check();
        await page.locator('.pb-tile').nth(1).waitFor();
        await page.locator('input[name=goto]').fill(new Date(t0 + 5_000 + 8 * 3_600_000).toISOString().slice(0, 19));
        await page.locator('.pb-goto button[type=submit]').click();
        await page.waitForFunction(() => [...document.querySelectorAll<HTMLVideoElement>('.pb-tile video')].every((v) => v.videoWidth > 0), undefined, {
          timeout: 30_000,
        });

        await page.screenshot({ path: `/tmp/argus-playback-${lang}.png` });
        // The toolbar is one line: every control's vertical centre on the first one's, all inside the main area.
        const main = (await page.locator('.pb-main').boundingBox())!;
        const viewport = page.viewportSize()!;
        const boxes = await page.locator('.pb-toolbar > *').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as Box));
        expect(boxes.length).toBeGreaterThan(8);
        const mid = boxes[0]!.y + boxes[0]!.height / 2;
        for (const b of boxes) {
          expect(Math.abs(b.y + b.height / 2 - mid), `toolbar control at x=${b.x} is on another line`).toBeLessThan(4);
          expect(right(b), 'toolbar control past the main area').toBeLessThanOrEqual(right(main) + 0.5);
        }
        // The videos stay inside the main area and the window.
        for (const sel of ['.pb-tile', '.pb-tile video']) {
          for (const b of await page.locator(sel).evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as Box))) {
            expect(right(b), `${sel} runs past the right edge`).toBeLessThanOrEqual(Math.min(right(main), viewport.width) + 0.5);
            expect(b.width).toBeGreaterThan(200);
          }
        }
        expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

        // Frame-step (and play, event, zoom) buttons draw SVG icons, not glyphs a font may lack.
        for (const name of ['play', 'frame-back', 'frame-forward', 'prev-event', 'next-event', 'zoom-in', 'zoom-out']) {
          const button = page.locator(`.pb-toolbar button[name=${name}]`);
          expect(await button.locator('svg').count(), `${name} has an SVG icon`).toBe(1);
          expect((await button.innerText()).trim(), `${name} has no glyph text`).toBe('');
          expect(await button.getAttribute('aria-label')).toBeTruthy();
        }

        // Latitude, Longitude and Radius side by side, each inside the row and the rail, none clipped.
        const place = (await page.locator('.pb-search-place').boundingBox())!;
        const side = (await page.locator('.pb-side').boundingBox())!;
        for (const name of ['search-lat', 'search-lon', 'search-radius']) {
          const input = page.locator(`input[name=${name}]`);
          await expect.poll(() => input.isVisible()).toBe(true);
          const b = (await input.boundingBox())!;
          expect(b.x, `${name} left`).toBeGreaterThanOrEqual(place.x - 0.5);
          expect(right(b), `${name} inside its row`).toBeLessThanOrEqual(right(place) + 0.5);
          expect(right(b), `${name} inside the rail`).toBeLessThanOrEqual(right(side) + 0.5);
          expect(b.width).toBeGreaterThan(30);
        }
        const radiusLabel = page.locator('.pb-search-place label').nth(2);
        expect(await radiusLabel.evaluate((l) => l.scrollWidth <= l.clientWidth + 1)).toBe(true);

        // The event type is a list of the types the server knows, worded in the user's language.
        const select = page.locator('select[name=search-event]');
        expect(await select.count()).toBe(1);
        const options = await select.locator('option').evaluateAll((os) => os.map((o) => [(o as HTMLOptionElement).value, o.textContent ?? '']));
        expect(options.map(([v]) => v)).toEqual(['', ...DEVICE_EVENT_TYPES]);
        const motion = options.find(([v]) => v === 'motion')![1];
        expect(motion).toBe(lang === 'en' ? 'Motion' : '移动侦测');
      } finally {
        await page.context().close();
      }
    },
    120_000,
  );

  /** An alarm, an audit entry, and a bookmark at each one's instant (made once, for both languages). */
  let instants: Promise<{ alarm: Alarm; auditMs: number }> | undefined;
  const makeInstants = async () => {
    const alarm = (await srv.api<Alarm>('POST', '/api/v1/alarms', admin, { sourceId: cams[0], severity: 'major', message: 'Gate forced' })).body;
    const audit = (await srv.api<AuditEntry[]>('GET', '/api/v1/audit?limit=5', admin)).body;
    const auditMs = audit[audit.length - 1]!.tsMs;
    for (const [ms, note] of [
      [alarm.lastMs, 'same as alarm'],
      [auditMs, 'same as audit'],
    ] as const)
      expect((await srv.api('POST', '/api/v1/bookmarks', admin, { cameraId: cams[0], startMs: ms, endMs: ms, note })).status).toBe(201);
    return { alarm, auditMs };
  };

  it.each(['en', 'zh-CN'] as const)(
    'one date format in %s: the same instant reads the same in playback search results, the alarms list and the audit table (user time zone)',
    async (lang) => {
      const { alarm, auditMs } = await (instants ??= makeInstants());
      const page = await openConsole(browser.browser, srv.backend.url, lang, 'admin', ADMIN_PASSWORD);
      try {
        await page.locator('#tab-playback').click();
        await page.locator('input[name=search-text]').fill('same as');
        await page.locator('.pb-search button[type=submit]').click();
        const hit = (note: string) => page.locator('.pb-hits li', { hasText: note });
        await hit('same as audit').waitFor();
        const inSearch = async (note: string) => /(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC[+-]\d+)/.exec(await hit(note).innerText())?.[1];
        expect(await inSearch('same as alarm')).toBe(shanghai(alarm.lastMs));
        expect(await inSearch('same as audit')).toBe(shanghai(auditMs));

        await page.locator('#tab-alarms').click();
        const row = page.locator(`[data-testid=live-alarms] .alarm-row[data-alarm-id="${alarm.id}"]`);
        await row.waitFor();
        expect(await row.innerText()).toContain(shanghai(alarm.lastMs));

        await page.locator('#tab-admin').click();
        await page.locator('.sub-nav-item').nth(3).click();
        await page.locator('.audit-table tbody tr').first().waitFor();
        const times = await page.locator('.audit-table tbody tr td:first-child').allInnerTexts();
        expect(times).toContain(shanghai(auditMs));
      } finally {
        await page.context().close();
      }
    },
    120_000,
  );

  it('counts read right for 1 and for many in English', async () => {
    const page = await openConsole(browser.browser, srv.backend.url, 'en', 'admin', ADMIN_PASSWORD);
    try {
      await page.locator('#tab-admin').click();
      await page.locator('.sub-nav-item').nth(0).click();
      await expect.poll(() => page.locator('.admin-panel').first().innerText()).toContain('2 cameras');
      await page.locator('#tab-live').click();
      const single = page.locator('[aria-label="Layout with 1 tile"]');
      expect(await single.count()).toBe(1);
      expect(await page.locator('[aria-label="Layout with 1 tiles"]').count()).toBe(0);
      expect(await page.locator('[aria-label="Layout with 4 tiles"]').count()).toBe(1);
      const r = await srv.api('DELETE', `/api/v1/cameras/${cams[1]}`, admin);
      expect(r.status).toBe(204);
      await page.locator('#tab-admin').click();
      await expect.poll(() => page.locator('.admin-panel').first().innerText()).toMatch(/\b1 camera\b(?!s)/);
    } finally {
      await page.context().close();
    }
  }, 120_000);
});

// End to end in headless Chromium, in English and Chinese: the Cases tab updates live, orders its timeline with previews, downloads packages with progress, and fits 1600×900 without overflow.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case, ExportJob, Manifest } from '../../common/investigation';
import { buildRenderer } from '../../scripts/build-renderer';
import { launchBrowser, signIn, type TestBrowser } from '../harness';
import { indexSegments, makeSegments } from './investigation-fixtures';
import { ADMIN_PASSWORD, startInvServer, tempDir, until, type InvServer } from './investigation-server';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const SHOTS = process.env.ARGUS_SCREENSHOT_DIR ?? '/tmp/argus-screenshots';

/** "2026-06-12 16:30:05 UTC+8": how the console writes a time in Asia/Shanghai (the browser's zone in these tests). */
function shanghai(ms: number): string {
  return `${new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ')} UTC+8`;
}

/** Elements of the tab wider than their container, text clipped by its box (overflow hidden/clip/ellipsis), and form layout faults. */
async function overflowProblems(page: Page, selector: string): Promise<string[]> {
  return page.locator(selector).evaluate((root) => {
    const out: string[] = [];
    const name = (el: Element) =>
      `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}${el.getAttribute('name') ? `[name=${el.getAttribute('name')}]` : ''}`;
    for (const el of [root, ...root.querySelectorAll('*')]) {
      if (!(el instanceof HTMLElement)) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      const parent = el.parentElement;
      if (parent && el !== root) {
        const pr = parent.getBoundingClientRect();
        if (r.right > pr.right + 1 || r.left < pr.left - 1)
          out.push(`wider than its container: ${name(el)} (${Math.round(r.width)} px in ${Math.round(pr.width)} px ${name(parent)})`);
      }
      const cs = getComputedStyle(el);
      const clipsX = cs.overflowX === 'hidden' || cs.overflowX === 'clip';
      const clipsY = cs.overflowY === 'hidden' || cs.overflowY === 'clip';
      if (clipsX && el.scrollWidth > el.clientWidth + 1) out.push(`text clipped sideways: ${name(el)} "${el.textContent?.slice(0, 60)}"`);
      if (clipsY && el.scrollHeight > el.clientHeight + 1) out.push(`text clipped vertically: ${name(el)} "${el.textContent?.slice(0, 60)}"`);
    }
    // Form layout as the console brief has it: a field's label above its input, a checkbox before its text, no native fieldset frame.
    for (const input of root.querySelectorAll<HTMLInputElement>('input, select, textarea')) {
      const label = input.closest('label') ?? (input.id ? root.querySelector(`label[for="${input.id}"]`) : null);
      if (!label) continue;
      const ir = input.getBoundingClientRect();
      if (input.type === 'checkbox') {
        const tr = document.createRange();
        tr.selectNodeContents(label);
        const text = [...label.childNodes].filter((n) => n !== input && (n.textContent ?? '').trim());
        const firstText = text[0];
        if (firstText) {
          tr.selectNodeContents(firstText);
          if (tr.getBoundingClientRect().left < ir.left) out.push(`checkbox after its text: ${name(input)}`);
        }
        continue;
      }
      const lr = (label.contains(input) ? label.firstChild : label) as Node;
      const range = document.createRange();
      range.selectNodeContents(lr);
      if (range.getBoundingClientRect().bottom > ir.top + 1) out.push(`label not above its field: ${name(input)} "${label.textContent?.trim().slice(0, 30)}"`);
    }
    for (const fs of root.querySelectorAll('fieldset')) {
      const cs = getComputedStyle(fs);
      if (cs.borderTopStyle !== 'none' && parseFloat(cs.borderTopWidth) > 0) out.push(`native fieldset frame: ${name(fs)}`);
    }
    return out;
  });
}

describe('Cases tab (built console, real back end, headless Chromium)', () => {
  let dataDir: string;
  let srv: InvServer;
  let browser: TestBrowser;
  let admin: string;
  /** Another investigator's console (a dispatcher may not file into cases: issue 13). */
  let colleague: string;
  let cameraId: number;
  let t0: number;

  beforeAll(async () => {
    dataDir = tempDir('cases-console');
    const build = await buildRenderer(path.join(dataDir, 'console'));
    srv = await startInvServer(path.join(dataDir, 'data'), {}, build.outDir);
    admin = await srv.token();
    await srv.user('ina', 'investigator');
    colleague = await srv.user('ivo', 'investigator');
    const cam = await srv.backend.store.cameras.create(
      {
        name: '北门 North gate',
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
    cameraId = cam.id;
    t0 = Math.floor((Date.now() - 3_600_000) / 1000) * 1000;
    await indexSegments(srv.backend.store, cameraId, await makeSegments(srv.backend.config.recordingsDir, cameraId, t0, 2, 6));
    browser = await launchBrowser();
    fs.mkdirSync(SHOTS, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await srv?.backend.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  describe.each([
    { lang: 'en', user: 'ina', password: 'password-123', tab: 'Cases', reference: 'CR-2026/0042', zip: 'Download package (ZIP)' },
    { lang: 'zh-CN', user: 'admin', password: ADMIN_PASSWORD, tab: '案件', reference: '沪公刑字〔2026〕123号', zip: '下载证据包（ZIP）' },
  ])('in $lang as $user', ({ lang, user, password, tab, reference, zip }) => {
    let context: BrowserContext;
    let page: Page;
    let kase: Case;
    let job: ExportJob;
    const pageErrors: string[] = [];

    beforeAll(async () => {
      kase = (await srv.api<Case>('POST', '/api/v1/cases', admin, { reference, title: lang === 'en' ? 'Gate collision' : '北门车辆碰撞' })).body;
      const r = await srv.api<ExportJob>('POST', '/api/v1/exports', admin, {
        caseId: kase.id,
        sources: [{ cameraId }],
        startMs: t0 + 1000,
        endMs: t0 + 11_000,
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      job = await until(
        async () => {
          const j = (await srv.api<ExportJob>('GET', `/api/v1/exports/${r.body.id}`, admin)).body;
          return j.state === 'done' || j.state === 'failed' ? j : null;
        },
        120_000,
        'export',
      );
      expect(job.state, job.error ?? '').toBe('done');
      expect(
        (await srv.api('POST', '/api/v1/bookmarks', admin, { cameraId, startMs: t0 + 3000, endMs: t0 + 5000, note: 'van reverses', caseId: kase.id })).status,
      ).toBe(201);
      context = await browser.newContext({ locale: 'en-US', timezoneId: 'Asia/Shanghai', viewport: { width: 1600, height: 900 }, acceptDownloads: true });
      page = await context.newPage();
      page.on('pageerror', (err) => pageErrors.push(err.stack ?? err.message));
      page.setDefaultTimeout(20_000);
      await signIn(page, srv.backend.url, user, password);
      if (lang === 'zh-CN') await page.getByRole('button', { name: '中文' }).click();
      await page.getByRole('tab', { name: tab }).click();
      await page.locator('.case-item', { hasText: reference }).click();
      await page.locator('.tl-item[data-kind=export][data-state=done]').waitFor();
    }, 180_000);

    afterAll(async () => {
      await context?.close();
    });

    it('shows a bookmark and a snapshot made from another console without a reload, in recorded-time order, with previews', async () => {
      const marker = await page.evaluate(() => ((window as unknown as { marker: number }).marker = Math.random()));
      const b = await srv.api('POST', '/api/v1/bookmarks', colleague, { cameraId, startMs: t0 + 500, endMs: t0 + 900, note: `live ${lang}`, caseId: kase.id });
      expect(b.status).toBe(201);
      const s = await srv.api('POST', '/api/v1/snapshots', colleague, { cameraId, tMs: t0 + 8000, note: `frame ${lang}`, caseId: kase.id });
      expect(s.status, JSON.stringify(s.body)).toBe(201);
      await page.locator('.tl-item[data-kind=bookmark]', { hasText: `live ${lang}` }).waitFor();
      await page.locator('.tl-item[data-kind=snapshot]', { hasText: `frame ${lang}` }).waitFor();
      expect(await page.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(marker); // same page: no reload

      const items = page.locator('.tl-item');
      const kinds = await items.evaluateAll((els) => els.map((e) => `${e.getAttribute('data-kind')}@${e.getAttribute('data-at-ms')}`));
      expect(kinds).toEqual([`bookmark@${t0 + 500}`, `export@${t0 + 1000}`, `bookmark@${t0 + 3000}`, `snapshot@${t0 + 8000}`]);
      // Times in the user's zone (Asia/Shanghai here).
      expect(await items.locator('.tl-time').allInnerTexts()).toEqual([t0 + 500, t0 + 1000, t0 + 3000, t0 + 8000].map(shanghai));
      // Previews: the snapshot's JPEG is loaded.
      const thumb = page.locator('.tl-item[data-kind=snapshot] img.tl-thumb');
      await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
      // Bookmarks and exports show the recorded frame at their moment under a play button.
      expect(await page.locator('.tl-item[data-kind=bookmark] .tl-play').count()).toBe(2);
      expect(await page.locator('.tl-item[data-kind=export] .tl-play').count()).toBe(1);
      for (const frame of await page.locator('.tl-item img.tl-frame').all())
        await expect.poll(() => frame.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 20_000 }).toBeGreaterThan(0);
      expect(await page.locator('.tl-item img.tl-frame').count()).toBe(3);
      // The case list's counts follow too.
      await expect.poll(() => page.locator('.case-item', { hasText: reference }).locator('.case-item-counts').innerText()).toContain('2');
      expect(pageErrors).toEqual([]);
    }, 60_000);

    it('downloads the package as a ZIP from the console with progress; it unpacks and verifies; single files too', async () => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: zip }).click()]);
      expect(download.suggestedFilename()).toBe(`${job.dirName}.zip`);
      const zipFile = path.join(dataDir, `console-${lang}.zip`);
      await download.saveAs(zipFile);
      const line = page.locator('.tl-item[data-kind=export] .download-line');
      await line.and(page.locator('[data-download-state=done]')).waitFor();
      const total = Number(await line.getAttribute('data-total'));
      expect(total).toBe(fs.statSync(zipFile).size);
      expect(Number(await line.getAttribute('data-sent'))).toBe(total);
      expect(await line.locator('progress').evaluate((p: HTMLProgressElement) => p.value / p.max)).toBe(1);
      expect(await line.innerText()).toContain(lang === 'en' ? 'Downloaded' : '已下载');
      const t = spawnSync('unzip', ['-t', zipFile], { encoding: 'utf8' });
      expect(t.status, t.stdout + t.stderr).toBe(0);
      const out = path.join(dataDir, `unpacked-${lang}`);
      expect(spawnSync('unzip', ['-q', zipFile, '-d', out]).status).toBe(0);
      const v = spawnSync('npm', ['run', '--silent', 'verify-export', '--', path.join(out, job.dirName)], { cwd: ROOT, encoding: 'utf8' });
      expect(v.status, v.stdout + v.stderr).toBe(0);

      // One file: the MP4, byte for byte.
      const manifest = JSON.parse(fs.readFileSync(path.join(out, job.dirName, 'manifest.json'), 'utf8')) as Manifest;
      const mp4 = manifest.sources[0]!.file!;
      await page.locator('.tl-item[data-kind=export] .export-files summary').click();
      const [one] = await Promise.all([page.waitForEvent('download'), page.locator(`.file-download[data-file="${mp4}"]`).click()]);
      const oneFile = path.join(dataDir, `one-${lang}.mp4`);
      await one.saveAs(oneFile);
      expect(fs.readFileSync(oneFile).equals(fs.readFileSync(path.join(out, job.dirName, ...mp4.split('/'))))).toBe(true);
      const audit = (
        await srv.api<Array<{ action: string; username: string; detail: { file: string } }>>('GET', '/api/v1/audit?action=export.download&limit=100', admin)
      ).body;
      expect(audit.filter((a) => a.username === user).map((a) => a.detail.file)).toEqual(expect.arrayContaining([`${job.dirName}.zip`, mp4]));
      expect(pageErrors).toEqual([]);
    }, 90_000);

    it('plays a bookmark from its timeline entry at its time', async () => {
      await page.locator('.tl-item[data-kind=bookmark]', { hasText: 'van reverses' }).locator('.play-link').click();
      await expect.poll(() => page.locator('.pb-now').innerText()).toContain(shanghai(t0 + 3000));
      await page.getByRole('tab', { name: tab }).click();
    }, 30_000);

    it('fits 1600×900: nothing wider than its container, no clipped text, labels above fields (screenshot for review)', async () => {
      await page.getByRole('tab', { name: tab }).click();
      await page.locator('.tl-item').first().waitFor();
      await page.screenshot({ path: path.join(SHOTS, `cases-tab-${lang}.png`) });
      expect(await overflowProblems(page, '.cases-tab')).toEqual([]);
    });
  });
});

// End to end: the alarm rule editor with 500 cameras (disabled: no recorder starts): the source picker is the device tree's
// model, searchable, rendering a bounded number of rows; the chosen source shows as a removable chip; groups come from a list
// of the existing groups; the saved rule's sources and groups are right over the API. English as admin, Chinese as dispatcher.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlarmRule } from '../../common/alarms';
import type { Camera } from '../../common/api';
import { PICKER_MAX_ROWS } from '../../renderer/alarms/source-picker';
import { buildRenderer } from '../../scripts/build-renderer';
import { launchBrowser, openConsole as openSignedIn, type TestBrowser } from '../harness';
import { ADMIN_PASSWORD, startInvServer, tempDir, type InvServer } from './investigation-server';

const CAMERAS = 500;
const GROUPS = 10;
const camName = (i: number) => `Camera ${String(i).padStart(3, '0')}`;

/** A signed-in console page in `lang` (the Shanghai zone, 1600×900) on the test's browser (the harness's openConsole). */
async function openConsole(browser: Browser, url: string, lang: 'en' | 'zh-CN', username: string, password: string): Promise<Page> {
  return (
    await openSignedIn(url, { browser, lang, user: { username, password }, context: { timezoneId: 'Asia/Shanghai', viewport: { width: 1600, height: 900 } } })
  ).page;
}

/** ffmpeg processes whose arguments name this test's data directory. */
function ffmpegsUnder(dir: string): number {
  const out = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
  return out.split('\n').filter((l) => /ffmpeg/.test(l) && l.includes(dir)).length;
}

describe('rule editor source picker with 500 cameras (built console, real back end, headless Chromium)', () => {
  let dataDir: string;
  let srv: InvServer;
  let browser: TestBrowser;
  let admin: string;
  const ids: number[] = [];

  beforeAll(async () => {
    dataDir = tempDir('rule-picker');
    const build = await buildRenderer(path.join(dataDir, 'console'));
    srv = await startInvServer(path.join(dataDir, 'data'), {}, build.outDir);
    admin = await srv.token();
    await srv.user('dora', 'dispatcher');
    // Over the API, disabled (an unreachable URL too): the server stores them and starts no recorder.
    for (let i = 0; i < CAMERAS; i += 25) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(25, CAMERAS - i) }, (_, k) =>
          srv.api<Camera>('POST', '/api/v1/cameras', admin, {
            name: camName(i + k),
            url: 'rtsp://127.0.0.1:1/none',
            enabled: false,
            groupName: `District ${(i + k) % GROUPS}`,
          }),
        ),
      );
      for (const r of batch) {
        expect(r.status).toBe(201);
        ids[Number(r.body.name.slice(-3))] = r.body.id;
      }
    }
    browser = await launchBrowser();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await srv?.backend.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('500 cameras start no recorder', async () => {
    const cams = (await srv.api<Camera[]>('GET', '/api/v1/cameras', admin)).body;
    expect(cams).toHaveLength(CAMERAS);
    expect(cams.filter((c) => c.status.state !== 'stopped')).toEqual([]);
    expect(ffmpegsUnder(dataDir)).toBe(0);
  });

  it.each([
    ['en', 'admin', ADMIN_PASSWORD, 417, 3],
    ['zh-CN', 'dora', 'password-123', 42, 7],
  ] as const)(
    'in %s as %s: finds a camera by name among 500, chooses it and a group, saves; the rule is right over the API',
    async (lang, user, password, n, group) => {
      const page = await openConsole(browser.browser, srv.backend.url, lang, user, password);
      try {
        await page.locator('#tab-alarms').click();
        await page.locator('.alarms-views button[data-view=rules]').click();
        await page.locator('.alarm-rules .alarms-toolbar button.primary').click();
        const editor = page.locator('form.rule-editor');
        await editor.locator('input[name=name]').fill(`Rule ${lang}`);
        const rows = editor.locator('.picker-row');
        await rows.first().waitFor();
        // Not 500 checkboxes: a bounded tree, the rest reached by searching.
        expect(await rows.count()).toBe(PICKER_MAX_ROWS);
        await editor.locator('.picker-more').waitFor();

        // Filter: time from the keystroke's input event to the filtered tree on screen.
        const filterMs = await page.evaluate(async (q) => {
          const input = document.querySelector<HTMLInputElement>('form.rule-editor input[name=sourceSearch]')!;
          const t0 = performance.now();
          input.value = q;
          input.dispatchEvent(new Event('input', { bubbles: true }));
          for (;;) {
            await new Promise((r) => requestAnimationFrame(r));
            if (document.querySelectorAll('form.rule-editor .picker-row').length === 1) return performance.now() - t0;
          }
        }, camName(n).toLowerCase());
        console.log(`[rule-picker] ${lang}: filtering ${CAMERAS} cameras to 1 took ${filterMs.toFixed(1)} ms (to the next frame)`);
        expect(await rows.innerText()).toContain(camName(n));
        await rows.locator(`input[name=sourceIds][value="${ids[n]}"]`).check();
        // A second camera, chosen then removed through its chip.
        await editor.locator('input[name=sourceSearch]').fill(camName(n + 1));
        await rows.locator(`input[name=sourceIds][value="${ids[n + 1]}"]`).check();
        const chips = editor.locator('.picker-chip');
        await expect.poll(() => chips.allInnerTexts()).toEqual([camName(n), camName(n + 1)]);
        await editor.locator(`.picker-chip[data-source-id="${ids[n + 1]}"] button`).click();
        await expect.poll(() => chips.allInnerTexts()).toEqual([camName(n)]);

        // Groups: a list of the existing ones, not typed text.
        expect(await editor.locator('input[name=groups][type=checkbox]').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value))).toEqual(
          Array.from({ length: GROUPS }, (_, g) => `District ${g}`),
        );
        await editor.locator(`input[name=groups][value="District ${group}"]`).check();
        await editor.locator('input[name=types][value=motion]').check();
        await page.screenshot({ path: `/tmp/argus-rule-editor-${lang}.png` });
        await editor.locator('button[type=submit]').click();
        await page.locator('[data-testid=alarm-rules] .rule-item', { hasText: `Rule ${lang}` }).waitFor();

        const rule = (await srv.api<AlarmRule[]>('GET', '/api/v1/alarm-rules', admin)).body.find((r) => r.name === `Rule ${lang}`)!;
        expect(rule).toMatchObject({ sourceIds: [ids[n]], groups: [`District ${group}`], types: ['motion'] });
        // Editing it again shows the same choices.
        await page.locator(`[data-testid=alarm-rules] .rule-item[data-rule-id="${rule.id}"] button[data-action=edit]`).click();
        await expect.poll(() => editor.locator('.picker-chip').allInnerTexts()).toEqual([camName(n)]);
        expect(await editor.locator(`input[name=groups][value="District ${group}"]`).isChecked()).toBe(true);
      } finally {
        await page.context().close();
      }
    },
    120_000,
  );
});

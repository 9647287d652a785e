// End to end: every tab, Admin panel, menu and main dialog of the console at 1600×900 in English and Chinese, with realistic data,
// screenshotted (into the test's temp dir, removed afterwards; set ARGUS_SCREENSHOT_DIR to keep them) and checked by screen-check.ts for overflow, clipped text and English left in zh-CN.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case, ExportJob } from '../../common/investigation';
import { CATALOGS } from '../../renderer/i18n/index';
import type { MessageKey } from '../../renderer/i18n/en';
import { buildRenderer } from '../../scripts/build-renderer';
import { launchBrowser, type TestBrowser } from '../harness';
import { indexSegments, makeSegments } from './investigation-fixtures';
import { ADMIN_PASSWORD, startInvServer, tempDir, until, type InvServer } from './investigation-server';
import { checkScreen } from './screen-check';

type Lang = 'en' | 'zh-CN';

/** Everything the test entered: shown as entered in both languages, so not checked for language. */
const DATA: string[] = [
  'Gate North',
  '北门',
  'South Depot',
  'Lobby 2F',
  'Patrol 7',
  'Body 12',
  'Gate forced',
  'Gate collision',
  'CR-2026/0042',
  'van reverses',
  'Night shift',
  'Depot wall',
  'dora',
  'ivan',
  'olga',
  'admin',
  'Depot',
];

describe('every screen at 1600×900 in both languages (built console, real back end, headless Chromium)', () => {
  let dataDir: string;
  let shots: string;
  let srv: InvServer;
  let browser: TestBrowser;
  let admin: string;
  let caseRef = '';
  const cams: number[] = [];

  beforeAll(async () => {
    dataDir = tempDir('screens');
    shots = process.env.ARGUS_SCREENSHOT_DIR ?? path.join(dataDir, 'screenshots');
    fs.mkdirSync(shots, { recursive: true });
    const build = await buildRenderer(path.join(dataDir, 'console'));
    srv = await startInvServer(path.join(dataDir, 'data'), {}, build.outDir);
    admin = await srv.token();
    await srv.user('dora', 'dispatcher');
    await srv.user('ivan', 'investigator');
    await srv.user('olga', 'officer');
    // Cameras: one that cannot be reached (enabled: offline, with the reason), one switched off, one with recordings.
    const t0 = Math.floor((Date.now() - 3_600_000) / 1000) * 1000;
    for (const [name, enabled, groupName] of [
      ['Gate North', true, 'Depot'],
      ['Lobby 2F', false, 'Depot'],
      ['北门 South Depot', false, null],
    ] as const) {
      const r = await srv.api<{ id: number }>('POST', '/api/v1/cameras', admin, {
        name,
        url: 'rtsp://127.0.0.1:1/none',
        enabled,
        segmentSeconds: 6,
        groupName,
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      cams.push(r.body.id);
    }
    await indexSegments(srv.backend.store, cams[2]!, await makeSegments(srv.backend.config.recordingsDir, cams[2]!, t0, 2, 6));
    for (const [callsign, type] of [
      ['Patrol 7', 'vehicle'],
      ['Body 12', 'body'],
    ] as const)
      expect((await srv.api('POST', '/api/v1/units', admin, { callsign, type })).status).toBe(201);
    expect((await srv.api('POST', '/api/v1/alarms', admin, { sourceId: cams[0], severity: 'major', message: 'Gate forced' })).status).toBe(201);
    expect(
      (await srv.api('POST', '/api/v1/alarm-rules', admin, { name: 'Night shift', types: ['manual'], minSeverity: 'critical', actions: { sound: true } }))
        .status,
    ).toBe(201);
    expect(
      (await srv.api('PUT', '/api/v1/layouts/Depot%20wall', admin, { name: 'Depot wall', layout: '4', tiles: [cams[0], cams[1], null, null] })).status,
    ).toBeLessThan(300);
    caseRef = 'CR-2026/0042';
    const kase = (await srv.api<Case>('POST', '/api/v1/cases', admin, { reference: caseRef, title: 'Gate collision' })).body;
    const ex = await srv.api<ExportJob>('POST', '/api/v1/exports', admin, {
      caseId: kase.id,
      sources: [{ cameraId: cams[2] }],
      startMs: t0 + 1000,
      endMs: t0 + 9000,
    });
    expect(ex.status, JSON.stringify(ex.body)).toBe(201);
    const job = await until(
      async () => {
        const j = (await srv.api<ExportJob>('GET', `/api/v1/exports/${ex.body.id}`, admin)).body;
        return j.state === 'done' || j.state === 'failed' ? j : null;
      },
      120_000,
      'export',
    );
    DATA.push(job.dirName); // the package's directory name, made from the case reference: data
    expect(
      (await srv.api('POST', '/api/v1/bookmarks', admin, { cameraId: cams[2], startMs: t0 + 3000, endMs: t0 + 5000, note: 'van reverses', caseId: kase.id }))
        .status,
    ).toBe(201);
    // The unreachable camera has tried and failed at least once, so its reason is on the screens.
    await until(
      async () =>
        (await srv.api<Array<{ id: number; status: string }>>('GET', '/api/v1/cameras', admin)).body.find((c) => c.id === cams[0] && c.status !== 'starting'),
      60_000,
      'camera status',
    );
    browser = await launchBrowser();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await srv?.backend.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** A console in `lang` at 1600×900 and `screen(label, act)`: do `act`, screenshot, check; a step that cannot be reached is a finding too. */
  async function walker(lang: Lang, shotPrefix: string) {
    const context = await browser.newContext({
      locale: lang === 'en' ? 'en-US' : 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      viewport: { width: 1600, height: 900 },
    });
    await context.addInitScript((l) => localStorage.setItem('argus.lang', l), lang);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const findings: string[] = [];
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const screen = async (label: string, act: (p: Page) => Promise<void>, root = 'body') => {
      try {
        await act(page);
        await page.waitForTimeout(500);
        await page.screenshot({ path: path.join(shots, `${shotPrefix}-${label}.png`) });
        for (const f of await checkScreen(page, { lang, root, data: DATA, skipOverflow: ['.leaflet-map-pane', '.leaflet-container'] }))
          findings.push(`[${label}] ${f}`);
      } catch (e) {
        await page.screenshot({ path: path.join(shots, `${shotPrefix}-${label}-unreached.png`) }).catch(() => undefined);
        findings.push(`[${label}] could not be reached: ${(e as Error).message.split('\n')[0]}`);
      }
    };
    const signIn = async (username: string, password: string) => {
      await page.goto(srv.backend.url);
      await screen('sign-in', async (p) => void (await p.locator('input[name=username]').waitFor()));
      await page.locator('input[name=username]').fill(username);
      await page.locator('input[name=password]').fill(password);
      await page.locator('button[type=submit]').click();
      await page.locator('.console').waitFor();
    };
    return { context, page, screen, signIn, findings, pageErrors, tab: (id: string) => page.locator(`#tab-${id}`).click() };
  }

  it.each(['en', 'zh-CN'] as const)(
    'walks every screen in %s: nothing wider than its container, no clipped text, no untranslated text',
    async (lang: Lang) => {
      const tr = (key: MessageKey) => CATALOGS[lang][key];
      const { context, page, screen, signIn, findings, pageErrors, tab } = await walker(lang, lang);
      const closeDialog = async () => {
        for (let k = 0; k < 3 && (await page.getByRole('dialog').count()) > 0; k++) await page.keyboard.press('Escape');
      };
      try {
        await signIn('admin', ADMIN_PASSWORD);

        await screen('live', async (p) => {
          await tab('live');
          await p.locator('.tile[data-tile-index="0"]').waitFor();
          await p.dragAndDrop(`.tree-camera[data-camera-id="${cams[0]}"]`, '.tile[data-tile-index="0"]');
          await p.dragAndDrop(`.tree-camera[data-camera-id="${cams[1]}"]`, '.tile[data-tile-index="1"]');
          await p.locator('.tile[data-tile-index="0"][data-state]').waitFor();
        });
        await screen('live-saved-layout', async (p) => {
          await p.locator('.wall-toolbar select').first().selectOption({ label: 'Depot wall' });
          await p.locator('.tile[data-tile-index="3"]').waitFor();
        });
        await screen('live-save-layout', async (p) => {
          await p.getByRole('button', { name: tr('live.layouts.saveAs') }).click();
          await p.getByRole('dialog').waitFor();
        });
        await closeDialog();
        await screen('live-tour', async (p) => {
          await p
            .getByRole('button', { name: tr('live.tour.button') })
            .first()
            .click();
          await p.getByRole('dialog').waitFor();
        });
        await closeDialog();
        await screen('live-carousel', async (p) => {
          await p.getByRole('button', { name: tr('wall.carousel.button') }).click();
          await p.getByRole('dialog').waitFor();
        });
        await closeDialog();
        await screen('map', async () => {
          await tab('map');
          await page.locator('.leaflet-container').waitFor();
        });
        await screen('playback', async (p) => {
          await tab('playback');
          await p.locator(`input[name=source-${cams[2]}]`).check();
          await p.locator('.pb-tile').first().waitFor();
        });
        for (const view of ['live', 'history', 'rules'] as const)
          await screen(`alarms-${view}`, async (p) => {
            await tab('alarms');
            await p.locator(`.alarms-views [data-view=${view}]`).click();
          });
        await screen('alarms-detail', async (p) => {
          await tab('alarms');
          await p.locator('.alarms-views [data-view=live]').click();
          await p.locator('.alarm-row').first().click();
          await p.waitForTimeout(300);
        });
        await screen('alarms-rule-editor', async (p) => {
          await p.locator('.alarms-views [data-view=rules]').click();
          await p.getByRole('button', { name: tr('alarms.rules.new') }).click();
          await p.waitForTimeout(300);
        });
        await page.keyboard.press('Escape');
        await screen('cases', async (p) => {
          await tab('cases');
          await p.locator('.case-item', { hasText: caseRef }).click();
          await p.locator('.tl-item').first().waitFor();
        });
        const subs = ['cameras', 'units', 'users', 'audit', 'org'];
        for (let i = 0; i < subs.length; i++)
          await screen(`admin-${subs[i]}`, async (p) => {
            await tab('admin');
            await p.locator('.sub-nav-item').nth(i).click();
            await p.waitForTimeout(300);
          });
        await screen('admin-camera-detail', async (p) => {
          await tab('admin');
          await p.locator('.sub-nav-item').nth(0).click();
          await p.locator('.cameras-table tbody tr', { hasText: 'Gate North' }).click();
          await p.locator('.camera-detail').waitFor();
        });
        await screen('admin-add-camera', async (p) => {
          await p.getByRole('button', { name: tr('cameras.add'), exact: true }).click();
          await p.getByRole('dialog').waitFor();
        });
        await closeDialog();
        await screen('admin-add-onvif', async (p) => {
          await p.getByRole('button', { name: tr('onvif.add.button') }).click();
          await p.getByRole('dialog').waitFor();
        });
        await closeDialog();
        await screen('admin-add-unit', async (p) => {
          await p.locator('.sub-nav-item').nth(1).click();
          await p.getByRole('button', { name: tr('units.add') }).click();
          await p.getByRole('dialog').waitFor();
        });
        await closeDialog();
        await screen('admin-unit-key', async (p) => {
          await p
            .locator('tr', { hasText: 'Patrol 7' })
            .getByRole('button', { name: tr('units.rotate') })
            .click();
          await p
            .getByRole('dialog')
            .getByRole('button', { name: tr('units.rotate') })
            .click();
          await p.getByRole('dialog').waitFor();
          await p.waitForTimeout(300);
        });
        await closeDialog();
        await screen('admin-reset-password', async (p) => {
          await p.locator('.sub-nav-item').nth(2).click();
          await p
            .locator('.users-table tr', { hasText: 'dora' })
            .getByRole('button', { name: tr('accounts.reset.action') })
            .click();
          await p.getByRole('dialog').waitFor();
        });
        await closeDialog();
        await screen('user-menu', async (p) => {
          await p.locator('.user-button').click();
          await p.getByRole('menu').waitFor();
        });
        await screen('password-dialog', async (p) => {
          await p.getByRole('menuitem', { name: tr('accounts.menu.changePassword') }).click();
          await p.getByRole('dialog').waitFor();
        });
        await closeDialog();
      } finally {
        await context.close();
      }
      if (findings.length) console.log(`${lang}: ${findings.length} findings\n${findings.join('\n')}`);
      expect(findings).toEqual([]);
      expect(pageErrors).toEqual([]);
    },
    240_000,
  );
  it.each([
    ['dispatcher', 'dora', 'en'],
    ['officer', 'olga', 'zh-CN'],
    ['investigator', 'ivan', 'zh-CN'],
  ] as const)(
    'walks the tabs a %s sees (%s, %s) with the same checks',
    async (_role, username, lang) => {
      const { context, page, screen, signIn, findings, pageErrors } = await walker(lang, `${lang}-${username}`);
      try {
        await signIn(username, 'password-123');
        const tabs = await page.getByRole('tab').evaluateAll((els) => els.map((e) => e.id).filter((id) => id.startsWith('tab-')));
        expect(tabs.length).toBeGreaterThan(2);
        for (const id of tabs) {
          await screen(id.slice(4), async (p) => {
            await p.locator(`#${id}`).click();
            await p.locator(`#panel-${id.slice(4)}:not([hidden])`).waitFor();
          });
          if (id === 'tab-alarms')
            for (const view of ['history', 'rules'] as const) await screen(`alarms-${view}`, (p) => p.locator(`.alarms-views [data-view=${view}]`).click());
        }
      } finally {
        await context.close();
      }
      if (findings.length) console.log(`${username} (${lang}): ${findings.length} findings\n${findings.join('\n')}`);
      expect(findings).toEqual([]);
      expect(pageErrors).toEqual([]);
    },
    180_000,
  );
});

// End to end in zh-CN (Asia/Shanghai): Admin → Audit and an alarm's linkage outcomes show no action code, raw JSON or
// English; both CSV downloads (audit log, alarm history) have Chinese headers, local times with the offset and Chinese file names.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alarm, AlarmList, AlarmRule } from '../../common/alarms';
import type { Camera } from '../../common/api';
import { zhCN } from '../../renderer/i18n/zh-CN';
import { buildRenderer } from '../../scripts/build-renderer';
import { scanAuditActions } from '../i18n/audit-actions';
import { ADMIN_PASSWORD, eventually, startAlarmServer, type AlarmTestServer } from './alarms-support';
import { launchBrowser, type TestBrowser } from '../harness';

const ZONE = 'Asia/Shanghai';
/** Today's date in the browser's zone, as the file names carry it. */
const localDate = () => new Intl.DateTimeFormat('sv-SE', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
const SERVER_ACTIONS = [...scanAuditActions(fileURLToPath(new URL('../..', import.meta.url))).actions.keys()];

describe('audit log, alarm outcomes and CSV exports in Chinese (built console, real back end, headless Chromium)', () => {
  let tmp: string;
  let srv: AlarmTestServer;
  let browser: TestBrowser;
  let context: BrowserContext;
  let page: Page;
  let camera: Camera;
  let alarm: Alarm;
  const pageErrors: string[] = [];

  const save = async (d: Download, name: string): Promise<string> => {
    const file = path.join(tmp, name);
    await d.saveAs(file);
    return fs.readFileSync(file, 'utf8');
  };

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-e2e-audit-csv-'));
    const build = await buildRenderer(path.join(tmp, 'console'));
    srv = await startAlarmServer({ tmp, consoleDir: build.outDir });
    // A camera that is not recording: the rule's snapshot fails (with a reason the console words).
    camera = (await srv.api<Camera>('POST', '/api/v1/cameras', { name: '东门摄像机', url: 'rtsp://127.0.0.1:9/x', enabled: false })).body;
    const rule = await srv.api<AlarmRule>('POST', '/api/v1/alarm-rules', {
      name: '东门防拆',
      sourceIds: [camera.id],
      types: ['tamper'],
      minSeverity: 'info',
      actions: { wall: { window: 0, tile: 2 }, sound: true, snapshot: true, notify: { roles: ['dispatcher'], userIds: [] } },
    });
    expect(rule.status).toBe(201);
    await srv.backend.deviceEvents.record({ cameraId: camera.id, type: 'tamper', state: 'pulse', startMs: Date.now(), detail: null });
    alarm = await eventually(
      async () => {
        const a = (await srv.api<AlarmList>('GET', '/api/v1/alarms?type=tamper')).body.alarms[0];
        return a && a.actions.length === 4 ? a : null;
      },
      20_000,
      'the alarm with its four action outcomes',
    );
    expect(alarm.actions.find((a) => a.kind === 'snapshot')).toMatchObject({ status: 'failed', params: { reason: 'not_recording' } });

    browser = await launchBrowser();
    context = await browser.newContext({ locale: 'zh-CN', timezoneId: ZONE, viewport: { width: 1600, height: 900 }, acceptDownloads: true });
    page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(err.stack ?? err.message));
    page.setDefaultTimeout(20_000);
    await page.goto(srv.backend.url);
    await page.getByLabel('用户名').fill('admin');
    await page.getByLabel('密码', { exact: true }).fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('.console').waitFor();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await srv?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('Admin → Audit shows worded actions, targets and labelled details; the filter offers worded actions; the CSV is Chinese and local', async () => {
    await page.getByRole('tab', { name: zhCN['tab.admin'] }).click();
    await page.locator('.sub-nav-item', { hasText: zhCN['admin.nav.audit'] }).click();
    const table = page.locator('.audit-table');
    await table.locator(`tr[data-action="alarm.raise"]`).first().waitFor();
    const text = await table.innerText();
    for (const a of SERVER_ACTIONS) expect(text, `action code ${a} visible`).not.toContain(a);
    expect(text).not.toMatch(/[{}"]/); // no JSON
    expect(text).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/); // no ISO times
    expect(text).toContain(zhCN['alarms.audit.alarm.raise']);
    expect(text).toContain(`报警 #${alarm.id} · 东门摄像机`);
    expect(text).toContain(`摄像机 ${camera.id} · 东门摄像机`);
    expect(text).toContain('UTC+8');
    // The alarm's detail as labelled, worded fields.
    const raiseRow = table.locator(`tr[data-action="alarm.raise"]`).first();
    expect(await raiseRow.locator('.audit-field[data-field=type] .audit-field-label').innerText()).toBe('类型');
    expect(await raiseRow.locator('.audit-field[data-field=type]').innerText()).toBe(`类型 ${zhCN['alarms.type.tamper']}`);
    // Every detail field on the page has a label from the catalog (a detail key shown as its label is a missing one).
    const labels = await table.locator('.audit-field-label').allInnerTexts();
    expect(labels.length).toBeGreaterThan(10);
    expect(labels.filter((l) => /^[a-z][A-Za-z]*$/.test(l))).toEqual([]);
    // The action filter: worded options only.
    const options = await page.locator('select[name=action] option').allInnerTexts();
    expect(options.length).toBeGreaterThan(60);
    for (const o of options) expect(o, `filter option "${o}"`).not.toMatch(/^[a-z_]+(\.[a-z_]+)+$/);
    await page.locator('select[name=action]').selectOption({ label: zhCN['alarms.audit.alarm.rule.create'] });
    await page.locator('.audit-panel button[type=submit]').click();
    await expect.poll(() => table.locator('tbody tr').count(), { timeout: 15_000 }).toBe(1);
    await table.locator('tr[data-action="alarm.rule.create"]').waitFor();

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('button[name=audit-csv]').click()]);
    expect(download.suggestedFilename()).toBe(`操作日志_${localDate()}.csv`);
    const csv = await save(download, 'audit.csv');
    expect(csv.startsWith('\uFEFF')).toBe(true);
    // The entries, a blank row, then the signed checkpoints and the site public key (issue 13), worded in Chinese too.
    const all = csv.slice(1).split('\r\n');
    const lines = all.slice(0, all.indexOf(''));
    expect(lines[0]).toBe('序号,时间,用户,操作,对象,地址,详情');
    expect(lines.length).toBe(2);
    expect(all[lines.length + 1]).toBe(zhCN['auditchain.csv.checkpoints'].replace('{format}', 'argus-audit-checkpoint/1'));
    expect(all.some((l) => l.startsWith(`${zhCN['auditchain.csv.publicKey']},`))).toBe(true);
    expect(lines[1]).toMatch(/^\d+,\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\+8,admin,创建报警联动规则,报警联动规则 #\d+ · 东门防拆,/);
    expect(lines[1]).not.toMatch(/alarm\.rule|[{}]|"[a-zA-Z]+":/);
    expect(lines[1]).toContain('联动动作:');
  }, 120_000);

  it("an alarm's detail shows the linkage outcomes in Chinese (the failed snapshot with a worded reason); the history CSV is Chinese and local", async () => {
    await page.getByRole('tab', { name: zhCN['tab.alarms'] }).click();
    await page.locator('.alarms-views button[data-view=history]').click();
    const history = page.locator('.alarms-history');
    await history.locator('button[type=submit]').click();
    await history.locator(`.alarm-row[data-alarm-id="${alarm.id}"]`).click();
    const detail = history.locator(`.alarm-detail[data-alarm-id="${alarm.id}"]`);
    await detail.locator('.alarm-actions li[data-kind=snapshot][data-status=failed]').waitFor();
    const outcomes = await detail.locator('.alarm-actions').innerText();
    expect(outcomes).not.toMatch(/[A-Za-z]/); // camera, rule and wording all Chinese: any Latin letter would be server English
    expect(await detail.locator('.alarm-actions li[data-kind=snapshot] .action-message').innerText()).toBe('摄像机 东门摄像机 的实时抓图：摄像机当前未在录像');
    expect(await detail.locator('.alarm-actions li[data-kind=wall] .action-message').innerText()).toBe('摄像机 东门摄像机 显示在实时预览的第 3 窗格');

    const [download] = await Promise.all([page.waitForEvent('download'), history.locator('.filter-actions button[type=button]').click()]);
    expect(download.suggestedFilename()).toBe(`报警记录_${localDate()}.csv`);
    const csv = await save(download, 'alarms.csv');
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines[0]).toBe('序号,报警类型,优先级,状态,报警源,报警源编号,首次发生时间,最近发生时间,发生次数,处理人,升级至,原因,测试报警,纬度,经度,描述');
    const row = lines.find((l) => l.startsWith(`${alarm.id},`))!;
    expect(row).toMatch(
      new RegExp(
        `^${alarm.id},${zhCN['alarms.type.tamper']},[^,]+,${zhCN['alarms.state.new']},东门摄像机,${camera.id},\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC\\+8,`,
      ),
    );
    expect(csv).not.toMatch(/tamper|\dZ\b|T\d\d:\d\d:\d\d/);
    expect(pageErrors).toEqual([]);
  }, 120_000);
});

// End to end (issue 11, item 10): units sending GPS without video count online with their telemetry link (API and console);
// restarting them raises alarms naming the lost link; a burst of similar alarms is acknowledged together, each one audited.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alarm, AlarmBulkStepResult, AlarmList } from '../../common/alarms';
import type { AuditEntry, Unit, UnitKey, UnitStatus } from '../../common/api';
import type { ServerEvent } from '../../common/events';
import { buildRenderer } from '../../scripts/build-renderer';
import { ensureClip } from '../helpers/clips';
import { publishRtmp, type Publisher } from '../helpers/rtmp';
import { ADMIN_PASSWORD, connectConsole, eventually, startAlarmServer, type AlarmTestServer, type WsConsole } from './alarms-support';
import { launchBrowser, signIn, type TestBrowser } from '../harness';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const SIMULATED = 4;
const TELEMETRY_TIMEOUT_MS = 5000;

describe('unit links and alarm floods (simulated agents, RTMP publisher, real back end, headless Chromium)', () => {
  let tmp: string;
  let srv: AlarmTestServer;
  let browser: TestBrowser;
  let page: Page;
  let patrol: UnitKey;
  let publisher: Publisher | null = null;
  let pump: NodeJS.Timeout | null = null;
  const procs: ChildProcess[] = [];
  const agentLog: string[] = [];
  /** unit.status events as a console receives them on the event stream. */
  const statusEvents: UnitStatus[] = [];
  let stream: WsConsole;

  /** `npm run agent -- --simulate N --no-video`: provisions SIM-01..N and sends their GPS over the telemetry WebSocket. */
  function startSimulator(): ChildProcess {
    const p = spawn(
      process.execPath,
      ['--import', 'tsx', 'agent/cli.ts', '--server', srv.backend.url, '--simulate', String(SIMULATED), '--no-video', '--password', ADMIN_PASSWORD],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    procs.push(p);
    for (const s of [p.stdout!, p.stderr!]) s.on('data', (d: Buffer) => agentLog.push(...String(d).split('\n').filter(Boolean)));
    return p;
  }

  async function stop(p: ChildProcess): Promise<void> {
    if (p.exitCode !== null || p.signalCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGTERM');
    await exited;
  }

  const units = async () => (await srv.api<Unit[]>('GET', '/api/v1/units')).body;
  const sims = async () => (await units()).filter((u) => u.callsign.startsWith('SIM-'));
  const unitAlarms = async () => (await srv.api<AlarmList>('GET', '/api/v1/alarms?type=unit_offline&limit=1000')).body.alarms;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-e2e-alarm-units-'));
    const clip = await ensureClip({ width: 320, height: 180, fps: 10, seconds: 4, bitrateKbps: 200, audio: false });
    const build = await buildRenderer(path.join(tmp, 'console'));
    srv = await startAlarmServer({ tmp, consoleDir: build.outDir, overrides: { unitTelemetryTimeoutMs: TELEMETRY_TIMEOUT_MS } });
    // One unit with both links: video over RTMP, GPS in HTTP batches (the agent's fallback transport) every second.
    patrol = (await srv.api<UnitKey>('POST', '/api/v1/units', { callsign: 'Patrol V', type: 'vehicle' })).body;
    let n = 0;
    const sendPoint = () =>
      void fetch(`${srv.backend.url}/api/v1/gps/telemetry?unit=${patrol.unit.id}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Unit-Key': patrol.streamKey },
        body: JSON.stringify({ points: [{ tMs: Date.now(), lat: 31.23 + n++ * 1e-4, lon: 121.47 }] }),
      }).catch(() => undefined);
    sendPoint();
    pump = setInterval(sendPoint, 1000);
    stream = await connectConsole(srv.backend.url, srv.token);
    stream.ws.on('message', (d) => {
      const ev = JSON.parse(String(d)) as ServerEvent;
      if (ev.type === 'unit.status') statusEvents.push(ev.status);
    });
    publisher = publishRtmp(patrol.publishUrl, clip, { loop: true });
    startSimulator();
    browser = await launchBrowser();
    const context = await browser.newContext({ locale: 'en-US', timezoneId: 'Asia/Shanghai', viewport: { width: 1600, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await signIn(page, srv.backend.url, 'admin', ADMIN_PASSWORD);
  }, 180_000);

  afterAll(async () => {
    if (pump) clearInterval(pump);
    await publisher?.kill();
    await stream?.close();
    for (const p of procs) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
    await browser?.close();
    await srv?.close({ keepData: true });
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('counts units sending GPS without video online with their telemetry link, in the API and in the console', async () => {
    await eventually(
      async () => {
        const s = await sims();
        return s.length === SIMULATED && s.every((u) => u.status.online && u.status.telemetry.online && !u.status.video.online) ? s : null;
      },
      60_000,
      `${SIMULATED} simulated units online by telemetry`,
    );
    await eventually(
      async () => {
        const p = (await units()).find((u) => u.id === patrol.unit.id)!;
        return p.status.video.online && p.status.telemetry.online ? p : null;
      },
      30_000,
      'Patrol V online with both links',
    );
    for (const u of await sims()) {
      expect(u.status.telemetry.lastSeenMs).toBeGreaterThan(Date.now() - 10_000);
      // The event stream told consoles the same: online by its telemetry link, no video.
      expect(statusEvents.some((s) => s.unitId === u.id && s.online && s.telemetry.online && !s.video.online)).toBe(true);
    }
    // The console: the rail's unit summary, the group count and each unit's links.
    await page.locator('.rail-summary-units', { hasText: `${SIMULATED + 1} of ${SIMULATED + 1} units online` }).waitFor();
    await expect.poll(() => page.locator('.tree-unit[data-state=online][data-links=telemetry]').count()).toBe(SIMULATED);
    await page.locator(`.tree-unit[data-unit-id="${patrol.unit.id}"][data-links=both]`).waitFor();
    const chip = page.locator('.tree-unit[data-links=telemetry]').first().locator('.unit-link[data-link=video]');
    expect(await chip.getAttribute('data-up')).toBe('false');
    expect(await page.locator('.tree-unit[data-links=telemetry]').first().getAttribute('title')).toContain('GPS only, no video');
  }, 120_000);

  it('restarting the units raises alarms that say which link was lost', async () => {
    // Patrol V's encoder drops: it lost its video link but still reports its position (minor, still online).
    await publisher!.kill();
    const video = await eventually(async () => (await unitAlarms()).find((a) => a.sourceId === patrol.unit.id) ?? null, 20_000, 'video link alarm');
    expect(video).toMatchObject({
      type: 'unit_offline',
      cause: 'video_link_lost',
      message: 'Unit lost its video link',
      severity: 'minor',
      sourceName: 'Patrol V',
    });
    const p = (await units()).find((u) => u.id === patrol.unit.id)!;
    expect(p.status).toMatchObject({ online: true, video: { online: false }, telemetry: { online: true } });

    // The simulator restarts: every simulated unit stops reporting its position.
    await stop(procs[0]!);
    const lost = await eventually(
      async () => {
        const a = (await unitAlarms()).filter((x) => x.cause === 'telemetry_link_lost' && x.sourceName.startsWith('SIM-'));
        return a.length === SIMULATED ? a : null;
      },
      30_000,
      `${SIMULATED} telemetry link alarms`,
    );
    for (const a of lost)
      expect(a).toMatchObject({ type: 'unit_offline', message: 'Unit stopped reporting its position', severity: 'major', state: 'new', count: 1 });
    expect(new Set(lost.map((a) => a.sourceId)).size).toBe(SIMULATED);
    for (const a of lost) expect(statusEvents.some((s) => s.unitId === a.sourceId && !s.online && !s.telemetry.online)).toBe(true);
    expect((await unitAlarms()).filter((a) => /Camera stopped sending video/.test(a.message ?? ''))).toEqual([]);
    await page.locator('.rail-summary-units', { hasText: `1 of ${SIMULATED + 1} units online` }).waitFor();
    startSimulator();
    await eventually(
      async () => ((await sims()).every((u) => u.status.online && u.status.telemetry.online) ? true : null),
      60_000,
      'simulated units back online',
    );
    await page.locator('.rail-summary-units', { hasText: `${SIMULATED + 1} of ${SIMULATED + 1} units online` }).waitFor();
    // The console names the lost link in the alarm list.
    await page.getByRole('tab', { name: 'Alarms', exact: true }).click();
    await page.locator('.alarms-views button[data-view=live]').click();
    await expect
      .poll(() => page.locator('[data-testid=live-alarms] td[data-cause=telemetry_link_lost]', { hasText: 'Unit stopped reporting its position' }).count())
      .toBe(SIMULATED);
    await page.locator('[data-testid=live-alarms] td[data-cause=video_link_lost]', { hasText: 'Unit lost its video link' }).waitFor();
  }, 120_000);

  it('acknowledges the similar alarms together from the console; each is acknowledged and audited, the other kind stays new', async () => {
    const lost = (await unitAlarms()).filter((a) => a.cause === 'telemetry_link_lost');
    const video = (await unitAlarms()).find((a) => a.cause === 'video_link_lost')!;
    await page.locator(`[data-testid=live-alarms] .alarm-row[data-alarm-id="${lost[0]!.id}"]`).click();
    const button = page.locator(`.alarm-detail[data-alarm-id="${lost[0]!.id}"] button[data-action=acknowledge-similar]`);
    expect(await button.getAttribute('data-count')).toBe(String(SIMULATED));
    expect(await button.innerText()).toBe(`Acknowledge all ${SIMULATED} similar`);
    await button.click();
    await page.locator(`.alarm-detail[data-alarm-id="${lost[0]!.id}"][data-state=acknowledged]`).waitFor();
    for (const a of lost) {
      const got = (await srv.api<Alarm>('GET', `/api/v1/alarms/${a.id}`)).body;
      expect(got.state).toBe('acknowledged');
      expect(got.steps.map((s) => [s.state, s.username])).toEqual([
        ['new', null],
        ['acknowledged', 'admin'],
      ]);
    }
    expect((await srv.api<Alarm>('GET', `/api/v1/alarms/${video.id}`)).body.state).toBe('new');
    const audit = (await srv.api<AuditEntry[]>('GET', '/api/v1/audit?action=alarm.acknowledge')).body;
    expect(audit.map((e) => e.targetId).sort()).toEqual(lost.map((a) => String(a.id)).sort());
    for (const e of audit) expect(e).toMatchObject({ username: 'admin', detail: { from: 'new', to: 'acknowledged' } });
    // The server checks each alarm: one already acknowledged and one unknown are refused with their reason, nothing audited.
    const again = await srv.api<AlarmBulkStepResult>('POST', '/api/v1/alarms/steps', { ids: [lost[0]!.id, 999_999], action: 'acknowledge' });
    expect(again.status).toBe(200);
    expect(again.body.alarms).toEqual([]);
    expect(again.body.refused.map((r) => [r.id, r.kind])).toEqual([
      [lost[0]!.id, 'conflict'],
      [999_999, 'not_found'],
    ]);
    expect((await srv.api<AuditEntry[]>('GET', '/api/v1/audit?action=alarm.acknowledge')).body).toHaveLength(SIMULATED);
    expect((await srv.api('POST', '/api/v1/alarms/steps', { ids: [], action: 'acknowledge' })).status).toBe(400);
  }, 60_000);

  it('says the same in Chinese: the lost link, the links of each unit and the units online', async () => {
    await page.getByRole('group', { name: 'Language' }).getByRole('button', { name: '中文' }).click();
    await page.locator('[data-testid=live-alarms] td[data-cause=video_link_lost]', { hasText: '终端视频链路中断' }).waitFor();
    await expect
      .poll(() => page.locator('[data-testid=live-alarms] td[data-cause=telemetry_link_lost]', { hasText: '终端停止上报位置' }).count())
      .toBe(SIMULATED);
    await page.locator('.rail-summary-units', { hasText: `${SIMULATED + 1}/${SIMULATED + 1} 个终端在线` }).waitFor();
    expect(await page.locator('.tree-unit[data-links=telemetry]').first().getAttribute('title')).toContain('仅定位，无视频');
  });
});

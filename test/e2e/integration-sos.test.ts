// Cross-feature end to end: the real field agent's SOS key → telemetry → device event → alarm center → a WebSocket console and the Chromium console, within 1 s.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alarm } from '../../common/alarms';
import type { UnitKey } from '../../common/api';
import type { ServerEvent } from '../../common/events';
import { formatFix } from '../../agent/nmea';
import { buildRenderer } from '../../scripts/build-renderer';
import { ADMIN_PASSWORD, connectConsole, eventually, startAlarmServer, type AlarmTestServer, type WsConsole } from './alarms-support';
import { openConsole, type TestBrowser } from '../harness';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

describe('SOS from the field agent reaches the consoles as an alarm within 1 s', () => {
  let tmp: string;
  let srv: AlarmTestServer;
  let browser: TestBrowser;
  let page: Page;
  let agent: ChildProcess | null = null;
  let ws: WsConsole | null = null;
  const agentLog: string[] = [];
  let pageErrors: string[] = [];

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-e2e-integ-sos-'));
    const build = await buildRenderer(path.join(tmp, 'console'));
    srv = await startAlarmServer({ tmp, consoleDir: build.outDir });
    // No network beyond the test server (the default tile source is an internet URL).
    ({ browser, page, pageErrors } = await openConsole(srv.backend.url, {
      localOnly: true,
      context: { timezoneId: undefined, viewport: { width: 1600, height: 900 } },
    }));
  }, 120_000);

  afterAll(async () => {
    await ws?.close();
    if (agent && agent.exitCode === null) {
      const exited = new Promise((r) => agent!.once('exit', r));
      agent.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (agent.exitCode === null) agent.kill('SIGKILL');
    }
    await browser?.close();
    await srv?.close({ keepData: true });
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }, 60_000);

  it("the agent's SOS key raises an SOS alarm on a WebSocket console and in the Chromium console within 1 s of the agent sending it", async () => {
    const unit = (await srv.api<UnitKey>('POST', '/api/v1/units', { callsign: 'Patrol 12', type: 'vehicle', officer: 'Officer Wang' })).body;
    const unitId = unit.unit.id;

    // The Chromium console on the Alarms tab's live list; a MutationObserver notes when the SOS row appears (same host clock).
    await page.goto(srv.backend.url);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('.stream-indicator[data-state=open]').waitFor();
    await page.getByRole('tab', { name: 'Alarms', exact: true }).click();
    await page.locator('.alarms-live .alarms-list-pane').waitFor({ state: 'attached' });
    expect(await page.locator('[data-testid=live-alarms] .alarm-row').count()).toBe(0);
    await page.evaluate(() => {
      const w = window as unknown as { sosRowAtMs?: number };
      const check = () => {
        if (w.sosRowAtMs === undefined && document.querySelector('[data-testid=live-alarms] .alarm-row[data-type=sos]')) w.sosRowAtMs = Date.now();
      };
      new MutationObserver(check).observe(document.body, { subtree: true, childList: true, attributes: true });
      check();
    });

    // A WebSocket console of /api/v1/events, noting the SOS device event and alarm arrival times.
    ws = await connectConsole(srv.backend.url, srv.token);
    let deviceEventAtMs: number | null = null;
    ws.ws.on('message', (data) => {
      const ev = JSON.parse(String(data)) as ServerEvent;
      if (deviceEventAtMs === null && ev.type === 'device.event' && ev.event.type === 'sos' && ev.event.cameraId === unitId) deviceEventAtMs = Date.now();
    });

    // The real agent replays a drive (one fix a second, looped) and reads keys from a terminal (util-linux `script` gives it one).
    const nmea = path.join(tmp, 'drive.nmea');
    const t0 = Date.now();
    const lines: string[] = [];
    for (let i = 0; i < 60; i++) lines.push(...formatFix({ tMs: t0 + i * 1000, lat: 31.2304 + i * 0.00005, lon: 121.4737, speedMps: 6, headingDeg: 0 }));
    fs.writeFileSync(nmea, lines.join('\r\n') + '\r\n');
    const cmd = [
      process.execPath,
      '--import',
      'tsx',
      'agent/cli.ts',
      '--server',
      srv.backend.url,
      '--unit',
      String(unitId),
      '--key',
      unit.streamKey,
      '--nmea',
      nmea,
      '--loop',
      '--buffer',
      path.join(tmp, 'agent-buffer.jsonl'),
    ]
      .map((a) => `'${a.replace(/'/g, `'\\''`)}'`)
      .join(' ');
    agent = spawn('script', ['-q', '-f', '-e', '-c', cmd, '/dev/null'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, TERM: 'dumb' } });
    for (const s of [agent.stdout!, agent.stderr!]) s.on('data', (d: Buffer) => agentLog.push(...String(d).split(/\r?\n/).filter(Boolean)));
    await eventually(async () => agentLog.some((l) => l.includes("press 's' to raise or clear SOS")), 30_000, 'the agent reading keys');
    // Positions arrive, no SOS yet.
    await eventually(async () => (await srv.backend.store.gps.track(unitId, 0, Date.now() + 60_000, 100)).length >= 3, 30_000, 'positions from the agent');
    expect(ws.alarms.filter((a) => a.ev.alarm.type === 'sos')).toHaveLength(0);

    // The officer presses 's'.
    agent.stdin!.write('s');
    await ws.waitFor((evs) => evs.some((e) => e.alarm.type === 'sos' && e.alarm.sourceId === unitId), 10_000, 'the SOS alarm on the WebSocket console');
    const got = ws.alarms.find((a) => a.ev.alarm.type === 'sos')!;
    const onLine = agentLog.find((l) => /\[agent\] SOS ON/.test(l));
    expect(onLine, agentLog.join('\n')).toBeDefined();
    const sentMs = Date.parse(onLine!.slice(onLine!.search(/\d{4}-\d\d-\d\dT/)).split(' ')[0]!);
    expect(Number.isFinite(sentMs)).toBe(true);

    expect(got.ev.kind).toBe('raised');
    expect(got.ev.alarm).toMatchObject({ sourceId: unitId, sourceName: 'Patrol 12', type: 'sos', severity: 'critical', state: 'new', count: 1 });
    // The alarm carries the unit's position (the last fix) and the time the agent pressed SOS.
    expect(got.ev.alarm.lat).toBeGreaterThan(31.23);
    expect(got.ev.alarm.lat).toBeLessThan(31.24);
    expect(got.ev.alarm.lon).toBeCloseTo(121.4737, 4);
    expect(Math.abs(got.ev.alarm.firstMs - sentMs)).toBeLessThan(1000);
    const wsLatencyMs = got.atMs - sentMs;
    expect(wsLatencyMs).toBeGreaterThanOrEqual(0);
    expect(wsLatencyMs).toBeLessThan(1000);

    // The Chromium console shows it, flashing and on top.
    await page.locator('[data-testid=live-alarms] .alarm-row[data-type=sos]').waitFor({ timeout: 5000 });
    const rowAtMs = await page.evaluate(() => (window as unknown as { sosRowAtMs?: number }).sosRowAtMs ?? null);
    expect(rowAtMs).not.toBeNull();
    const uiLatencyMs = rowAtMs! - sentMs;
    expect(uiLatencyMs).toBeLessThan(1000);
    const first = page.locator('[data-testid=live-alarms] .alarm-row').first();
    expect(await first.getAttribute('data-type')).toBe('sos');
    expect(await first.getAttribute('class')).toContain('flashing');
    expect(await first.getAttribute('data-alarm-id')).toBe(String(got.ev.alarm.id));

    // The Map tab shows the alarm at its place (where the unit was), flashing until acknowledged.
    await page.getByRole('tab', { name: 'Map', exact: true }).click();
    const marker = page.locator(`.alarm-marker .alarm-pin[data-alarm-id="${got.ev.alarm.id}"]`);
    const markerBox = page.locator(`.alarm-marker:has(.alarm-pin[data-alarm-id="${got.ev.alarm.id}"])`);
    await marker.waitFor({ timeout: 10_000 });
    expect(await marker.getAttribute('data-severity')).toBe('critical');
    expect(await markerBox.getAttribute('class')).toContain('alarm-marker-flashing');
    expect(await markerBox.getAttribute('title')).toContain('Patrol 12');
    const unitGlyph = page.locator(`.unit-glyph[data-unit-id="${unitId}"]`);
    await unitGlyph.waitFor({ timeout: 10_000 });
    const centre = async (l: typeof marker) => {
      const r = (await l.boundingBox())!;
      return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
    };
    const [am, um] = [await centre(marker), await centre(unitGlyph)];
    // The unit has moved on a few metres since (one fix a second): within a few pixels at city zoom.
    expect(Math.hypot(am.x - um.x, am.y - um.y)).toBeLessThan(25);
    // A click opens the alarm's card beside the map.
    await marker.click();
    await page.locator(`.map-alarm-card .alarm-detail[data-alarm-id="${got.ev.alarm.id}"]`).waitFor();

    // Stored before it was pushed, and the unit shows SOS on the map feed.
    expect((await srv.api<Alarm>('GET', `/api/v1/alarms/${got.ev.alarm.id}`)).body).toMatchObject({ type: 'sos', sourceId: unitId });
    const units = (await srv.api<Array<{ unitId: number; sos: boolean }>>('GET', '/api/v1/gps/units')).body;
    expect(units.find((u) => u.unitId === unitId)).toMatchObject({ sos: true });
    expect(deviceEventAtMs).not.toBeNull();
    console.log(
      `[integration-sos] agent SOS ON → device.event ${deviceEventAtMs! - sentMs} ms, → alarm on WebSocket console ${Math.round(wsLatencyMs)} ms, → row in Chromium console ${uiLatencyMs} ms`,
    );
    expect(pageErrors).toEqual([]);
  }, 120_000);
});

// bench:alarms: alarm-to-console latency (p50, p95) while N alarms/s arrive for S seconds, alarms lost, and server CPU.
// The back end runs in this process and receives device events through its real DeviceEventService (the path ONVIF and
// the units' agent use); the console is a separate process on the real WebSocket, so its work is not counted as server CPU.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WebSocket } from 'ws';
import type { AlarmFeedEvent, AlarmFeedPage } from '../common/alarms';
import type { Camera, LoginResponse } from '../common/api';
import { loadConfig } from '../main/config';
import { startBackend } from '../main/server/backend';
import { parseFlags } from './lib/args';
import { runBench } from './lib/lifecycle';
import { loadAverage, sampleMachineCpu, sampleProcess } from './lib/proc';
import { fmt, max, percentile } from './lib/stats';

const PASSWORD = 'bench-alarms-chief';
const TAG = 'bench:';

/** Console mode (`--console <url> <token>`): prints one JSON line per raised alarm: {n, latencyMs, seq}. */
function runConsole(url: string, token: string): void {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/api/v1/events?token=${token}`);
  ws.on('message', (data) => {
    const now = Date.now();
    const ev = JSON.parse(String(data)) as Partial<Omit<AlarmFeedEvent, 'type'>> & { type: string };
    if (ev.type === 'hello') process.stdout.write('{"ready":true}\n');
    if (ev.type !== 'alarm.event' || ev.kind !== 'raised' || !ev.alarm?.message?.startsWith(TAG)) return;
    const [, n, sentMs] = ev.alarm.message.split(':');
    process.stdout.write(`${JSON.stringify({ n: Number(n), latencyMs: now - Number(sentMs), seq: ev.seq })}\n`);
  });
  ws.on('close', () => process.exit(0));
  ws.on('error', (err) => {
    process.stderr.write(`[bench:alarms console] ${err.message}\n`);
    process.exit(1);
  });
  process.on('SIGTERM', () => ws.close());
}

if (process.argv[2] === '--console') {
  runConsole(process.argv[3]!, process.argv[4]!);
} else {
  const flags = parseFlags('npm run bench:alarms -- [--rate 100] [--seconds 60] [--sources 50]', {
    rate: { default: 100, min: 1, description: 'alarms per second' },
    seconds: { default: 60, min: 1, description: 'how long alarms arrive' },
    sources: { default: 50, min: 1, description: 'cameras the alarms come from (round robin)' },
  });
  runBench('bench:alarms', (flags.seconds + 180) * 1000, async (ctx) => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-bench-alarms-'));
    ctx.defer('remove temp dir', () => fs.rmSync(tmp, { recursive: true, force: true }));
    // Merging off: every occurrence is its own alarm, so each one's delivery can be timed and counted.
    const config = loadConfig({ dataDir: path.join(tmp, 'data'), env: {}, overrides: { port: 0, rtmpPort: 0, sipPort: 0, alarmMergeWindowMs: 0 } });
    const backend = await startBackend(config, { env: { ...process.env, ARGUS_ADMIN_PASSWORD: PASSWORD }, log: () => undefined });
    ctx.defer('stop back end', () => backend.close());
    const login = await fetch(`${backend.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: PASSWORD }),
    });
    const token = ((await login.json()) as LoginResponse).token;
    const cams: number[] = [];
    for (let i = 0; i < flags.sources; i++) {
      const r = await fetch(`${backend.url}/api/v1/cameras`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ name: `Bench ${i}`, url: `rtsp://127.0.0.1:9/b${i}`, enabled: false }),
      });
      cams.push(((await r.json()) as Camera).id);
    }
    // A linkage rule on every alarm (sound + desktop to consoles): the server evaluates rules and records outcomes.
    await fetch(`${backend.url}/api/v1/alarm-rules`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ name: 'bench', types: ['motion'], actions: { sound: true, desktop: true } }),
    });

    const child: ChildProcess = spawn(process.execPath, [...process.execArgv, import.meta.filename, '--console', backend.url, token], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    ctx.defer('stop console', () => {
      child.kill('SIGTERM');
    });
    const received = new Map<number, number>();
    let ready = false;
    let buf = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      buf += d;
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        const m = JSON.parse(line) as { ready?: boolean; n?: number; latencyMs?: number };
        if (m.ready) ready = true;
        else if (m.n !== undefined && !received.has(m.n)) received.set(m.n, m.latencyMs!);
      }
    });
    const until = Date.now() + 20_000;
    while (!ready) {
      if (Date.now() > until) throw new Error('the console process did not connect');
      await new Promise((r) => setTimeout(r, 20));
    }

    const total = flags.rate * flags.seconds;
    ctx.note(`${total} alarms at ${flags.rate}/s from ${flags.sources} sources, one console on the WebSocket`);
    const cpu0 = sampleProcess(process.pid)!;
    const m0 = sampleMachineCpu();
    const t0 = Date.now();
    const pending: Array<Promise<unknown>> = [];
    let failedRecords = 0;
    for (let n = 0; n < total; n++) {
      const due = t0 + (n * 1000) / flags.rate;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const sent = Date.now();
      pending.push(
        backend.deviceEvents
          .record({ cameraId: cams[n % cams.length]!, type: 'motion', state: 'active', startMs: sent, detail: { message: `${TAG}${n}:${sent}` } })
          .catch(() => failedRecords++),
      );
      if (n % (flags.rate * 10) === 0 && n > 0) ctx.note(`${n} sent, ${received.size} delivered`);
    }
    await Promise.all(pending);
    const sendEnd = Date.now();
    // Wait (up to 10 s) for the last deliveries.
    const drainUntil = Date.now() + 10_000;
    while (received.size < total && Date.now() < drainUntil) await new Promise((r) => setTimeout(r, 50));
    await backend.features.alarms.center.idle();
    const cpu1 = sampleProcess(process.pid)!;
    const m1 = sampleMachineCpu();
    const wallS = (Date.now() - t0) / 1000;

    const stored = (await (await fetch(`${backend.url}/api/v1/alarms?type=motion&limit=10000`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
      alarms: unknown[];
    };
    const feed = (await (
      await fetch(`${backend.url}/api/v1/alarms/feed?since=0&limit=5000`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as AlarmFeedPage;
    const lat = [...received.values()];
    const lost = total - received.size;
    const serverCpuPct = ((cpu1.cpuS - cpu0.cpuS) / wallS) * 100;
    const machinePct = ((m1.busyS - m0.busyS) / (m1.totalS - m0.totalS)) * 100;
    const lines = [
      `alarms sent        ${total} (${flags.rate}/s for ${flags.seconds} s, sending took ${fmt((sendEnd - t0) / 1000, 1)} s)`,
      `device events failed to store: ${failedRecords}`,
      `alarms stored      ${Math.min(stored.alarms.length, 10000)}${stored.alarms.length >= 10000 ? '+' : ''} (feed answers with ${feed.events.length}${feed.more ? '+' : ''} events)`,
      `delivered          ${received.size}, lost ${lost}`,
      `latency ms         p50 ${fmt(percentile(lat, 50), 1)}  p95 ${fmt(percentile(lat, 95), 1)}  p99 ${fmt(percentile(lat, 99), 1)}  max ${fmt(max(lat), 1)}`,
      `server CPU         ${fmt(serverCpuPct, 1)} % of one core (back end + event generator, this process; ${fmt(cpu1.rssBytes / 1048576, 0)} MiB RSS)`,
      `machine CPU        ${fmt(machinePct, 1)} % of ${m1.cores} cores; load average ${loadAverage()}`,
      `RESULT alarm_ms_p50=${fmt(percentile(lat, 50), 1)} alarm_ms_p95=${fmt(percentile(lat, 95), 1)} lost=${lost} rate=${flags.rate}`,
    ];
    return { report: lines.join('\n') };
  });
}

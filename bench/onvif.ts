// bench:onvif — one-step add time, PTZ command latency (API → device), event latency (device → WebSocket) and lost-release stop time, through the real server and ONVIF simulators.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WebSocket } from 'ws';
import type { LoginResponse } from '../common/api';
import type { ServerEvent } from '../common/events';
import { loadConfig } from '../main/config';
import { startBackend } from '../main/server/backend';
import { OnvifSimulator } from '../test/onvif-sim/simulator';
import { parseFlags } from './lib/args';
import { fmt, median, percentile } from './lib/stats';
import { renderTable } from './lib/table';

const flags = parseFlags('npm run bench:onvif -- [--devices N] [--moves N] [--events N]', {
  devices: { default: 8, min: 1, description: 'simulated ONVIF devices added (each with PullPoint events)' },
  moves: { default: 60, min: 1, description: 'PTZ move commands per device' },
  events: { default: 60, min: 1, description: 'events fired per device' },
  'move-timeout-ms': { default: 1000, min: 200, description: 'ptzMoveTimeoutMs of the server' },
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-bench-onvif-'));
  const password = 'bench-chief-pass';
  const config = loadConfig({
    dataDir: path.join(tmp, 'data'),
    env: {},
    overrides: { port: 0, rtmpPort: 0, sipPort: 0, ptzMoveTimeoutMs: flags['move-timeout-ms'], ptzControlIdleMs: 60_000, onvifHealthIntervalMs: 60_000 },
  });
  const b = await startBackend(config, { env: { ARGUS_ADMIN_PASSWORD: password }, log: () => undefined });
  const sims: OnvifSimulator[] = [];
  let ws: WebSocket | null = null;
  try {
    const login = await fetch(`${b.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password }),
    });
    const token = ((await login.json()) as LoginResponse).token;
    const api = async (method: string, p: string, body?: unknown) => {
      const r = await fetch(b.url + p, {
        method,
        headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await r.text();
      if (r.status >= 300) throw new Error(`${method} ${p}: ${r.status} ${text}`);
      return text ? JSON.parse(text) : undefined;
    };
    const received = new Map<string, number>();
    ws = new WebSocket(`${b.url.replace('http', 'ws')}/api/v1/events?token=${token}`);
    ws.on('message', (d) => {
      const ev = JSON.parse(String(d)) as ServerEvent;
      if (ev.type === 'device.event') received.set(String((ev.event.detail as { items?: { Seq?: string } })?.items?.Seq), Date.now());
    });
    await new Promise((r) => ws!.once('open', r));

    // 1. One-step add of each device.
    const addMs: number[] = [];
    const cams: number[] = [];
    for (let i = 0; i < flags.devices; i++) {
      const sim = new OnvifSimulator({
        username: 'onvif',
        password: 'secret',
        sources: [{ token: 'vs1', mainUri: `rtsp://127.0.0.1:9/cam${i}`, subUri: `rtsp://127.0.0.1:9/sub${i}` }],
        pullHoldMs: 5000,
      });
      await sim.start();
      sims.push(sim);
      const t0 = performance.now();
      const r = await api('POST', '/api/v1/onvif/devices', {
        host: '127.0.0.1',
        port: sim.port,
        username: 'onvif',
        password: 'secret',
        name: `Bench ${i}`,
        enabled: false,
      });
      addMs.push(performance.now() - t0);
      cams.push(r.cameraIds[0]);
    }
    // Wait for every subscription.
    for (const s of sims) while (s.activeSubscriptions() === 0) await sleep(20);
    await sleep(300);

    // 2. PTZ commands: API call until the device has the ContinuousMove, and the API round trip.
    const deviceMs: number[] = [];
    const roundTripMs: number[] = [];
    for (let k = 0; k < flags.moves; k++) {
      await Promise.all(
        sims.map(async (sim, i) => {
          const before = sim.callsOf('ContinuousMove').length;
          const t0 = Date.now();
          const p0 = performance.now();
          await api('POST', `/api/v1/cameras/${cams[i]}/ptz/move`, { pan: k % 2 ? 0.5 : -0.5, tilt: 0 });
          roundTripMs.push(performance.now() - p0);
          const call = sim.callsOf('ContinuousMove')[before];
          if (call) deviceMs.push(call.tMs - t0);
        }),
      );
    }
    await Promise.all(cams.map((id) => api('POST', `/api/v1/cameras/${id}/ptz/stop`)));

    // 3. Events: fired on the device until the console's WebSocket has it.
    const eventMs: number[] = [];
    let seq = 0;
    for (let k = 0; k < flags.events; k++) {
      const fired = new Map<string, number>();
      for (const sim of sims) {
        const id = String(++seq);
        fired.set(id, Date.now());
        sim.fireEvent({ topic: 'tns1:VideoSource/MotionAlarm', source: { Source: 'vs1' }, data: { State: k % 2 ? 'false' : 'true', Seq: id } });
      }
      const until = Date.now() + 10_000;
      while ([...fired.keys()].some((id) => !received.has(id)) && Date.now() < until) await sleep(2);
      for (const [id, t] of fired) if (received.has(id)) eventMs.push(received.get(id)! - t);
      await sleep(20); // let the next long-poll start
    }
    const lostEvents = flags.events * flags.devices - eventMs.length;

    // 4. Lost release: one move, no repeat, no stop: time until the device gets Stop.
    const lostMs: number[] = [];
    await Promise.all(
      sims.map(async (sim, i) => {
        const before = sim.callsOf('Stop').length;
        const t0 = Date.now();
        await api('POST', `/api/v1/cameras/${cams[i]}/ptz/move`, { pan: 1, tilt: 0 });
        while (sim.callsOf('Stop').length === before && Date.now() - t0 < 10_000) await sleep(5);
        const stop = sim.callsOf('Stop')[before];
        if (stop) lostMs.push(stop.tMs - t0);
      }),
    );

    const row = (name: string, v: number[]) => [name, v.length, fmt(median(v), 1), fmt(percentile(v, 95), 1), fmt(Math.max(...v), 1)];
    console.log(
      `bench:onvif — ${flags.devices} devices, ${flags.moves} moves and ${flags.events} events each; load: ${os
        .loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}`,
    );
    console.log(
      renderTable(
        ['measure (ms)', 'n', 'median', 'p95', 'max'],
        [
          row('one-step add (POST /onvif/devices)', addMs),
          row('PTZ move: API call → device has ContinuousMove', deviceMs),
          row('PTZ move: API round trip', roundTripMs),
          row('event: fired on device → WebSocket', eventMs),
          row(`lost release: move → device Stop (timeout ${flags['move-timeout-ms']})`, lostMs),
        ],
      ),
    );
    console.log(
      `RESULT devices=${flags.devices} add_ms_p50=${fmt(median(addMs), 1)} move_device_ms_p50=${fmt(median(deviceMs), 1)} move_device_ms_p95=${fmt(percentile(deviceMs, 95), 1)} ` +
        `event_ms_p50=${fmt(median(eventMs), 1)} event_ms_p95=${fmt(percentile(eventMs, 95), 1)} events_lost=${lostEvents} lost_release_stop_ms_p50=${fmt(median(lostMs), 1)}`,
    );
  } finally {
    ws?.close();
    await b.close();
    for (const s of sims) await s.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

// bench:gb28181 part "register": N devices register with digest and keep alive at 60 s against the real endpoint and registrar over SQLite; the server's CPU while they keep alive.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { asLog } from '../../common/log';
import { GbEndpoint } from '../../main/services/gb28181/endpoint';
import { openSqliteStore } from '../../storage/sqlite/index';
import { testCodec } from '../../storage/sqlite/test-utils';
import { fmt, percentile } from '../lib/stats';

const LOAD = fileURLToPath(new URL('./register-load.ts', import.meta.url));
const deviceId = (i: number): string => `3402000000132${String(i).padStart(7, '0')}`;

/**
 * Registers `devices` devices (each its own UDP socket and password, 50 registrations in flight), then measures the
 * server process's CPU while every device sends a Keepalive each 60 s — at the real rate (devices / 60 per second,
 * no time compression) — for 60 s (smoke: 100 devices, 10 s). The devices run in a child process; the server (the
 * endpoint, registrar and SQLite store) is this process, which does nothing else meanwhile.
 */
export async function run(opts: { smoke: boolean }): Promise<{ lines: string[]; result: Record<string, number> }> {
  const devices = opts.smoke ? 100 : 1000;
  const keepaliveS = 60;
  const phaseMs = opts.smoke ? 10_000 : 60_000;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-bench-gb-'));
  const store = await openSqliteStore(path.join(tmp, 'argus.db'), { log: () => undefined, secrets: () => testCodec() });
  const byGb = new Map<string, { id: number; password: string }>();
  for (let i = 0; i < devices; i++) {
    const d = await store.gb.create({ gbId: deviceId(i), name: `bench ${i}`, nodeId: 1, approved: true, password: `pw-${i}`, keepaliveS }, Date.now());
    byGb.set(d.gbId, { id: d.deviceId, password: `pw-${i}` });
  }
  const ep = new GbEndpoint({
    serverId: '34020000002000000001',
    domain: '3402000000',
    bind: '127.0.0.1',
    port: 0,
    localHost: '127.0.0.1',
    log: asLog(() => undefined, 'gb28181'),
    now: Date.now,
    maxFailuresPerMinute: 20,
    registrar: {
      device: async (gbId) => {
        const d = await store.gb.getByGbId(gbId);
        return d && { approved: d.approved, enabled: d.enabled, password: d.password, keepaliveS: d.keepaliveS };
      },
      sitePassword: () => null,
      unknownDevices: () => 'refuse',
      hold: () => Promise.resolve(),
      saveRegistration: async (gbId, r) => {
        const id = byGb.get(gbId)?.id;
        if (id !== undefined)
          await store.gb.setRegistration(
            id,
            r && { transport: r.peer.transport, host: r.peer.host, port: r.peer.port, registeredMs: r.registeredMs, expiresMs: r.expiresMs },
          );
      },
      refused: () => undefined,
    },
  });
  await ep.start();
  const child = spawn(process.execPath, ['--import', 'tsx', LOAD], {
    env: {
      ...process.env,
      GB_BENCH_PORT: String(ep.port),
      GB_BENCH_DEVICES: String(devices),
      GB_BENCH_KEEPALIVE_S: String(keepaliveS),
      GB_BENCH_PHASE_MS: String(phaseMs),
    },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  try {
    const lines = readLines(child.stdout);
    const reg = JSON.parse(await lines.next()) as { registerMs: number[]; failed: number };
    if (reg.failed > 0 || ep.registrar.list().length !== devices)
      throw new Error(`${reg.failed} registrations failed, ${ep.registrar.list().length} registered`);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    child.stdin.write('go\n');
    const ka = JSON.parse(await lines.next()) as { sent: number; ok: number; elapsedMs: number };
    const cpu = process.cpuUsage(cpu0);
    const wallMs = performance.now() - t0;
    const cpuPct = ((cpu.user + cpu.system) / 1000 / wallMs) * 100;
    const online = ep.registrar.list().filter((r) => r.online).length;
    if (ka.ok !== ka.sent || online !== devices) throw new Error(`keepalives answered ${ka.ok}/${ka.sent}, ${online}/${devices} online`);
    const p95 = percentile(reg.registerMs, 95);
    return {
      lines: [
        `register: ${devices} devices, digest, 50 in flight: p50 ${fmt(percentile(reg.registerMs, 50), 1)} ms, p95 ${fmt(p95, 1)} ms`,
        `keepalive: ${ka.sent} Keepalive MESSAGEs in ${fmt(wallMs / 1000, 1)} s (the real rate of ${devices} devices at ${keepaliveS} s), all answered 200; server CPU ${fmt(cpuPct, 2)} % of a core (target < 5 %)`,
      ],
      result: { devices, register_ms_p95: Math.round(p95 * 10) / 10, keepalive_cpu_pct: Math.round(cpuPct * 100) / 100 },
    };
  } finally {
    child.kill();
    await ep.close();
    await store.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Line reader over a child's stdout. */
function readLines(stream: NodeJS.ReadableStream): { next(): Promise<string> } {
  let buf = '';
  const ready: string[] = [];
  const waiting: Array<(l: string) => void> = [];
  stream.setEncoding('utf8');
  stream.on('data', (d: string) => {
    buf += d;
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      const w = waiting.shift();
      if (w) w(line);
      else ready.push(line);
    }
  });
  return {
    next: () =>
      new Promise((resolve, reject) => {
        const l = ready.shift();
        if (l !== undefined) return resolve(l);
        waiting.push(resolve);
        stream.once('end', () => reject(new Error('the load generator ended early')));
      }),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const r = await run({ smoke: process.argv.includes('--smoke') });
  for (const l of r.lines) console.log(l);
  console.log(
    `RESULT ${Object.entries(r.result)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')}`,
  );
}

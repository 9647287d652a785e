// Sign-in flood (issue 13 benchmark): a signed-in user's GET /cameras latency, idle and while 16 clients flood the sign-in route
// with random user names from one address; the server runs as its own process, as in production.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { startServer } from '../../test/harness';
import { loginFrom } from '../../test/helpers/login-from';
import { fmt, percentile } from '../lib/stats';

const FLOOD_CLIENTS = 16;
const FLOOD_ADDRESS = '127.0.0.9';

/** `count` sequential GET /cameras with the user's token; their latencies (ms). */
async function readLoop(url: string, token: string, count: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    const r = await fetch(`${url}/api/v1/cameras`, { headers: { Authorization: `Bearer ${token}` } });
    await r.arrayBuffer();
    if (r.status !== 200) throw new Error(`GET /cameras answered ${r.status}`);
    out.push(performance.now() - t0);
  }
  return out;
}

export async function run(opts: { smoke: boolean }): Promise<{ lines: string[]; result: Record<string, number> }> {
  const reads = opts.smoke ? 60 : 400;
  const srv = await startServer({ mode: 'process', tag: 'bench-flood' });
  try {
    // Some cameras so the read does real work (no recorder: the URLs point nowhere and are disabled).
    for (let i = 0; i < 20; i++) await srv.client.createCamera({ name: `Bench ${i}`, url: `rtsp://127.0.0.1:9/cam${i}`, enabled: false });
    await readLoop(srv.url, srv.token, 20); // warm-up
    const idle = await readLoop(srv.url, srv.token, reads);

    // The attacker is another machine: its 16 clients run in their own process (their work is not the reader's).
    const attacker = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--flood', srv.url, FLOOD_ADDRESS], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let report = '';
    attacker.stdout.on('data', (c: Buffer) => (report += c.toString('utf8')));
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('the flood did not start')), 30_000);
      attacker.stdout.on('data', () => {
        if (report.includes('started')) {
          clearTimeout(t);
          resolve();
        }
      });
    });
    await new Promise((resolve) => setTimeout(resolve, 500)); // the flood is running
    const underFlood = await readLoop(srv.url, srv.token, reads);
    const exited = new Promise<void>((resolve) => attacker.once('exit', () => resolve()));
    attacker.kill('SIGTERM');
    await exited;
    const { attempts, floodS, statuses } = JSON.parse(report.slice(report.indexOf('{'))) as {
      attempts: number;
      floodS: number;
      statuses: Record<string, number>;
    };

    const idleP50 = percentile(idle, 50);
    const idleP95 = percentile(idle, 95);
    const floodP50 = percentile(underFlood, 50);
    const floodP95 = percentile(underFlood, 95);
    const byStatus = Object.entries(statuses).map(([st, n]) => `${st}: ${n}`);
    return {
      lines: [
        `GET /cameras idle: p50 ${fmt(idleP50, 2)} ms, p95 ${fmt(idleP95, 2)} ms (${reads} requests)`,
        `GET /cameras under a sign-in flood: p50 ${fmt(floodP50, 2)} ms, p95 ${fmt(floodP95, 2)} ms (${fmt(floodP95 / idleP95, 2)}x idle p95; target <= 20 ms and <= 2x)`,
        `flood: ${FLOOD_CLIENTS} clients from ${FLOOD_ADDRESS}, ${attempts} sign-ins in ${fmt(floodS, 1)} s (${fmt(attempts / floodS, 0)}/s); answers ${byStatus.join(', ')}`,
      ],
      result: { api_ms_p95_under_login_flood: Number(fmt(floodP95, 2)) },
    };
  } finally {
    await srv.close();
  }
}

/** Attacker mode (`--flood <url> <address>`): 16 keep-alive clients sign in with random names until SIGTERM, then print the counts. */
async function floodUntilStopped(url: string, address: string): Promise<void> {
  let flooding = true;
  const statuses: Record<string, number> = {};
  let attempts = 0;
  const startMs = performance.now();
  process.once('SIGTERM', () => (flooding = false));
  process.stdout.write('started\n');
  await Promise.all(
    Array.from({ length: FLOOD_CLIENTS }, async () => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      while (flooding) {
        const name = `nobody-${crypto.randomBytes(6).toString('hex')}`;
        const r = await loginFrom(url, address, name, 'wrong-password-x', agent).catch(() => ({ status: 0 }));
        attempts++;
        statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      }
      agent.destroy();
    }),
  );
  process.stdout.write(`${JSON.stringify({ attempts, floodS: (performance.now() - startMs) / 1000, statuses })}\n`);
}

// The attacker's process (started by run()); the part itself runs from bench/security.ts (`npm run bench:security -- --only flood`).
if (process.argv[2] === '--flood') await floodUntilStopped(process.argv[3]!, process.argv[4]!);

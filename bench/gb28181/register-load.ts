// bench:gb28181 load generator (a child process, so its CPU is not the server's): N raw-SIP devices register with digest, then keep alive at the real rate.
import iconv from 'iconv-lite';
import { RawSipClient } from '../../test/helpers/gb-raw-sip';

const port = Number(process.env.GB_BENCH_PORT);
const devices = Number(process.env.GB_BENCH_DEVICES);
const keepaliveS = Number(process.env.GB_BENCH_KEEPALIVE_S);
const phaseMs = Number(process.env.GB_BENCH_PHASE_MS);
const serverId = process.env.GB_BENCH_SERVER_ID ?? '34020000002000000001';
const CONCURRENT = 50;

export const deviceId = (i: number): string => `3402000000132${String(i).padStart(7, '0')}`;

async function main(): Promise<void> {
  const clients: RawSipClient[] = [];
  for (let i = 0; i < devices; i++) clients.push(await RawSipClient.open('udp', port));
  // Phase 1: registrations, CONCURRENT at a time (REGISTER → 401 → REGISTER with the digest answer → 200).
  const registerMs: number[] = [];
  let failed = 0;
  let next = 0;
  const worker = async () => {
    while (next < devices) {
      const i = next++;
      const t0 = performance.now();
      const r = await clients[i].register({ deviceId: deviceId(i), password: `pw-${i}`, serverId });
      if (r.status === 200) registerMs.push(performance.now() - t0);
      else failed++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENT }, worker));
  process.stdout.write(`${JSON.stringify({ phase: 'registered', registerMs, failed })}\n`);
  // Phase 2: every device sends a Keepalive every keepaliveS seconds, spread evenly (the real rate: devices / keepaliveS per second).
  await new Promise<void>((r) => process.stdin.once('data', () => r()));
  const t0 = performance.now();
  let sent = 0;
  let ok = 0;
  const pending: Array<Promise<void>> = [];
  for (let k = 0; ; k++) {
    const dueMs = (k * keepaliveS * 1000) / devices;
    if (dueMs >= phaseMs) break;
    const wait = dueMs - (performance.now() - t0);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const i = k % devices;
    const body = iconv.encode(
      `<?xml version="1.0" encoding="GB2312"?>\r\n<Notify>\r\n<CmdType>Keepalive</CmdType>\r\n<SN>${k}</SN>\r\n<DeviceID>${deviceId(i)}</DeviceID>\r\n<Status>OK</Status>\r\n</Notify>\r\n`,
      'gb2312',
    );
    sent++;
    pending.push(
      clients[i].message(deviceId(i), serverId, body).then(
        (r) => void (r.status === 200 && ok++),
        () => undefined,
      ),
    );
  }
  await Promise.all(pending);
  process.stdout.write(`${JSON.stringify({ phase: 'kept-alive', sent, ok, elapsedMs: performance.now() - t0 })}\n`);
  for (const c of clients) c.close();
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});

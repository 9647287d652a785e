// The field uplink agent (`npm run agent -- ...`): video over RTMP, GPS from gpsd or NMEA, telemetry with a disk buffer, SOS; or --simulate N units.
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { RouteWalker, provisionUnits } from './simulate';
import { UnitAgent } from './unit-agent';
import { UnitConfigRefused, fetchUnitConfig } from './unit-config';
import { requireSecureUrl, resolveTrust, trustedFetch } from './tls-trust';

const USAGE = `usage:
  npm run agent -- --server URL --key KEY [--unit ID] [--video DEVICE|FILE|testsrc] [--rtmp URL]
                   [--gpsd HOST:PORT | --nmea FILE [--loop]] [--sos] [--buffer FILE] [--ca FILE] [--pin PIN]
  npm run agent -- --server URL --simulate N [--user admin --password PW] [--center LAT,LON] [--no-video]

  --server URL     Argus server, e.g. http://10.1.2.3:8640
  --key KEY        the unit's stream key (shown once when the unit is added or its key rotated); the server answers
                   with the unit's id and publish URL (retried while it is unreachable)
  --unit ID        optional check: the agent stops if the key belongs to another unit
  --video SRC      push video: a V4L2 device (/dev/video0), a file (looped) or 'testsrc'
  --rtmp URL       override where to push (default: the publish URL the server gives for the unit)
  --gpsd HOST:PORT read positions from gpsd (JSON protocol; default port 2947)
  --nmea FILE      replay an NMEA log (times moved to now); --loop repeats it
  --sos            start with SOS raised; on a terminal press 's' to raise/clear SOS, 'q' to quit
  --buffer FILE    where points wait while the link is down (default ~/.argus-agent/unit-<id>.jsonl)
 --ca FILE        the site CA (npm run make-cert's ca.pem): the server's certificate must chain to it and name
                   the host in --server; needed to push video over RTMPS
  --pin PIN        the server certificate's SHA-256 (hex) or its public key's (sha256/BASE64, as make-cert prints)
                   With --ca or --pin, only https://, wss:// and rtmps:// are used: the key never crosses in clear
  --simulate N     provision SIM-01..SIM-N (administrator login; ARGUS_ADMIN_PASSWORD) and drive them around --center
`;

function log(m: string): void {
  console.log(`${new Date().toISOString()} [agent] ${m}`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      server: { type: 'string' },
      unit: { type: 'string' },
      key: { type: 'string' },
      video: { type: 'string' },
      rtmp: { type: 'string' },
      gpsd: { type: 'string' },
      nmea: { type: 'string' },
      loop: { type: 'boolean' },
      sos: { type: 'boolean' },
      buffer: { type: 'string' },
      simulate: { type: 'string' },
      user: { type: 'string' },
      password: { type: 'string' },
      center: { type: 'string' },
      'no-video': { type: 'boolean' },
      'max-backoff-ms': { type: 'string' },
      ca: { type: 'string' },
      pin: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help || !values.server) {
    console.log(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  const server = values.server;
  const maxBackoffMs = values['max-backoff-ms'] ? Number(values['max-backoff-ms']) : undefined;
  const agents: UnitAgent[] = [];
  const timers: NodeJS.Timeout[] = [];

  if (values.simulate) {
    const n = Number(values.simulate);
    if (!Number.isInteger(n) || n < 1 || n > 5000) throw new Error('--simulate needs a number of units from 1 to 5000');
    const center = (values.center ?? '31.2304,121.4737').split(',').map(Number) as [number, number];
    const units = await provisionUnits(server, values.user ?? 'admin', values.password ?? process.env.ARGUS_ADMIN_PASSWORD ?? '', n, log);
    const withVideo = !values['no-video'];
    for (const u of units) {
      const agent = new UnitAgent({
        server,
        unitId: u.id,
        key: u.streamKey,
        bufferFile: null,
        log: (m) => log(`${u.callsign}: ${m}`),
        maxBackoffMs,
        video: withVideo ? { source: values.video ?? 'testsrc', url: u.publishUrl, size: '320x180', fps: 10, bitrateKbps: 250 } : undefined,
      });
      const walker = new RouteWalker(center);
      agent.extras = { batteryPct: 60 + Math.random() * 40, signalDbm: -65 - Math.random() * 30 };
      agent.start();
      agents.push(agent);
      let last = Date.now();
      timers.push(
        setInterval(() => {
          const now = Date.now();
          agent.extras.batteryPct = Math.max(5, (agent.extras.batteryPct ?? 80) - 0.002);
          agent.extras.signalDbm = Math.max(-115, Math.min(-55, (agent.extras.signalDbm ?? -80) + (Math.random() - 0.5) * 3));
          agent.fix(walker.step((now - last) / 1000, now));
          last = now;
        }, 1000),
      );
    }
    log(`simulating ${n} units around ${center.join(',')}${withVideo ? ' with video' : ''}; Ctrl-C stops`);
  } else {
    if (!values.key) {
      console.error('--key KEY is required (or --simulate N)\n\n' + USAGE);
      process.exit(2);
    }
    const expected = values.unit === undefined ? null : Number(values.unit);
    if (expected !== null && (!Number.isInteger(expected) || expected < 1)) {
      console.error(`--unit must be a unit id (a positive whole number), not ${JSON.stringify(values.unit)}\n\n` + USAGE);
      process.exit(2);
    }
    if (values.gpsd && values.nmea) throw new Error('use --gpsd or --nmea, not both');
    const gpsd = values.gpsd ? { host: values.gpsd.split(':')[0] || '127.0.0.1', port: Number(values.gpsd.split(':')[1] ?? 2947) } : undefined;
    const trust = resolveTrust({ caFile: values.ca, pin: values.pin });
    if (trust) requireSecureUrl(server, `--server ${server}`);
    const asking = new AbortController();
    const quit = () => (log('stopping'), asking.abort(), process.exit(0));
    process.once('SIGINT', quit);
    process.once('SIGTERM', quit);
    const unit = await fetchUnitConfig({
      server,
      key: values.key,
      log,
      maxBackoffMs,
      signal: asking.signal,
      fetch: trust ? trustedFetch(trust) : undefined,
    }).catch((err: Error) => {
      if (err instanceof UnitConfigRefused) log(err.message);
      else log(`could not get this unit's settings: ${err.message}`);
      process.exit(1);
    });
    process.off('SIGINT', quit);
    process.off('SIGTERM', quit);
    if (expected !== null && expected !== unit.unitId) {
      log(`--unit ${expected} does not match the server: this key belongs to unit ${unit.unitId} (${unit.callsign}); stopping`);
      process.exit(1);
    }
    const unitId = unit.unitId;
    const rtmp = values.rtmp ?? unit.publishUrl;
    if (trust && values.video) {
      requireSecureUrl(rtmp, 'the publish URL');
      if (!trust.caFile) throw new Error('pushing video over RTMPS needs --ca (ffmpeg checks the hub against the CA; a pin alone cannot be checked there)');
    }
    log(`unit ${unitId} (${unit.callsign})${values.video ? `; video to ${rtmp.replace(/([?&]key=)[^&]*/, '$1***')}` : ''}`);
    const agent = new UnitAgent({
      server,
      unitId,
      key: values.key,
      bufferFile: values.buffer ?? path.join(os.homedir(), '.argus-agent', `unit-${unitId}.jsonl`),
      gpsd,
      nmeaFile: values.nmea,
      loop: values.loop,
      sos: values.sos,
      log,
      maxBackoffMs,
      trust,
      video: values.video ? { source: values.video, url: rtmp } : undefined,
    });
    agent.start();
    agents.push(agent);
    if (process.stdin.isTTY) {
      process.stdin.setRawMode(true);
      process.stdin.setEncoding('utf8');
      process.stdin.on('data', (k: string) => {
        if (k === 's' || k === 'S') agent.setSos(!agent.sosActive);
        else if (k === 'q' || k === '\u0003') void stop();
      });
      log("press 's' to raise or clear SOS, 'q' to quit");
    }
    if (values.sos) log('SOS raised from the command line');
  }

  let stopping = false;
  async function stop(): Promise<void> {
    if (stopping) return;
    stopping = true;
    log('stopping');
    for (const t of timers) clearInterval(t);
    await Promise.all(agents.map((a) => a.close()));
    process.exit(0);
  }
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((err: Error) => {
  console.error(`[agent] ${err.message}`);
  process.exit(1);
});

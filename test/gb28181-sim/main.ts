// GB/T 28181 device simulator CLI: N devices over SIP/RTP; `READY <sip port>` once registered, JSON-line commands on stdin, JSON-line events on stdout.
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { loadClip, type LoadedClip } from './clip-source';
import { GbDevice, type DeviceConfig, type Quirk } from './device';
import type { PsAudioCodec } from './ps-mux';

const USAGE = `usage: tsx test/gb28181-sim/main.ts --server HOST:PORT --server-id ID20 --domain ID10 --device-id ID20 --password PW
  [--transport udp|tcp] [--channels N] [--alarm-inputs N] --clip FILE [--clip-h265 FILE] [--audio alaw|mulaw|aac|none]
  [--keepalive-s 60] [--expires-s 3600] [--devices N] [--local-host 127.0.0.1] [--quirks a,b] [--ready-on register|bind]
  [--catalog-per-message 2] [--records-per-message 3] [--reboot-s 1] [--lat 31.2304] [--lon 121.4737] [--quiet] [--org]`;

const { values: a } = parseArgs({
  options: {
    server: { type: 'string' },
    'server-id': { type: 'string' },
    domain: { type: 'string' },
    'device-id': { type: 'string' },
    password: { type: 'string', default: '' },
    transport: { type: 'string', default: 'udp' },
    channels: { type: 'string', default: '2' },
    'alarm-inputs': { type: 'string', default: '0' },
    clip: { type: 'string' },
    'clip-h265': { type: 'string' },
    audio: { type: 'string', default: 'alaw' },
    'keepalive-s': { type: 'string', default: '60' },
    'expires-s': { type: 'string', default: '3600' },
    devices: { type: 'string', default: '1' },
    'local-host': { type: 'string', default: '127.0.0.1' },
    quirks: { type: 'string', default: '' },
    'ready-on': { type: 'string', default: 'register' },
    'catalog-per-message': { type: 'string', default: '2' },
    'records-per-message': { type: 'string', default: '3' },
    'reboot-s': { type: 'string', default: '1' },
    lat: { type: 'string', default: '31.2304' },
    lon: { type: 'string', default: '121.4737' },
    quiet: { type: 'boolean', default: false },
    org: { type: 'boolean', default: false },
  },
});

function fail(msg: string): never {
  process.stderr.write(`gb28181-sim: ${msg}\n${USAGE}\n`);
  process.exit(2);
}

const [serverHost, serverPortText] = (a.server ?? '').split(':');
const serverPort = Number(serverPortText);
if (!serverHost || !Number.isInteger(serverPort) || serverPort <= 0) fail('--server HOST:PORT is required');
for (const [k, len] of [
  ['server-id', 20],
  ['device-id', 20],
  ['domain', 10],
] as const) {
  if (!new RegExp(`^\\d{${len}}$`).test(a[k] ?? '')) fail(`--${k} must be ${len} digits`);
}
if (!a.clip) fail('--clip is required');
if (a.transport !== 'udp' && a.transport !== 'tcp') fail('--transport is udp or tcp');
const audio = a.audio as PsAudioCodec;
if (!['alaw', 'mulaw', 'aac', 'none'].includes(audio)) fail('--audio is alaw, mulaw, aac or none');
const num = (k: keyof typeof a) => {
  const n = Number(a[k]);
  if (!Number.isFinite(n) || n < 0) fail(`--${k} must be a number`);
  return n;
};
const quirks = new Set(a.quirks.split(',').filter(Boolean) as Quirk[]);
const quiet = a.quiet;

function out(obj: Record<string, unknown>): void {
  if (quiet && (obj.ev === 'keepalive' || obj.ev === 'query' || obj.ev === 'notify-sent')) return;
  process.stdout.write(JSON.stringify({ atMs: Date.now(), ...obj }) + '\n');
}

/** Device i of a bench run: the base ID's 7-digit serial plus i. */
function deviceIdAt(base: string, i: number): string {
  return base.slice(0, 13) + String((Number(base.slice(13)) + i) % 10_000_000).padStart(7, '0');
}

async function main(): Promise<void> {
  const clip: LoadedClip = await loadClip(a.clip!, 'h264', audio);
  const clipH265 = a['clip-h265'] ? await loadClip(a['clip-h265'], 'h265', audio) : undefined;
  const count = Math.max(1, Math.floor(num('devices')));
  const devices: GbDevice[] = [];
  for (let i = 0; i < count; i++) {
    const cfg: DeviceConfig = {
      serverHost: serverHost,
      serverPort,
      serverId: a['server-id']!,
      domain: a.domain!,
      deviceId: deviceIdAt(a['device-id']!, i),
      password: a.password,
      transport: a.transport as 'udp' | 'tcp',
      localHost: a['local-host'],
      channels: Math.floor(num('channels')),
      alarmInputs: Math.floor(num('alarm-inputs')),
      org: a.org,
      clip,
      clipH265,
      keepaliveS: num('keepalive-s') || 60,
      expiresS: num('expires-s'),
      rebootS: num('reboot-s'),
      catalogPerMessage: Math.max(1, num('catalog-per-message')),
      recordsPerMessage: Math.max(1, num('records-per-message')),
      quirks,
      latitude: Number(a.lat),
      longitude: Number(a.lon),
      emit: (ev) => out(count > 1 && ev.ev === 'registered' && quiet ? { ev: 'registered', deviceId: ev.deviceId } : ev),
    };
    devices.push(new GbDevice(cfg));
  }
  let closing = false;
  const shutdown = async (unregister: boolean) => {
    if (closing) return;
    closing = true;
    await Promise.all(devices.map((d) => d.stop(unregister)));
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown(false));
  process.on('SIGINT', () => void shutdown(false));

  const startedMs = Date.now();
  if (a['ready-on'] === 'bind') {
    for (const d of devices) await d.bind();
    process.stdout.write(`READY ${devices[0].transport.localPort}\n`);
    for (const d of devices) void d.register();
  } else {
    // Register in batches (a bench of 1,000 devices must not burst the registrar).
    const BATCH = 50;
    for (let i = 0; i < devices.length; i += BATCH) {
      await Promise.all(devices.slice(i, i + BATCH).map((d) => d.start()));
    }
    const waitRegistered = async () => {
      while (!devices.every((d) => d.registered)) await new Promise((r) => setTimeout(r, 50));
    };
    await waitRegistered();
    out({ ev: 'all-registered', devices: devices.length, elapsedMs: Date.now() - startedMs });
    process.stdout.write(`READY ${devices[0].transport.localPort}\n`);
  }

  const byId = (id: unknown) => (typeof id === 'string' ? devices.find((d) => d.cfg.deviceId === id) : devices[0]);
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    if (!line.trim()) return;
    let cmd: Record<string, unknown>;
    try {
      cmd = JSON.parse(line) as Record<string, unknown>;
    } catch {
      out({ ev: 'error', message: `not JSON: ${line.slice(0, 100)}` });
      return;
    }
    void control(cmd, byId(cmd.device), devices, shutdown).then(
      (result) => out({ ev: 'ack', cmd: cmd.cmd, id: cmd.id ?? null, result: result ?? null }),
      (err: Error) => out({ ev: 'ack', cmd: cmd.cmd, id: cmd.id ?? null, error: err.message }),
    );
  });
  lines.on('close', () => void shutdown(false));
}

async function control(
  cmd: Record<string, unknown>,
  d: GbDevice | undefined,
  all: GbDevice[],
  shutdown: (unregister: boolean) => Promise<void>,
): Promise<unknown> {
  if (!d) throw new Error('no such device');
  const cameras = d.channels.filter((c) => c.kind === 'camera');
  const channelOf = () =>
    typeof cmd.channelId === 'string' ? cmd.channelId : cmd.index !== undefined ? cameras[Math.max(0, Number(cmd.index) - 1)]?.id : undefined;
  switch (cmd.cmd) {
    case 'state':
      out({ ev: 'state', deviceId: d.cfg.deviceId, ...d.state(), channels: d.channels });
      return true;
    case 'alarm':
      return d.subs.sendAlarm({
        channelId: typeof cmd.channelId === 'string' ? cmd.channelId : undefined,
        priority: cmd.priority as number | undefined,
        method: cmd.method as number | undefined,
        type: cmd.type as number | undefined,
        description: cmd.description as string | undefined,
      });
    case 'position':
      for (const k of ['latitude', 'longitude', 'speed', 'direction', 'altitude'] as const) if (typeof cmd[k] === 'number') d.position[k] = cmd[k];
      return d.subs.sendPosition(cmd.send === 'message' ? 'message' : 'auto');
    case 'channel':
      // {cmd:'channel', channelId | index (1-based among cameras), event: ON|OFF|ADD|DEL|UPDATE}; ADD without an ID adds the next camera.
      return d.subs.sendCatalogEvent(channelOf() ?? '', (cmd.event as 'ON' | 'OFF' | 'ADD' | 'DEL' | 'UPDATE') ?? 'OFF');
    case 'keepalive':
      await d.keepalive();
      return true;
    case 'unregister':
      return d.register(0);
    case 'register':
      return d.register();
    case 'drop':
      d.drop();
      return true;
    case 'reconnect':
      d.reconnect();
      return true;
    case 'reboot':
      d.reboot();
      return true;
    case 'bye':
      await d.media.byeAll(typeof cmd.callId === 'string' ? cmd.callId : undefined);
      return true;
    case 'freeze-media':
      d.media.mediaFrozen = cmd.on !== false;
      return d.media.mediaFrozen;
    case 'stats':
      return { devices: all.length, registered: all.filter((x) => x.registered).length, sessions: all.reduce((n, x) => n + x.media.count(), 0) };
    case 'quit':
      await shutdown(true);
      return true;
    default:
      throw new Error(`unknown command ${String(cmd.cmd)}`);
  }
}

main().catch((err: Error) => {
  process.stderr.write(`gb28181-sim: ${err.stack ?? err.message}\n`);
  process.exit(1);
});

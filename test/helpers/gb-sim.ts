// Test helper: starts/stops the GB/T 28181 device simulator (test/gb28181-sim/main.ts) as a child process; drives it over stdin and waits on its JSON events.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const GB_SIM_MAIN = fileURLToPath(new URL('../gb28181-sim/main.ts', import.meta.url));
/** The repository root: the simulator runs as `node --import tsx` from there (one process: a signal reaches it, not a wrapper). */
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface GbSimOptions {
  /** The platform's SIP address (Argus's GB port). */
  serverPort: number;
  serverHost?: string;
  serverId: string;
  domain: string;
  /** The (first) device's 20-digit ID, e.g. 34020000001320000001. */
  deviceId: string;
  password: string;
  transport?: 'udp' | 'tcp';
  /** Camera channels (type 131); default 2. With `clipH265` the last one streams H.265. */
  channels?: number;
  /** Alarm input channels (type 134); default 0. */
  alarmInputs?: number;
  /** Catalog with a business group (215) and a virtual organisation (216) above the channels. */
  org?: boolean;
  clip: string;
  clipH265?: string;
  audio?: 'alaw' | 'mulaw' | 'aac' | 'none';
  keepaliveS?: number;
  expiresS?: number;
  /** Bench mode: this many devices (IDs counting up from deviceId) in one process. */
  devices?: number;
  /** compact-headers, no-rport, utf8, lower-tags, lower-content-type, ptz-response, notify-as-message. */
  quirks?: string[];
  /** 'register' (default): READY once every device is registered; 'bind': as soon as the SIP port is open (wrong-password tests). */
  readyOn?: 'register' | 'bind';
  catalogPerMessage?: number;
  recordsPerMessage?: number;
  rebootS?: number;
  latitude?: number;
  longitude?: number;
  /** Leave keepalive/query events out of the output (bench). */
  quiet?: boolean;
  readyTimeoutMs?: number;
}

export type GbSimEvent = { ev: string; atMs: number; deviceId?: string } & Record<string, unknown>;

export interface GbSim {
  /** The first device's SIP port. */
  sipPort: number;
  pid: number;
  /** Every event so far, oldest first. */
  events: GbSimEvent[];
  /** Sends a control command ({cmd:'alarm'|'position'|'unregister'|'register'|'drop'|'reconnect'|'reboot'|'bye'|'channel'|'keepalive'|'freeze-media'|'state'|'stats'|'quit', ...}) and resolves with its ack's result. */
  command(cmd: Record<string, unknown> & { cmd: string }, timeoutMs?: number): Promise<unknown>;
  /** Resolves with the first event (already seen or future) that matches; rejects after timeoutMs (default 20 s). */
  waitFor(match: (e: GbSimEvent) => boolean, opts?: { timeoutMs?: number; what?: string; after?: number }): Promise<GbSimEvent>;
  /** The device's state dump ({registered, ptz, sessions, subscriptions, position, channels}). */
  state(deviceId?: string): Promise<GbSimEvent>;
  /** SIGTERM, then SIGKILL after 3 s; resolves once the process has exited. Idempotent. */
  stop(): Promise<void>;
}

const KILL_AFTER_MS = 3_000;
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

export async function startGbSim(opts: GbSimOptions): Promise<GbSim> {
  const args = [
    GB_SIM_MAIN,
    '--server',
    `${opts.serverHost ?? '127.0.0.1'}:${opts.serverPort}`,
    '--server-id',
    opts.serverId,
    '--domain',
    opts.domain,
    '--device-id',
    opts.deviceId,
    '--password',
    opts.password,
    '--transport',
    opts.transport ?? 'udp',
    '--channels',
    String(opts.channels ?? 2),
    '--alarm-inputs',
    String(opts.alarmInputs ?? 0),
    '--clip',
    opts.clip,
    '--audio',
    opts.audio ?? 'alaw',
    '--keepalive-s',
    String(opts.keepaliveS ?? 60),
    '--expires-s',
    String(opts.expiresS ?? 3600),
    '--devices',
    String(opts.devices ?? 1),
    '--ready-on',
    opts.readyOn ?? 'register',
    '--catalog-per-message',
    String(opts.catalogPerMessage ?? 2),
    '--records-per-message',
    String(opts.recordsPerMessage ?? 3),
    '--reboot-s',
    String(opts.rebootS ?? 1),
  ];
  if (opts.clipH265) args.push('--clip-h265', opts.clipH265);
  if (opts.quirks?.length) args.push('--quirks', opts.quirks.join(','));
  if (opts.latitude !== undefined) args.push('--lat', String(opts.latitude));
  if (opts.longitude !== undefined) args.push('--lon', String(opts.longitude));
  if (opts.quiet) args.push('--quiet');
  if (opts.org) args.push('--org');
  const readyTimeoutMs = opts.readyTimeoutMs ?? 30_000 + 50 * (opts.devices ?? 1);

  installExitHook();
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { stdio: ['pipe', 'pipe', 'pipe'], cwd: REPO_ROOT });
  running.add(child);
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    stderr = (stderr + d).slice(-32 * 1024);
  });
  const exited = new Promise<void>((resolve) => {
    child.once('close', () => {
      running.delete(child);
      resolve();
    });
  });
  const events: GbSimEvent[] = [];
  const waiters = new Set<{ match: (e: GbSimEvent) => boolean; after: number; resolve: (e: GbSimEvent) => void }>();
  let readyPort: ((port: number) => void) | undefined;
  const lines = createInterface({ input: child.stdout! });
  lines.on('line', (line) => {
    const m = /^READY (\d+)$/.exec(line.trim());
    if (m) {
      readyPort?.(Number(m[1]));
      return;
    }
    if (!line.startsWith('{')) return;
    let ev: GbSimEvent;
    try {
      ev = JSON.parse(line) as GbSimEvent;
    } catch {
      return;
    }
    events.push(ev);
    for (const w of [...waiters]) {
      if (events.length - 1 >= w.after && w.match(ev)) {
        waiters.delete(w);
        w.resolve(ev);
      }
    }
  });
  const describe = () => `node --import tsx ${args.join(' ')}`;

  const sipPort = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => fail(`did not print READY within ${readyTimeoutMs} ms`), readyTimeoutMs);
    const onClose = (code: number | null, signal: NodeJS.Signals | null) => fail(`exited before READY (${code ?? signal})`);
    function fail(why: string) {
      clearTimeout(timer);
      child.off('close', onClose);
      child.kill('SIGKILL');
      void Promise.race([exited, new Promise((r) => setTimeout(r, 1_000))]).then(() =>
        reject(new Error(`GB sim ${why}: ${describe()}\n--- events ---\n${events.map((e) => JSON.stringify(e)).join('\n')}\n--- stderr ---\n${stderr.trim()}`)),
      );
    }
    child.once('close', onClose);
    child.once('error', (err) => fail(`could not be spawned (${err.message})`));
    readyPort = (port) => {
      clearTimeout(timer);
      child.off('close', onClose);
      resolve(port);
    };
  });

  const waitFor: GbSim['waitFor'] = (match, o = {}) => {
    const after = o.after ?? 0;
    const found = events.slice(after).find(match);
    if (found) return Promise.resolve(found);
    const timeoutMs = o.timeoutMs ?? 20_000;
    return new Promise<GbSimEvent>((resolve, reject) => {
      const w = {
        match,
        after,
        resolve: (e: GbSimEvent) => {
          clearTimeout(timer);
          resolve(e);
        },
      };
      const timer = setTimeout(() => {
        waiters.delete(w);
        const tail = events.slice(-15).map((e) => JSON.stringify(e).slice(0, 300));
        reject(
          new Error(
            `GB sim: timed out after ${timeoutMs} ms waiting for ${o.what ?? 'an event'}; last events:\n${tail.join('\n')}\n--- stderr ---\n${stderr.slice(-2000)}`,
          ),
        );
      }, timeoutMs);
      waiters.add(w);
    });
  };

  let nextId = 1;
  const command: GbSim['command'] = async (cmd, timeoutMs = 20_000) => {
    const id = nextId++;
    const after = events.length;
    child.stdin!.write(JSON.stringify({ ...cmd, id }) + '\n');
    const ack = await waitFor((e) => e.ev === 'ack' && e.id === id, { timeoutMs, after, what: `ack of ${cmd.cmd}` });
    if (typeof ack.error === 'string') throw new Error(`GB sim ${cmd.cmd}: ${ack.error}`);
    return ack.result;
  };

  let stopping: Promise<void> | undefined;
  return {
    sipPort,
    pid: child.pid!,
    events,
    command,
    waitFor,
    async state(deviceId?: string) {
      const after = events.length;
      await command({ cmd: 'state', ...(deviceId ? { device: deviceId } : {}) });
      return waitFor((e) => e.ev === 'state', { after, what: 'state dump' });
    },
    stop: () => {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return exited;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
        await exited;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}

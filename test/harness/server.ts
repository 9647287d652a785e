// The one server builder of the tests: the real back end in-process (startBackend) or as a child process, in a temp data dir, signed in.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Role } from '../../common/api';
import { loadConfig, type Config } from '../../main/config';
import { hashPassword, type SignInLimits } from '../../main/server/auth';
import { startBackend, type Backend } from '../../main/server/backend';
import type { RecorderOptions } from '../../media/recorder';
import { buildRenderer, type BuildResult } from '../../scripts/build-renderer';
import { resolveTrust, trustedFetch } from '../../agent/tls-trust';
import { ApiClient } from './client';
import { startServerProcess, type ServerProcess } from './process';

export const DEFAULT_ADMIN_PASSWORD = 'harness-chief-password';
/** Password of users the harness creates when none is given (passes the password policy). */
export const SEED_PASSWORD = 'harness-user-secret-42';

export interface SeedUser {
  username: string;
  role: Role;
  /** Default SEED_PASSWORD. */
  password?: string;
}

export interface ServerOptions {
  /** 'in-process' (default): startBackend in this process, its store and features at hand. 'process': `main/server/cli.ts` as a child process. */
  mode?: 'in-process' | 'process';
  /** A temp dir made (and removed on close) when not given; the data dir is `<tmp>/data` unless dataDir is given. */
  tmp?: string;
  /** Prefix of the temp dir's name. */
  tag?: string;
  dataDir?: string;
  /** Called with the (created) data dir before the server starts: files the server should find there (map.mbtiles). */
  prepareDataDir?: (dataDir: string) => void | Promise<void>;
  /** Config overrides (in-process; port 0, rtmpPort 0 and sipPort 0 unless given). */
  overrides?: Partial<Config>;
  /** Options of the in-process recorders (backoff). */
  recorderOptions?: RecorderOptions;
  /** Extra environment of the server (ARGUS_ADMIN_PASSWORD is set from adminPassword). */
  env?: NodeJS.ProcessEnv;
  /** The console: true builds it into `<tmp>/console`; a string is a built console's folder. */
  console?: boolean | string;
  adminPassword?: string;
  /** Users created in the store before the test (no audit entries); their tokens are in `tokens`. */
  users?: SeedUser[];
  /** Sign in as admin (default true): `token` and `client` act as admin. */
  signIn?: boolean;
  /** In-process mode only: sign-in limits other than the defaults. */
  signInLimits?: Partial<SignInLimits>;
  /** Port of the child process (default: a free one). */
  port?: number;
  /** Log lines also go to the console when ARGUS_TEST_LOG is set. */
  echoLogs?: boolean;
  /** An HTTPS server (overrides tlsCertFile/tlsKeyFile): the CA its certificate chains to, trusted by `client` and `fetch`. */
  trustCa?: string;
}

export interface TestServer {
  url: string;
  tmp: string;
  dataDir: string;
  logs: string[];
  adminPassword: string;
  /** The console built for this server (console: true), else undefined. */
  consoleBuild?: BuildResult;
  /** In-process mode only (throws in process mode). */
  readonly backend: Backend;
  /** Process mode only (throws in in-process mode). */
  readonly proc: ServerProcess;
  /** fetch that trusts the server (its CA with trustCa; the global fetch otherwise). */
  fetch: typeof fetch;
  /** Admin's token ('' with signIn: false). */
  token: string;
  /** API client acting as admin. */
  client: ApiClient;
  /** Tokens of the seeded users by name. */
  tokens: Record<string, string>;
  login(username?: string, password?: string): Promise<string>;
  /** Creates a user (in the store in-process, through the API as admin in process mode) and returns its token. */
  addUser(username: string, role: Role, password?: string): Promise<string>;
  /** Stops the server (and removes the temp dir it made unless keepData). */
  close(opts?: { keepData?: boolean }): Promise<void>;
}

export async function startServer(opts: ServerOptions = {}): Promise<TestServer> {
  const madeTmp = !opts.tmp;
  const tmp = opts.tmp ?? fs.mkdtempSync(path.join(os.tmpdir(), `argus-${opts.tag ?? 'test'}-`));
  const dataDir = opts.dataDir ?? path.join(tmp, 'data');
  const adminPassword = opts.adminPassword ?? DEFAULT_ADMIN_PASSWORD;
  const logs: string[] = [];
  const echo = opts.echoLogs ?? !!process.env.ARGUS_TEST_LOG;
  let backend: Backend | undefined;
  let proc: ServerProcess | undefined;
  let consoleBuild: BuildResult | undefined;
  try {
    if (opts.console === true) consoleBuild = await buildRenderer(path.join(tmp, 'console'));
    const consoleDir = consoleBuild?.outDir ?? (typeof opts.console === 'string' ? opts.console : undefined);
    if (opts.prepareDataDir) {
      fs.mkdirSync(dataDir, { recursive: true });
      await opts.prepareDataDir(dataDir);
    }
    if ((opts.mode ?? 'in-process') === 'in-process') {
      const config = loadConfig({
        dataDir,
        env: {},
        overrides: { port: 0, rtmpPort: 0, sipPort: 0, ...(consoleDir ? { consoleDir } : {}), ...opts.overrides },
      });
      backend = await startBackend(config, {
        env: { ...opts.env, ARGUS_ADMIN_PASSWORD: adminPassword },
        recorderOptions: opts.recorderOptions,
        signInLimits: opts.signInLimits,
        log: (m) => {
          logs.push(m);
          if (echo) console.log(m);
        },
      });
    } else {
      fs.mkdirSync(dataDir, { recursive: true });
      proc = await startServerProcess(dataDir, {
        port: opts.port,
        env: { ...(consoleDir ? { ARGUS_CONSOLE_DIR: consoleDir } : {}), ...opts.env, ARGUS_ADMIN_PASSWORD: adminPassword },
      });
    }
  } catch (e) {
    if (madeTmp) fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  const url = backend ? backend.url : proc!.base;
  const fetchImpl = opts.trustCa ? trustedFetch(resolveTrust({ caFile: opts.trustCa })!) : fetch;
  const anon = new ApiClient(url, '', fetchImpl);
  const login = (username = 'admin', password = adminPassword) => anon.login(username, password);
  const server: TestServer = {
    url,
    tmp,
    dataDir,
    logs: backend ? logs : proc!.logs,
    adminPassword,
    consoleBuild,
    get backend(): Backend {
      if (!backend) throw new Error('startServer: backend is in-process mode only');
      return backend;
    },
    get proc(): ServerProcess {
      if (!proc) throw new Error('startServer: proc is process mode only');
      return proc;
    },
    fetch: fetchImpl,
    token: '',
    client: anon,
    tokens: {},
    login,
    async addUser(username, role, password = SEED_PASSWORD) {
      if (backend) {
        await backend.store.users.create({
          username,
          passwordHash: await hashPassword(password),
          role,
          displayName: username,
          disabled: false,
          createdMs: Date.now(),
        });
      } else {
        await server.client.createUser(username, password, role);
      }
      return login(username, password);
    },
    async close(o = {}) {
      if (backend) await backend.close();
      if (proc) await proc.stop();
      if (madeTmp && !o.keepData) fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
  try {
    if (opts.signIn ?? true) {
      server.token = await login();
      server.client = anon.as(server.token);
    }
    for (const u of opts.users ?? []) server.tokens[u.username] = await server.addUser(u.username, u.role, u.password);
  } catch (e) {
    await server.close();
    throw e;
  }
  return server;
}

// The HTTP server: JSON API under /api/v1, the WebSocket event stream, and the console's static files at /.
import { msg } from '../../common/messages';
import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import type { AddressInfo } from 'node:net';
import { EVENTS_PATH } from '../../common/events';
import type { Store } from '../../storage/repositories';
import type { Config } from '../config';
import type { RecordingControl } from '../services/recording-control';
import type { UnitControl } from '../services/unit-control';
import { AuditLog } from '../services/audit-log';
import type { AuditChain } from '../services/audit-chain';
import { createDevices, type DevicesControl } from '../services/devices/index';
import { AccessService } from '../services/access/service';
import { AuthService, DEFAULT_LIMITS, PasswordHasher, RefusalAudit, Sessions, type SignInLimits } from './auth';
import { SignInFactors } from './auth-factors';
import { factorSealer } from './auth-factors/secret';
import { toErrorResponse } from './errors';
import { EventHub } from './event-hub';
import { LIVE_FLV_PREFIX, LIVE_WS_PREFIX, LiveGateway, type LiveHub } from './live';
import { Mutex } from './mutex';
import { apiRoutes } from './routes/index';
import type { ApiDeps } from './routes/deps';
import type { FeatureControls, MountAuth, RawMount } from '../services/features';
import { ErrorKind } from '../../common/errors';
import { isScopedRight } from '../../common/rights';
import { ApiError } from './errors';
import { Router, sendJson, type Route } from './router';
import { serveStatic } from './static';
import { asLog, type LogSink } from '../../common/log';
import { frontDoor, HSTS, plainHttpHandler, type TlsMaterial } from './tls';

export interface AppDeps {
  config: Config;
  store: Store;
  recording: RecordingControl;
  units: UnitControl;
  /** The media hub live viewers are served from; null/absent: live streams answer 503. */
  mediaHub?: LiveHub | null;
  /** Feature services; absent ones answer 503 (tests that build a bare app). */
  features?: Partial<FeatureControls>;
  /** The device model's services (built here over the store when absent: tests that build a bare app). */
  devices?: DevicesControl;
  /** Raw (non-JSON) endpoints of the features. */
  mounts?: readonly RawMount[];
  /** Who may use which right where (built here over the store when absent: tests that build a bare app get real rights). */
  access?: AccessService;
  /** The audit chain (built by the composition root over the site key; absent: its routes answer 503). */
  auditChain?: AuditChain;
  /** The site certificate (main/server/tls.ts loadTls): the port serves HTTPS and WSS only. Absent: plain HTTP. */
  tls?: TlsMaterial | null;
  /** Sign-in limits (main/server/auth/throttle.ts DEFAULT_LIMITS where not given; tests shorten them). */
  signInLimits?: Partial<SignInLimits>;
  /** The 'http' logger (its children: 'events', 'live'); a line function is wrapped (asLog). */
  log?: LogSink;
  now?: () => number;
}

export interface App {
  server: http.Server | https.Server;
  /** 'https' when the port serves TLS. */
  scheme: 'http' | 'https';
  hub: EventHub;
  /** Live tickets and the HTTP-FLV / WS-FLV streams. */
  live: LiveGateway;
  /** Devices, channels and the organisation tree. */
  devices: DevicesControl;
  /** The API route table being served. */
  routes: readonly Route[];
  /** Who may use which right where (the one the routes, the event stream and live tickets ask). */
  access: AccessService;
  auth: AuthService;
  /** Starts listening on config.bind:config.port; resolves with the actual port. */
  listen(): Promise<number>;
  /** Disconnects event clients and open connections and stops the server (the store is the caller's). */
  close(): Promise<void>;
}

/** Headers on every response. No CORS headers: the console is served from the same origin. */
export const SECURITY_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Content-Security-Policy': [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; '),
};

export function createApp(deps: AppDeps): App {
  const { config, store, recording } = deps;
  const now = deps.now ?? Date.now;
  const log = asLog(deps.log);
  const audit = new AuditLog(store, now);
  const signInLimits: SignInLimits = { ...DEFAULT_LIMITS, ...deps.signInLimits };
  const sessions = new Sessions(store, { idleMs: config.sessionIdleMs, maxMs: config.sessionMaxMs }, now);
  const auth = new AuthService({
    store,
    sessions,
    audit,
    // Sign-in hashes on its own thread, never on the libuv pool SQLite uses; a full queue is refused at once.
    // The gate admits maxConcurrent sign-ins; the queue also holds the one dummy hash made for unknown names.
    hasher: new PasswordHasher({ workers: 1, maxQueue: signInLimits.maxConcurrent + 1 }),
    refusals: new RefusalAudit(audit, now, 60_000, {
      onError: (err) => log.error('audit of refused sign-ins failed', { err: String(err) }),
      onFlush: (address, count) => log.warn('sign-ins refused for too many attempts', { remoteAddress: address, count }),
    }),
    limits: signInLimits,
    now,
  });
  // Sign-in factors plug into the seams of the sign-in: the directory checks credentials, TOTP comes after the password.
  // Directory sign-ins keep access groups in step; the access service is built below and only asked at sign-in.
  const directoryGroups = () => access;
  const factors = new SignInFactors({ store, audit, sealer: factorSealer(config), settings: config, now, log: log.child('auth'), directoryGroups });
  factors.plugInto(auth);
  // The event stream and raw mounts are not for a user whose password change is due (the API answers them 403).
  const active = async (token: string) => {
    await accessReady;
    const p = await sessions.resolve(token);
    return p && !p.user.mustChangePassword ? p : null;
  };
  const hub = new EventHub({
    authenticate: active,
    stillValid: async (tokenHash) => (await sessions.resolveHash(tokenHash, false)) !== null,
    accessFor: (user) => access.for(user),
    resolveHash: (tokenHash) => sessions.resolveHash(tokenHash, false),
    log: log.child('events'),
    now,
  });
  const devices =
    deps.devices ??
    createDevices({
      repos: store,
      recording,
      units: deps.units,
      audit,
      publish: (ev) => hub.publish(ev),
      segmentSeconds: config.segmentSeconds,
      now,
      log: log.child('devices'),
    });
  const access =
    deps.access ??
    new AccessService({ repo: store.access, users: store.users, tree: () => devices.read.tree, treeReady: () => devices.read.ready(), audit, now });
  // Every rights check waits for the grants to be loaded (the first request of a bare app may come at once).
  const accessReady = access.start();
  accessReady.catch((err: Error) => log.error(`access control could not load: ${err.message}`, { err }));
  const live = new LiveGateway({
    store,
    hub: deps.mediaHub ?? null,
    recording,
    units: deps.units,
    log: log.child('live'),
    now,
    audit,
    access,
    sessionValid: async (tokenHash) => (await sessions.resolveHash(tokenHash, false)) !== null,
  });
  // Rights changed: each console's event filter is compiled again, live streams no longer allowed are cut.
  const offAccess = access.onChange(() => {
    void hub.refreshAccess();
    live.recheck();
  });
  // Changes the routes announce (old /cameras and /units paths, ONVIF) reach the device model's tree too.
  const events: ApiDeps['events'] = {
    publish: (ev) => {
      hub.publish(ev);
      devices.read.onServerEvent(ev);
    },
    // Where sessions end, their event streams and live streams end too (tickets of the session with them).
    closeSession: (t) => {
      hub.closeSession(t);
      live.closeSession(t);
    },
    closeUser: (u) => {
      hub.closeUser(u);
      live.closeUser(u);
    },
    closeUserExcept: (u, t) => {
      hub.closeUserExcept(u, t);
      live.closeUserExcept(u, t);
    },
  };
  const apiDeps: ApiDeps = {
    config,
    store,
    recording,
    units: deps.units,
    live,
    events,
    devices,
    access,
    auth,
    factors,
    audit,
    auditChain: deps.auditChain ?? null,
    configLock: new Mutex(),
    now,
    log,
    startedMs: now(),
    features: withUnavailable(deps.features ?? {}),
  };
  const mounts = [...(deps.mounts ?? [])].sort((a, b) => b.prefix.length - a.prefix.length);
  const mountAuth: MountAuth = {
    async principal(req, url) {
      const header = req.headers.authorization;
      const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : url.searchParams.get('token');
      return token ? active(token) : null;
    },
    async session(tokenHash) {
      const p = await sessions.resolveHash(tokenHash, false);
      return p && !p.user.mustChangePassword ? p : null;
    },
  };
  const routes = apiRoutes(() => apiDeps);
  const authenticate = async (token: string) => {
    await accessReady;
    return sessions.resolve(token);
  };
  const router = new Router(routes, {
    authenticate,
    log,
    // A scoped right (live.view, ptz.control, ...) opens its routes when held anywhere; the handler checks the object.
    holds: (user, right) => (isScopedRight(right) ? access.for(user).any(right) : access.for(user).global(right)),
  });

  const tls = deps.tls ?? null;
  const handler: http.RequestListener = (req, res) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    if (tls) res.setHeader('Strict-Transport-Security', HSTS);
    logRequest(log, req, res, now);
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      res.statusCode = 400;
      res.end();
      return;
    }
    const isApi = url.pathname === '/api' || url.pathname.startsWith('/api/');
    // Live streams are authenticated by their signed ticket, not by the bearer header (see main/server/live.ts).
    const mount = mounts.find((m) => m.http && url.pathname.startsWith(m.prefix));
    const done = url.pathname.startsWith(LIVE_FLV_PREFIX)
      ? live.handleHttp(req, res, url)
      : mount
        ? mount.http!(req, res, url, mountAuth)
        : isApi
          ? router.handle(req, res, url)
          : serveStatic(req, res, url, config.consoleDir);
    done.catch((err: unknown) => {
      const e = toErrorResponse(err, log);
      if (res.headersSent) res.destroy();
      else sendJson(res, e.status, e.body);
    });
  };
  const server = tls ? https.createServer({ cert: tls.cert, key: tls.key, minVersion: 'TLSv1.2' }, handler) : http.createServer(handler);
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const pathname = url.pathname;
    if (pathname === EVENTS_PATH) return hub.handleUpgrade(req, socket, head);
    const mount = mounts.find((m) => m.upgrade && pathname.startsWith(m.prefix));
    if (mount) return mount.upgrade!(req, socket, head, url, mountAuth);
    if (pathname.startsWith(LIVE_WS_PREFIX)) return live.handleUpgrade(req, socket, head);
    socket.on('error', () => socket.destroy());
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });

  // With TLS the port's listener is the front door (TLS → the HTTPS server; plain HTTP → redirect or refusal), plus an optional redirect-only port.
  let boundPort = 0;
  const plain = tls ? http.createServer(plainHttpHandler(config.httpMode, () => boundPort, config.bind, log)) : null;
  const listeners: (net.Server | http.Server)[] = [];
  const listenOn = (srv: net.Server | http.Server, port: number) =>
    new Promise<number>((resolve, reject) => {
      srv.once('error', reject);
      srv.listen(port, config.bind, () => {
        srv.off('error', reject);
        listeners.push(srv);
        resolve((srv.address() as AddressInfo).port);
      });
    });
  let closing: Promise<void> | null = null;
  return {
    server,
    scheme: tls ? 'https' : 'http',
    hub,
    live,
    devices,
    routes,
    access,
    auth,
    async listen() {
      boundPort = await listenOn(tls && plain ? frontDoor(server as https.Server, plain) : server, config.port);
      log.info(`listening on ${config.bind}:${boundPort}${tls ? ` (HTTPS; plain HTTP: ${config.httpMode})` : ''}`, { port: boundPort });
      if (plain && config.httpRedirectPort !== undefined) {
        const p = await listenOn(http.createServer(plainHttpHandler(config.httpMode, () => boundPort, config.bind, log)), config.httpRedirectPort);
        log.info(`plain HTTP on ${config.bind}:${p}: ${config.httpMode}`, { port: p });
      }
      return boundPort;
    },
    close: () =>
      (closing ??= (async () => {
        devices.read.close();
        offAccess();
        if (!deps.access) access.close();
        await hub.close();
        await live.close();
        await auth.close();
        const closed = listeners.map((l) => new Promise<void>((resolve) => l.close(() => resolve())));
        for (const l of [server, plain, ...listeners]) if (l instanceof http.Server || l instanceof https.Server) l.closeAllConnections();
        await Promise.all(closed);
      })()),
  };
}

/**
 * One line per request when its response is done (or the connection closed first): an API change or a failure at info/warn,
 * a successful read at debug. The path's query (tickets, tokens) is redacted by the logger like every other line.
 */
function logRequest(log: ReturnType<typeof asLog>, req: http.IncomingMessage, res: http.ServerResponse, now: () => number): void {
  const startMs = now();
  const done = () => {
    // A stream the client closed (a live view ended) has its status sent and `closedEarly`; nothing sent: status 0.
    const status = res.headersSent ? res.statusCode : 0;
    const method = req.method ?? '?';
    const fields = {
      method,
      path: req.url ?? '/',
      status,
      durationMs: now() - startMs,
      remoteAddress: req.socket.remoteAddress,
      closedEarly: !res.writableFinished || undefined,
    };
    const line = `${method} ${req.url ?? '/'} ${status || 'closed before an answer'}`;
    if (status >= 500) log.error(line, fields);
    // Refused for too many attempts: counted, and logged and audited once per address per minute (auth/refusal-audit.ts).
    else if (status === 429) log.debug(line, fields);
    else if (status >= 400 || status === 0) log.warn(line, fields);
    else if (method === 'GET' || method === 'HEAD') log.debug(line, fields);
    else log.info(line, fields);
  };
  res.once('close', done);
}

/** Fills the features a bare app was built without with stand-ins whose every call answers 503. */
function withUnavailable(given: Partial<FeatureControls>): FeatureControls {
  const missing = (name: string) =>
    new Proxy(
      {},
      {
        get: () => () => {
          throw new ApiError(ErrorKind.Unavailable, msg('server.feature_unavailable', { feature: name }));
        },
      },
    );
  return {
    onvif: given.onvif ?? (missing('ONVIF') as FeatureControls['onvif']),
    gps: given.gps ?? (missing('GPS') as FeatureControls['gps']),
    investigation: given.investigation ?? (missing('investigation') as FeatureControls['investigation']),
    alarms: given.alarms ?? (missing('the alarm center') as FeatureControls['alarms']),
    gb: given.gb ?? (missing('GB/T 28181') as FeatureControls['gb']),
    gbCommands: given.gbCommands ?? (missing('GB/T 28181') as FeatureControls['gbCommands']),
    gbRecords: given.gbRecords ?? (missing('GB/T 28181 device recordings') as FeatureControls['gbRecords']),
    gbCascade: given.gbCascade ?? (missing('GB/T 28181 cascade') as FeatureControls['gbCascade']),
  };
}

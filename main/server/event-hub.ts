// WebSocket event stream at EVENTS_PATH: token-authenticated upgrade, broadcast, heartbeat, bounded per-client buffers.
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { ServerEvent } from '../../common/events';
import type { UserAccess } from '../services/access/contract';
import { mayReceive } from './event-audience';
import { eventFor } from './event-rights';
import type { Principal } from './router';
import { bearerToken } from './router';
import { asLog, type Log, type LogSink } from '../../common/log';

export interface EventHubOptions {
  /** Resolves a token to its session's user without extending the session, or null. */
  authenticate(token: string): Promise<Principal | null>;
  /** Re-checks a connected client's session (logged out, expired, user disabled → false). */
  stillValid(tokenHash: string): Promise<boolean>;
  /** The user's rights, compiled once per client (and again after `refreshAccess`); absent: every event goes to everyone (bare tests). */
  accessFor?: (user: Principal['user']) => UserAccess;
  /** The session's current principal (its user row as changed since the stream opened), for `refreshAccess`. */
  resolveHash?: (tokenHash: string) => Promise<Principal | null>;
  log?: LogSink;
  now?: () => number;
  /** Ping interval; a client that did not answer the previous ping is dropped. */
  heartbeatMs?: number;
  /** A client whose unsent data exceeds this is dropped instead of buffering without bound. */
  maxBufferedBytes?: number;
}

interface Client {
  ws: WebSocket;
  principal: Principal;
  /** What the user may see (null: everything; bare tests). */
  access: UserAccess | null;
  alive: boolean;
}

/** Close code sent when the client's session ended (logout, expiry, user disabled). */
export const CLOSE_SESSION_ENDED = 4401;
/** Close code sent when the client could not keep up with the event stream. */
export const CLOSE_TOO_SLOW = 4008;

export class EventHub {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 4096, clientTracking: false });
  private readonly clients = new Set<Client>();
  private readonly timer: NodeJS.Timeout;
  private readonly log: Log;
  private readonly now: () => number;
  private readonly maxBufferedBytes: number;
  private closed = false;

  constructor(private readonly opts: EventHubOptions) {
    this.log = asLog(opts.log, 'events');
    this.now = opts.now ?? Date.now;
    this.maxBufferedBytes = opts.maxBufferedBytes ?? 4 * 1024 * 1024;
    this.timer = setInterval(() => void this.heartbeat(), opts.heartbeatMs ?? 30_000);
    this.timer.unref();
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** Handles an HTTP upgrade for EVENTS_PATH: authenticates, then completes the WebSocket handshake or answers 401. */
  handleUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://localhost');
    const token = url.searchParams.get('token') ?? bearerToken(req);
    const reject = (status: number, reason: string, message: string) => {
      if (socket.destroyed) return;
      const body = JSON.stringify({ error: { kind: 'unauthorized', message } });
      socket.end(
        `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    };
    if (this.closed) return reject(503, 'Service Unavailable', 'server is shutting down');
    if (!token) return reject(401, 'Unauthorized', 'log in first (missing ?token= or Authorization: Bearer)');
    this.opts.authenticate(token).then(
      (principal) => {
        if (!principal) return reject(401, 'Unauthorized', 'session is invalid or has expired; log in again');
        if (socket.destroyed || this.closed) return socket.destroy();
        this.wss.handleUpgrade(req, socket, head, (ws) => this.add(ws, principal));
      },
      (err: Error) => {
        this.log.error(`authentication failed: ${err.message}`, { err });
        reject(503, 'Service Unavailable', 'cannot check the session now');
      },
    );
  }

  private add(ws: WebSocket, principal: Principal): void {
    const client: Client = { ws, principal, access: this.opts.accessFor?.(principal.user) ?? null, alive: true };
    this.clients.add(client);
    ws.on('pong', () => (client.alive = true));
    ws.on('message', () => undefined); // the stream is server → client only
    ws.on('error', () => ws.terminate());
    ws.on('close', () => this.clients.delete(client));
    this.send(client, JSON.stringify({ type: 'hello', serverTimeMs: this.now() } satisfies ServerEvent));
  }

  private send(c: Client, text: string): void {
    if (c.ws.readyState !== WebSocket.OPEN) return;
    if (c.ws.bufferedAmount > this.maxBufferedBytes) {
      this.log.warn(`dropping client of user "${c.principal.user.username}": ${c.ws.bufferedAmount} bytes unsent`, { userId: c.principal.user.id });
      this.clients.delete(c);
      c.ws.close(CLOSE_TOO_SLOW, 'too slow');
      // A client that cannot even take the close frame is cut off.
      setTimeout(() => c.ws.terminate(), 1000).unref();
      return;
    }
    c.ws.send(text);
  }

  /**
   * Sends an event to every connected client allowed to receive it (mayReceive: event-audience.ts), each getting what
   * of it their user may see (eventFor: event-rights.ts). The JSON text is made once per distinct answer.
   */
  publish(ev: ServerEvent): void {
    if (this.clients.size === 0) return;
    const texts = new Map<ServerEvent, string>();
    for (const c of [...this.clients]) {
      if (!mayReceive(c.principal, ev, c.access)) continue;
      const out = c.access ? eventFor(c.access, ev) : ev;
      if (out === null) continue;
      let text = texts.get(out);
      if (text === undefined) texts.set(out, (text = JSON.stringify(out)));
      this.send(c, text);
    }
  }

  /**
   * Rights changed (AccessControl.onChange): every client's rights are compiled again from its session's current user,
   * a client whose session ended is closed, and each is told 'rights.changed' so the console reloads its lists.
   */
  async refreshAccess(): Promise<void> {
    const accessFor = this.opts.accessFor;
    if (!accessFor) return;
    for (const c of [...this.clients]) {
      try {
        const p = this.opts.resolveHash ? await this.opts.resolveHash(c.principal.tokenHash) : c.principal;
        if (!p) {
          this.end(c);
          continue;
        }
        c.principal = p;
        c.access = accessFor(p.user);
        this.send(c, JSON.stringify({ type: 'rights.changed' } satisfies ServerEvent));
      } catch (err) {
        this.log.error(`rights refresh failed: ${(err as Error).message}`, { err });
      }
    }
  }

  /** Closes the streams of one session (after logout). */
  closeSession(tokenHash: string): void {
    for (const c of [...this.clients]) if (c.principal.tokenHash === tokenHash) this.end(c);
  }

  /** Closes the streams of one user except those of one session (the user changed their password there). */
  closeUserExcept(userId: number, keepTokenHash: string): void {
    for (const c of [...this.clients]) if (c.principal.user.id === userId && c.principal.tokenHash !== keepTokenHash) this.end(c);
  }

  /** Closes the streams of one user (disabled). */
  closeUser(userId: number): void {
    for (const c of [...this.clients]) if (c.principal.user.id === userId) this.end(c);
  }

  private end(c: Client): void {
    this.clients.delete(c);
    c.ws.close(CLOSE_SESSION_ENDED, 'session ended');
  }

  private async heartbeat(): Promise<void> {
    for (const c of [...this.clients]) {
      if (!c.alive) {
        this.clients.delete(c);
        c.ws.terminate();
        continue;
      }
      c.alive = false;
      try {
        c.ws.ping();
      } catch {
        c.ws.terminate();
      }
    }
    for (const c of [...this.clients]) {
      try {
        if (!(await this.opts.stillValid(c.principal.tokenHash))) this.end(c);
      } catch (err) {
        this.log.error(`session check failed: ${(err as Error).message}`, { err });
      }
    }
  }

  /** Disconnects every client and stops the heartbeat. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    for (const c of this.clients) c.ws.terminate();
    this.clients.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}

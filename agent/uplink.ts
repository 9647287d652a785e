// Telemetry uplink: live points over the unit's WebSocket, the disk backlog (and everything while the socket is down) in HTTP batches; kept on failure, retried with backoff.
import WebSocket from 'ws';
import type { IngestResult, ServerToUnit, TelemetryPoint } from '../common/gps';
import type { PointBuffer } from './buffer';
import { trustedConnector, trustedFetch, type ServerTrust } from './tls-trust';

/** A point sent this long after it was captured is flagged `buffered` (it must not become the live position). */
export const BUFFERED_AFTER_MS = 5_000;
/** No ack on the socket within this time: the socket is dropped and the points go again (duplicates are harmless). */
const WS_ACK_TIMEOUT_MS = 10_000;
/** At most this many points per WebSocket message (live traffic is a point or two; more is backlog for HTTP). */
const WS_BATCH = 50;

export interface UplinkOptions {
  server: string;
  unitId: number;
  key: string;
  buffer: PointBuffer;
  log: (m: string) => void;
  batchSize?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  now?: () => number;
  /** false: HTTP batches only. */
  webSocket?: boolean;
  /** How long a WebSocket message may wait for its ack (default 10 s). */
  ackTimeoutMs?: number;
  /** The server's certificate must match (--ca/--pin): HTTPS and WSS only, through agent/tls-trust.ts. */
  trust?: ServerTrust | null;
}

export type Transport = 'websocket' | 'http';

export class TelemetryUplink {
  private timer: NodeJS.Timeout | null = null;
  private sending = false;
  private failures = 0;
  private closed = false;
  private nextTryMs = 0;
  readonly stats = { sent: 0, stored: 0, duplicates: 0, rejected: 0, failures: 0, sentWs: 0, sentHttp: 0 };
  linkUp: boolean | null = null;
  /** Transport of the last acknowledged batch. */
  lastTransport: Transport | null = null;

  // The telemetry WebSocket: one at a time, reconnected with its own backoff.
  private ws: WebSocket | null = null;
  private wsOpen = false;
  private wsFailures = 0;
  private wsNextTryMs = 0;
  private wsSeq = 0;
  private pendingAck: { seq: number; resolve: (r: IngestResult) => void; reject: (e: Error) => void } | null = null;

  private readonly fetch: typeof fetch;

  constructor(private readonly o: UplinkOptions) {
    this.fetch = o.trust ? trustedFetch(o.trust) : fetch;
  }

  private now(): number {
    return (this.o.now ?? Date.now)();
  }

  start(): void {
    this.timer = setInterval(() => {
      this.connectWs();
      void this.pump();
    }, 250);
    this.connectWs();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    while (this.sending) await new Promise((r) => setTimeout(r, 20));
    this.ws?.terminate();
    this.ws = null;
    this.wsOpen = false;
    this.o.log(`telemetry totals: websocket=${this.stats.sentWs} http=${this.stats.sentHttp} points acknowledged`);
  }

  /** True while the telemetry WebSocket is open. */
  get webSocketUp(): boolean {
    return this.wsOpen;
  }

  private connectWs(): void {
    if (this.o.webSocket === false || this.closed || this.ws || this.now() < this.wsNextTryMs) return;
    const url = `${this.o.server.replace(/\/$/, '').replace(/^http/, 'ws')}/api/v1/gps/telemetry?unit=${this.o.unitId}`;
    if (this.o.trust && !url.startsWith('wss:')) {
      this.o.log(`telemetry WebSocket not opened: ${url.split('?')[0]} is not wss:// and TLS is configured`);
      this.wsNextTryMs = Infinity;
      return;
    }
    const ws = new WebSocket(url, {
      headers: { 'x-unit-key': this.o.key },
      handshakeTimeout: 10_000,
      ...(this.o.trust ? { createConnection: trustedConnector(this.o.trust) as unknown as WebSocket.ClientOptions['createConnection'] } : {}),
    });
    this.ws = ws;
    let why = '';
    ws.on('open', () => {
      this.wsOpen = true;
      this.wsFailures = 0;
      this.o.log('telemetry WebSocket connected');
      void this.pump();
    });
    ws.on('unexpected-response', (_req, res) => {
      why = `HTTP ${res.statusCode}`;
      res.resume();
      ws.terminate();
    });
    ws.on('message', (data) => {
      let m: ServerToUnit;
      try {
        m = JSON.parse(String(data)) as ServerToUnit;
      } catch {
        return;
      }
      if (m.type === 'ack') {
        if (this.pendingAck && this.pendingAck.seq === m.seq) this.pendingAck.resolve(m);
      } else this.o.log(`telemetry WebSocket: server says ${m.reason}: ${m.message}`);
    });
    ws.on('error', (err) => (why ||= err.message));
    ws.on('close', (code) => {
      const wasOpen = this.wsOpen;
      this.ws = null;
      this.wsOpen = false;
      this.pendingAck?.reject(new Error(`WebSocket closed (${why || code})`));
      if (this.closed) return;
      this.wsFailures++;
      const min = this.o.minBackoffMs ?? 1000;
      const delay = Math.min(this.o.maxBackoffMs ?? 10_000, min * 2 ** Math.min(10, this.wsFailures - 1)) * (0.8 + Math.random() * 0.4);
      this.wsNextTryMs = this.now() + delay;
      if (wasOpen || this.wsFailures % 10 === 1)
        this.o.log(`telemetry WebSocket down (${why || `code ${code}`}); HTTP batches meanwhile; reconnect in ${Math.round(delay / 100) / 10} s`);
    });
  }

  /** Sends what is queued (one batch at a time, oldest first) unless waiting out a backoff. */
  async pump(): Promise<void> {
    if (this.sending || this.closed || this.o.buffer.length === 0 || this.now() < this.nextTryMs) return;
    this.sending = true;
    try {
      while (!this.closed && this.o.buffer.length > 0) {
        const sendNow = this.now();
        // Live points (captured just now) go over the socket when it is open; the backlog goes in HTTP batches.
        const head = this.o.buffer.peek(WS_BATCH);
        const live = this.wsOpen && head.every((p) => sendNow - p.capturedMs <= BUFFERED_AFTER_MS);
        const batch = live ? head : this.o.buffer.peek(this.o.batchSize ?? 500);
        const points = batch.map(({ capturedMs, timeFromAgentClock: _agentClock, ...p }) =>
          sendNow - capturedMs > BUFFERED_AFTER_MS ? { ...p, buffered: true } : p,
        );
        const transport: Transport = live ? 'websocket' : 'http';
        let body: IngestResult;
        if (live) {
          try {
            body = await this.sendWs(points);
          } catch (err) {
            // The socket failed under this message: the points stay queued and go by HTTP until it is back.
            this.wsOpen = false;
            this.ws?.terminate();
            this.o.log(`telemetry WebSocket: ${(err as Error).message}; ${this.o.buffer.length} points kept`);
            continue;
          }
        } else body = await this.sendHttp(points);
        this.o.buffer.drop(batch.length);
        this.stats.sent += batch.length;
        if (live) this.stats.sentWs += batch.length;
        else this.stats.sentHttp += batch.length;
        this.stats.stored += body.stored;
        this.stats.duplicates += body.duplicates;
        this.stats.rejected += body.rejected.length;
        for (const r of body.rejected) this.o.log(`point ${JSON.stringify(batch[r.index])} refused: ${r.reason} (${r.field} ${r.message})`);
        if (this.linkUp !== true) this.o.log(`telemetry link up (${this.o.buffer.length} points still queued)`);
        if (this.lastTransport !== transport)
          this.o.log(
            transport === 'websocket'
              ? 'telemetry: live points over the WebSocket'
              : `telemetry: HTTP batches (${this.wsOpen ? 'backlog' : 'no WebSocket'}, ${this.o.buffer.length} points still queued)`,
          );
        this.lastTransport = transport;
        this.linkUp = true;
        this.failures = 0;
      }
    } catch (err) {
      this.failures++;
      this.stats.failures++;
      const min = this.o.minBackoffMs ?? 1000;
      const delay = Math.min(this.o.maxBackoffMs ?? 10_000, min * 2 ** Math.min(10, this.failures - 1)) * (0.8 + Math.random() * 0.4);
      this.nextTryMs = this.now() + delay;
      if (this.linkUp !== false || this.failures % 10 === 1)
        this.o.log(`telemetry link down (${(err as Error).message}); ${this.o.buffer.length} points kept on disk; retry in ${Math.round(delay / 100) / 10} s`);
      this.linkUp = false;
    } finally {
      this.sending = false;
    }
  }

  private async sendHttp(points: TelemetryPoint[]): Promise<IngestResult> {
    const url = `${this.o.server.replace(/\/$/, '')}/api/v1/gps/telemetry?unit=${this.o.unitId}`;
    const res = await this.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-unit-key': this.o.key },
      body: JSON.stringify({ points }),
      signal: AbortSignal.timeout(15_000),
    });
    const body = (await res.json().catch(() => null)) as (IngestResult & { error?: { message: string; reason?: string } }) | null;
    if (res.status !== 200 || !body) {
      const why = body?.error ? `${body.error.reason ?? res.status}: ${body.error.message}` : `HTTP ${res.status}`;
      // Refusals of the whole batch for a reason that retrying cannot fix still keep the points (the key may be fixed).
      throw new Error(`server refused the batch (${why})`);
    }
    return body;
  }

  /** One `points` message; resolves with its ack (sent by the server after the points are committed). */
  private sendWs(points: TelemetryPoint[]): Promise<IngestResult> {
    const ws = this.ws;
    if (!ws || !this.wsOpen) return Promise.reject(new Error('WebSocket not open'));
    const seq = ++this.wsSeq;
    return new Promise<IngestResult>((resolve, reject) => {
      const timeoutMs = this.o.ackTimeoutMs ?? WS_ACK_TIMEOUT_MS;
      const timer = setTimeout(() => {
        this.pendingAck?.reject(new Error(`no ack for message ${seq} within ${timeoutMs / 1000} s`));
        ws.terminate(); // a socket that does not ack is dead: reconnect; the points go again
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.pendingAck = null;
      };
      this.pendingAck = {
        seq,
        resolve: (r) => (done(), resolve(r)),
        reject: (e) => (done(), reject(e)),
      };
      ws.send(JSON.stringify({ type: 'points', seq, points }), (err) => err && this.pendingAck?.reject(err));
    });
  }
}

// The units' telemetry endpoint (RawMount): a WebSocket and HTTP batches, authenticated with the unit's stream key.
import { createHash, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { API_PREFIX } from '../../../common/api';
import type { RejectReason, ServerToUnit } from '../../../common/gps';
import type { RawMount } from '../features';
import type { GpsIngest } from './ingest';
import type { GpsContext } from './context';

export const TELEMETRY_PATH = `${API_PREFIX}/gps/telemetry`;
const MAX_BODY_BYTES = 4 * 1024 * 1024;

type Auth = { ok: true; unitId: number } | { ok: false; status: number; reason: RejectReason; unitId: number | null; message: string };

/** Unit id from ?unit= or X-Unit-Id; key from X-Unit-Key, Authorization: Unit <key>, or ?key=. */
export async function authenticateUnit(store: GpsContext['store'], req: http.IncomingMessage, url: URL): Promise<Auth> {
  const idText = url.searchParams.get('unit') ?? (req.headers['x-unit-id'] as string | undefined) ?? '';
  const auth = req.headers.authorization;
  const key = (req.headers['x-unit-key'] as string | undefined) ?? (auth?.startsWith('Unit ') ? auth.slice(5).trim() : null) ?? url.searchParams.get('key');
  if (!/^[1-9]\d{0,9}$/.test(idText))
    return { ok: false, status: 401, reason: 'unknown_unit', unitId: null, message: 'unit id missing or malformed (?unit=ID)' };
  const unitId = Number(idText);
  const unit = await store.units.get(unitId);
  if (!unit) return { ok: false, status: 401, reason: 'unknown_unit', unitId, message: `unit ${unitId} does not exist` };
  if (!key) return { ok: false, status: 401, reason: 'bad_key', unitId, message: 'stream key missing (X-Unit-Key header)' };
  const presented = createHash('sha256').update(key, 'utf8').digest();
  if (!timingSafeEqual(presented, Buffer.from(unit.streamKeyHash, 'hex')))
    return { ok: false, status: 401, reason: 'bad_key', unitId, message: 'wrong stream key' };
  if (!unit.enabled) return { ok: false, status: 403, reason: 'disabled_unit', unitId, message: `unit ${unitId} is disabled` };
  return { ok: true, unitId };
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readText(req: http.IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        resolve(null);
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export interface TelemetryMountDeps {
  store: GpsContext['store'];
  ingest: GpsIngest;
  log: (m: string) => void;
}

export class TelemetryMount {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BODY_BYTES });
  private readonly sockets = new Map<WebSocket, number>();
  private readonly openedMs = new Map<WebSocket, number>();

  constructor(private readonly deps: TelemetryMountDeps) {}

  mount(): RawMount {
    return {
      prefix: TELEMETRY_PATH,
      http: (req, res, url) => this.http(req, res, url),
      upgrade: (req, socket, head, url) => void this.upgrade(req, socket, head, url),
    };
  }

  private refuse(a: Extract<Auth, { ok: false }>, via: string, ip: string | undefined): void {
    if (a.unitId !== null) this.deps.ingest.reject(a.unitId, a.reason);
    this.deps.log(`[gps] telemetry ${via} from ${ip ?? '?'} refused: ${a.reason} (${a.message})`);
  }

  private async http(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    if (url.pathname !== TELEMETRY_PATH) return send(res, 404, { error: { kind: 'not_found', message: 'no such telemetry endpoint' } });
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      return send(res, 405, { error: { kind: 'method_not_allowed', message: 'POST a batch {points: [...]}, or open a WebSocket' } });
    }
    const a = await authenticateUnit(this.deps.store, req, url);
    if (!a.ok) {
      req.resume();
      this.refuse(a, 'batch', req.socket.remoteAddress);
      return send(res, a.status, { error: { kind: a.status === 403 ? 'forbidden' : 'unauthorized', message: a.message, reason: a.reason } });
    }
    const text = await readText(req);
    if (text === null) return send(res, 413, { error: { kind: 'payload_too_large', message: `body larger than ${MAX_BODY_BYTES} bytes` } });
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (e) {
      this.deps.ingest.reject(a.unitId, 'malformed_json');
      return send(res, 400, { error: { kind: 'bad_request', message: `malformed JSON: ${(e as Error).message}`, reason: 'malformed_json' } });
    }
    const points = (body as { points?: unknown } | null)?.points;
    if (typeof body !== 'object' || body === null || Array.isArray(body) || !Array.isArray(points)) {
      this.deps.ingest.reject(a.unitId, 'bad_message');
      return send(res, 400, {
        error: {
          kind: 'validation',
          message: 'body must be {"points": [...]}',
          reason: 'bad_message',
          fields: [{ path: 'points', message: 'must be a list' }],
        },
      });
    }
    const r = await this.deps.ingest.submit(a.unitId, points);
    send(res, 200, r);
  }

  private async upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer, url: URL): Promise<void> {
    socket.on('error', () => socket.destroy());
    const a = await authenticateUnit(this.deps.store, req, url).catch(() => null);
    if (!a || !a.ok) {
      if (a) this.refuse(a, 'WebSocket', req.socket.remoteAddress);
      const status = a ? `${a.status} ${a.status === 403 ? 'Forbidden' : 'Unauthorized'}` : '500 Internal Server Error';
      const msg = a ? `${a.reason}: ${a.message}` : 'error';
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(msg)}\r\n\r\n${msg}`);
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.connected(ws, a.unitId, req.socket.remoteAddress ?? '?'));
  }

  private connected(ws: WebSocket, unitId: number, ip: string): void {
    const { ingest, log } = this.deps;
    this.sockets.set(ws, unitId);
    this.openedMs.set(ws, Date.now());
    ingest.link(unitId, 1);
    log(`[gps] unit ${unitId} telemetry connected from ${ip}`);
    const reply = (m: ServerToUnit) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(m));
    };
    // Messages of one socket are handled one after the other, so acks come back in order.
    let chain: Promise<void> = Promise.resolve();
    ws.on('message', (data, isBinary) => {
      chain = chain.then(async () => {
        let msg: unknown;
        try {
          msg = JSON.parse(isBinary ? '' : data.toString());
        } catch {
          ingest.reject(unitId, 'malformed_json');
          return reply({ type: 'error', reason: 'malformed_json', message: 'message is not JSON' });
        }
        const m = msg as { type?: unknown; seq?: unknown; points?: unknown; active?: unknown; tMs?: unknown };
        if (typeof m === 'object' && m !== null && m.type === 'points' && Number.isInteger(m.seq) && Array.isArray(m.points)) {
          try {
            const r = await ingest.submit(unitId, m.points);
            reply({ type: 'ack', seq: m.seq as number, ...r });
          } catch (err) {
            log(`[gps] unit ${unitId}: batch ${String(m.seq)} not stored: ${(err as Error).message}`);
            // No ack: the agent keeps the points and sends them again.
          }
          return;
        }
        if (typeof m === 'object' && m !== null && m.type === 'sos' && typeof m.active === 'boolean') {
          ingest.sos(unitId, m.active, Number.isInteger(m.tMs) ? (m.tMs as number) : Date.now());
          return;
        }
        ingest.reject(unitId, 'bad_message');
        reply({ type: 'error', reason: 'bad_message', message: 'expected {type:"points", seq, points:[...]} or {type:"sos", active}' });
      });
    });
    ws.on('close', () => {
      this.sockets.delete(ws);
      this.openedMs.delete(ws);
      ingest.link(unitId, -1);
      log(`[gps] unit ${unitId} telemetry disconnected`);
    });
    ws.on('error', () => undefined);
  }

  /** Closes the telemetry sockets of a unit (disabled, deleted, key rotated). */
  disconnect(unitId: number, reason: string): void {
    for (const [ws, id] of this.sockets) if (id === unitId) ws.close(4403, reason);
  }

  /** Closes the unit's sockets opened before `ms` (its key was rotated then). */
  disconnectOlderThan(unitId: number, ms: number, reason: string): void {
    for (const [ws, id] of this.sockets) if (id === unitId && (this.openedMs.get(ws) ?? 0) < ms) ws.close(4403, reason);
  }

  close(): void {
    for (const ws of this.sockets.keys()) ws.terminate();
    this.wss.close();
  }
}

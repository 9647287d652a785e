// The GB/T 28181 SIP endpoint: GbSignalling over the `sip` package's transactions and our UDP/TCP transport; dispatches REGISTER to the registrar, MANSCDP to handlers, dialogs.
import crypto from 'node:crypto';
import sip, { type SipMessage, type SipTransactionLayer } from 'sip';
import type { Log } from '../../../common/log';
import { msg } from '../../../common/messages';
import { ErrorKind } from '../../../common/errors';
import { DomainError } from '../../platform/errors';
import { DialogBook, type InviteHost } from './dialogs';
import { decodeManscdp, encodeManscdp, ManscdpError } from './manscdp';
import { QueryBook } from './queries';
import { Registrar, type RegistrarDeps } from './registrar';
import type { GbDialog, GbPeer, GbRegistrationEvent, GbSignalling, Manscdp, OutRequest } from './signalling';
import { SipTransport, type SipRemote } from './transport';

export interface EndpointOptions {
  serverId: string;
  domain: string;
  bind: string;
  port: number;
  /** Host put in Via/Contact/SDP (the bind address unless it is a wildcard). */
  localHost: string;
  log: Log;
  now: () => number;
  registrar: RegistrarDeps;
  /** Failed registrations per source IP per minute before the address is refused for a minute. */
  maxFailuresPerMinute?: number;
  /** Something that is not SIP/MANSCDP arrived (audited, throttled per source by the caller). */
  onMalformed?: (remote: SipRemote, why: string) => void;
}

type Reply = (status: number, extra?: { contentType?: string; body?: Buffer | string; headers?: Record<string, unknown> }) => void;
type RequestHandler = Parameters<GbSignalling['onRequest']>[0];
type ManscdpHandler = Parameters<GbSignalling['onManscdp']>[1];

const REASONS: Record<number, string> = {
  100: 'Trying',
  200: 'OK',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  481: 'Call/Transaction Does Not Exist',
  488: 'Not Acceptable Here',
  500: 'Server Internal Error',
};
const tag = () => crypto.randomBytes(6).toString('hex');
const userOf = (uri: string): string => /^sips?:([^@;>]+)@/i.exec(uri)?.[1] ?? '';

export class GbEndpoint implements GbSignalling, InviteHost {
  readonly serverId: string;
  readonly domain: string;
  readonly localHost: string;
  readonly registrar: Registrar;
  private readonly transport: SipTransport;
  private readonly tx: SipTransactionLayer;
  private readonly queries: QueryBook;
  private readonly manscdp = new Map<string, Set<ManscdpHandler>>();
  private readonly regListeners = new Set<(ev: GbRegistrationEvent) => void>();
  private readonly requestHandlers: RequestHandler[] = [];
  private readonly dialogs: DialogBook;
  private cseq = 1;
  private sweepTimer: NodeJS.Timeout | null = null;

  constructor(private readonly o: EndpointOptions) {
    this.serverId = o.serverId;
    this.domain = o.domain;
    this.localHost = o.localHost;
    this.transport = new SipTransport({
      bind: o.bind,
      port: o.port,
      log: o.log,
      onMessage: (m, remote) => this.onMessage(m, remote),
      onMalformed: (remote, why, m) => this.onMalformed(remote, why, m),
    });
    this.tx = sip.makeTransactionLayer({}, null);
    this.queries = new QueryBook();
    this.dialogs = new DialogBook(this);
    this.registrar = new Registrar({
      domain: o.domain,
      now: o.now,
      log: o.log,
      deps: o.registrar,
      maxFailuresPerMinute: o.maxFailuresPerMinute ?? 20,
      emit: (ev) => this.emitRegistration(ev),
    });
  }

  /** The port SIP listens on (UDP and TCP). */
  get port(): number {
    return this.transport.port;
  }

  get localPort(): number {
    return this.transport.port;
  }

  async start(): Promise<void> {
    await this.transport.start();
    this.sweepTimer = setInterval(() => this.registrar.sweep(), 1000);
    this.sweepTimer.unref();
    this.o.log.info('SIP listening', { host: this.o.bind, port: this.port, serverId: this.serverId });
  }

  async close(): Promise<void> {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = null;
    this.queries.cancelAll();
    await this.dialogs.closeAll();
    this.tx.destroy();
    await this.transport.close();
  }

  peer(id: string): GbPeer | null {
    return this.registrar.peer(id);
  }

  // ---------- outgoing ----------

  private resolvePeer(to: string | GbPeer): GbPeer {
    const p = typeof to === 'string' ? this.peer(to) : to;
    if (!p) throw new DomainError(ErrorKind.Unavailable, msg('gb.not_registered', { id: String(to) }));
    return p;
  }

  nextCseq(): number {
    return this.cseq++;
  }

  /** Sends outside any transaction (an ACK of a 2xx). */
  sendDirect(p: GbPeer, m: SipMessage): void {
    this.transport.open(this.remoteOf(p)).send(m);
  }

  remoteOf(p: GbPeer): SipRemote {
    return { protocol: p.transport === 'tcp' ? 'TCP' : 'UDP', address: p.host, port: p.port };
  }

  via(p: GbPeer) {
    return [
      { version: '2.0', protocol: p.transport.toUpperCase(), host: this.localHost, port: this.port, params: { rport: null } as Record<string, string | null> },
    ];
  }

  contact() {
    return [{ uri: `sip:${this.serverId}@${this.localHost}:${this.port}`, params: {} }];
  }

  /** Sends a request through a client transaction; resolves with the final response (408 when none came in time). */
  send(p: GbPeer, m: SipMessage, timeoutMs = 10_000): Promise<SipMessage> {
    return new Promise((resolve) => {
      let done = false;
      const finish = (rs: SipMessage) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve(rs);
      };
      const timer = setTimeout(() => finish(sip.makeResponse(m, 408, 'Request Timeout')), timeoutMs);
      timer.unref();
      this.tx.createClientTransaction(this.transport.open(this.remoteOf(p)), m, (rs) => {
        if ((rs.status ?? 0) >= 200) finish(rs);
      });
    });
  }

  request(to: string | GbPeer, req: OutRequest): Promise<SipMessage> {
    const p = this.resolvePeer(to);
    const toId = req.toId ?? p.id;
    const body = req.body === undefined ? '' : typeof req.body === 'string' ? Buffer.from(req.body, 'utf8').toString('latin1') : req.body.toString('latin1');
    const headers: Record<string, unknown> = {
      via: this.via(p),
      to: { uri: `sip:${toId}@${this.domain}`, params: req.dialog?.toTag ? { tag: req.dialog.toTag } : {} },
      from: { uri: `sip:${this.serverId}@${this.domain}`, params: { tag: req.dialog?.fromTag ?? tag() } },
      'call-id': req.dialog?.callId ?? `${tag()}${tag()}@${this.localHost}`,
      cseq: { seq: this.nextCseq(), method: req.method },
      'max-forwards': 70,
      contact: this.contact(),
      'user-agent': 'Argus',
    };
    if (req.contentType) headers['content-type'] = req.contentType;
    for (const [k, v] of Object.entries(req.headers ?? {})) headers[k.toLowerCase()] = String(v);
    const m = { method: req.method, uri: `sip:${toId}@${p.host}:${p.port}`, version: '2.0', headers, content: body } as unknown as SipMessage;
    return this.send(p, m, req.timeoutMs);
  }

  async query(
    deviceId: string,
    root: 'Query' | 'Control',
    cmdType: string,
    fields: Record<string, unknown>,
    opts: { timeoutMs?: number; multi?: boolean; toId?: string } = {},
  ): Promise<Manscdp[]> {
    const p = this.resolvePeer(deviceId);
    const multi = opts.multi ?? (cmdType === 'Catalog' || cmdType === 'RecordInfo');
    const target = opts.toId ?? deviceId;
    const pending = this.queries.open(deviceId, cmdType, multi, opts.timeoutMs ?? 10_000);
    const body = encodeManscdp({ root, cmdType, sn: pending.sn, deviceId: target, fields });
    const rs = await this.request(p, { method: 'MESSAGE', contentType: 'Application/MANSCDP+xml', body, timeoutMs: opts.timeoutMs });
    if ((rs.status ?? 0) >= 300) {
      this.queries.drop(pending.sn);
      const status = rs.status ?? 0;
      throw status === 408
        ? new DomainError(ErrorKind.Unavailable, msg('gb.no_answer', { id: deviceId, cmd: cmdType }))
        : new DomainError(ErrorKind.Unavailable, msg('gb.refused', { id: deviceId, cmd: cmdType, status }));
    }
    const got = await pending.done;
    if (got.length === 0) throw new DomainError(ErrorKind.Unavailable, msg('gb.no_answer', { id: deviceId, cmd: cmdType }));
    return got;
  }

  async notify(to: string | GbPeer, body: Omit<Manscdp, 'sn'> & { sn?: number }): Promise<number> {
    const rs = await this.request(to, {
      method: 'MESSAGE',
      contentType: 'Application/MANSCDP+xml',
      body: encodeManscdp({ ...body, sn: body.sn ?? this.queries.nextSn() }),
    });
    return rs.status ?? 0;
  }

  async invite(deviceId: string, channelId: string, offerSdp: string, subject: string): Promise<GbDialog> {
    return this.dialogs.invite(this.resolvePeer(deviceId), channelId, offerSdp, subject);
  }

  // ---------- handlers ----------

  onManscdp(cmdType: string, handler: ManscdpHandler): () => void {
    const key = cmdType.toLowerCase();
    let set = this.manscdp.get(key);
    if (!set) this.manscdp.set(key, (set = new Set()));
    set.add(handler);
    return () => set.delete(handler);
  }

  onRegistration(fn: (ev: GbRegistrationEvent) => void): () => void {
    this.regListeners.add(fn);
    return () => this.regListeners.delete(fn);
  }

  onRequest(handler: RequestHandler): () => void {
    this.requestHandlers.push(handler);
    return () => {
      const i = this.requestHandlers.indexOf(handler);
      if (i >= 0) this.requestHandlers.splice(i, 1);
    };
  }

  private emitRegistration(ev: GbRegistrationEvent): void {
    for (const fn of this.regListeners) {
      try {
        fn(ev);
      } catch (err) {
        this.o.log.warn('registration listener failed', { error: (err as Error).message });
      }
    }
  }

  // ---------- incoming ----------

  private onMalformed(remote: SipRemote, why: string, m: SipMessage | null): void {
    this.o.onMalformed?.(remote, why);
    // A request whose start line, Via and Call-ID parsed can still be told why (400); anything else is dropped.
    if (m?.method && m.method !== 'ACK' && Array.isArray(m.headers.via) && m.headers.via.length > 0 && m.headers['call-id']) {
      const rs = {
        status: 400,
        reason: 'Bad Request',
        version: '2.0',
        headers: {
          via: m.headers.via,
          'call-id': m.headers['call-id'],
          to: m.headers.to ?? { uri: 'sip:invalid@invalid', params: {} },
          from: m.headers.from ?? { uri: 'sip:invalid@invalid', params: {} },
          cseq: m.headers.cseq?.method ? m.headers.cseq : { seq: 0, method: m.method },
        },
        content: '',
      } as unknown as SipMessage;
      try {
        this.transport.open(remote).send(rs);
      } catch {
        /* unanswerable */
      }
    }
  }

  private onMessage(m: SipMessage, remote: SipRemote): void {
    if (m.status !== undefined) {
      const t = this.tx.getClient(m);
      if (t) t.message(m, remote);
      else if (m.headers.cseq.method === 'INVITE' && m.status >= 200 && m.status < 300) {
        this.dialogs.ackAgain(m); // a retransmitted 200 OK after the transaction ended
      }
      return;
    }
    const via = m.headers.via[0];
    via.params.received = remote.address;
    if ('rport' in via.params) via.params.rport = String(remote.port);
    const existing = this.tx.getServer(m);
    if (existing) return existing.message(m, remote);
    if (m.method === 'ACK') return; // ACK of our 2xx: nothing to do
    const t = this.tx.createServerTransaction(m, this.transport.open(remote));
    const toTag = tag();
    const reply: Reply = (status, extra = {}) => {
      const headers: Record<string, unknown> = {
        to: { ...m.headers.to, params: { ...m.headers.to.params, tag: m.headers.to.params.tag ?? toTag } },
        'user-agent': 'Argus',
        ...(extra.headers ?? {}),
      };
      if (extra.contentType) headers['content-type'] = extra.contentType;
      const content =
        extra.body === undefined ? '' : typeof extra.body === 'string' ? Buffer.from(extra.body, 'utf8').toString('latin1') : extra.body.toString('latin1');
      t.send?.(sip.makeResponse(m, status, REASONS[status] ?? 'Unknown', { headers: headers as SipMessage['headers'], content }));
    };
    this.dispatch(m, remote, reply).catch((err: unknown) => {
      this.o.log.warn('SIP request failed', { method: m.method, error: (err as Error).message });
      reply(500);
    });
  }

  private peerOfRequest(m: SipMessage, remote: SipRemote): GbPeer {
    return { id: userOf(m.headers.from.uri), transport: remote.protocol === 'TCP' ? 'tcp' : 'udp', host: remote.address, port: remote.port };
  }

  private async dispatch(m: SipMessage, remote: SipRemote, reply: Reply): Promise<void> {
    const from = this.peerOfRequest(m, remote);
    switch (m.method) {
      case 'REGISTER': {
        const r = await this.registrar.register(m, remote);
        return reply(r.status, { headers: r.headers });
      }
      case 'MESSAGE':
      case 'NOTIFY':
        // MANSCDP from a registered device (some devices omit or misspell the Content-Type: an XML body counts too).
        if (this.registrar.peer(from.id) && (/manscdp/i.test(String(m.headers['content-type'] ?? '')) || /^\s*(\uFEFF|\xEF\xBB\xBF)?</.test(m.content)))
          return this.onDeviceManscdp(m, from, remote, reply);
        break;
      case 'BYE': {
        const d = this.dialogs.get(m.headers['call-id']);
        if (d) {
          reply(200);
          return d.endedByPeer('bye');
        }
        break;
      }
      case 'OPTIONS':
        return reply(200);
      default:
        break;
    }
    for (const h of [...this.requestHandlers]) if (h(m, from, reply)) return;
    return reply(m.method === 'BYE' ? 481 : 403);
  }

  private async onDeviceManscdp(m: SipMessage, from: GbPeer, remote: SipRemote, reply: Reply): Promise<void> {
    let body: Manscdp;
    try {
      body = decodeManscdp(m.content);
    } catch (err) {
      if (!(err instanceof ManscdpError)) throw err;
      this.o.onMalformed?.(remote, `MANSCDP: ${err.message}`);
      return reply(400);
    }
    if (body.root === 'Response' && this.queries.deliver(from.id, body)) return reply(200);
    if (body.cmdType.toLowerCase() === 'keepalive') {
      this.registrar.keepalive(from.id, remote);
      return reply(200);
    }
    if (body.cmdType.toLowerCase() === 'mediastatus' && String(body.fields.NotifyType ?? '') === '121') {
      this.dialogs.mediaEnded(from.id, body.deviceId);
    }
    const handlers = [...(this.manscdp.get(body.cmdType.toLowerCase()) ?? [])];
    try {
      for (const h of handlers) await h(from, body);
    } catch (err) {
      this.o.log.warn('MANSCDP handler failed', { cmdType: body.cmdType, deviceId: from.id, error: (err as Error).message });
      return reply(400);
    }
    return reply(200);
  }
}

// Cascade to a superior platform (级联): Argus REGISTERs to the upper platform as a lower platform (digest), refreshes before expiry, keeps alive, re-registers with backoff after the upper restarts, and answers its Catalog/DeviceInfo/DeviceStatus queries with the shared channels.
import crypto from 'node:crypto';
import type { SipMessage } from 'sip';
import type { Log } from '../../../common/log';
import { digestResponse } from './digest';
import type { GbEndpoint } from './endpoint';
import { decodeManscdp, encodeManscdp, ManscdpError } from './manscdp';
import type { GbPeer, Manscdp } from './signalling';

/** The configured upper platform (password already decrypted). */
export interface UpperPlatform {
  id: string;
  domain: string;
  host: string;
  port: number;
  transport: 'udp' | 'tcp';
  password: string;
  registerExpiresS: number;
  keepaliveS: number;
}

/** A channel an admin chose to share with the upper platform. */
export interface SharedChannel {
  /** The 20-digit GB ID the upper platform sees. */
  gbId: string;
  name: string;
  online: boolean;
  civilCode?: string;
}

export type CascadeState =
  | { state: 'idle' }
  | { state: 'registering'; sinceMs: number }
  | { state: 'registered'; sinceMs: number; expiresMs: number }
  | { state: 'failed'; sinceMs: number; reason: string; retryInMs: number };

export interface CascadeOptions {
  endpoint: GbEndpoint;
  upper: UpperPlatform;
  sharedChannels: () => Promise<SharedChannel[]>;
  log: Log;
  now: () => number;
  /** Catalog items per Response MESSAGE (the upper gets several when there are more). */
  itemsPerMessage?: number;
  /** Backoff after a failed registration: first delay, doubled up to the maximum. */
  retryMs?: { firstMs: number; maxMs: number };
  onState?: (s: CascadeState) => void;
}

/** Keepalives unanswered or refused in a row before the registration is considered lost. */
export const CASCADE_MISSED_KEEPALIVES = 3;
/** GB/T 28181 time: local time without zone, 2026-12-07T08:00:00. */
const gbLocalTime = (ms: number): string => {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 19);
};
const tag = () => crypto.randomBytes(6).toString('hex');
const unquote = (v: unknown): string => String(v ?? '').replace(/^"(.*)"$/, '$1');

export class GbCascade {
  private st: CascadeState = { state: 'idle' };
  private timer: NodeJS.Timeout | null = null;
  private keepTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private missed = 0;
  private failures = 0;
  private readonly callId = `${tag()}${tag()}`;
  private readonly fromTag = tag();
  private sn = 1;
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly o: CascadeOptions) {}

  get state(): CascadeState {
    return this.st;
  }

  private get peer(): GbPeer {
    const u = this.o.upper;
    return { id: u.id, transport: u.transport, host: u.host, port: u.port };
  }

  start(): void {
    this.closed = false;
    this.unsubscribe = this.o.endpoint.onRequest((req, from, reply) => this.onUpperRequest(req, from, reply));
    void this.register();
  }

  /** Unregisters (Expires: 0, best effort) and stops every timer. */
  async close(): Promise<void> {
    const wasRegistered = this.st.state === 'registered';
    this.closed = true;
    this.clearTimers();
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (wasRegistered) await this.sendRegister(0, 2000).catch(() => undefined);
    this.setState({ state: 'idle' });
  }

  private clearTimers(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.keepTimer) clearInterval(this.keepTimer);
    this.timer = this.keepTimer = null;
  }

  private setState(s: CascadeState): void {
    this.st = s;
    this.o.onState?.(s);
  }

  private schedule(fn: () => void, ms: number): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(fn, ms);
    this.timer.unref();
  }

  private registerMessage(expiresS: number, auth?: Record<string, string>): SipMessage {
    const ep = this.o.endpoint;
    const u = this.o.upper;
    const me = `sip:${ep.serverId}@${ep.domain}`;
    const headers: Record<string, unknown> = {
      via: ep.via(this.peer),
      to: { uri: me, params: {} },
      from: { uri: me, params: { tag: this.fromTag } },
      'call-id': this.callId,
      cseq: { seq: ep.nextCseq(), method: 'REGISTER' },
      'max-forwards': 70,
      contact: ep.contact(),
      expires: expiresS,
      'user-agent': 'Argus',
    };
    if (auth) headers.authorization = [auth];
    return { method: 'REGISTER', uri: `sip:${u.id}@${u.domain}`, version: '2.0', headers, content: '' } as unknown as SipMessage;
  }

  /** One REGISTER, answering a 401/407 challenge once; resolves with the final response. */
  private async sendRegister(expiresS: number, timeoutMs = 10_000): Promise<SipMessage> {
    const ep = this.o.endpoint;
    let rs = await ep.send(this.peer, this.registerMessage(expiresS), timeoutMs);
    if (rs.status === 401 || rs.status === 407) {
      const list = (rs.headers as Record<string, unknown>)[rs.status === 401 ? 'www-authenticate' : 'proxy-authenticate'];
      const c = (Array.isArray(list) ? list[0] : undefined) as Record<string, string> | undefined;
      if (!c) return rs;
      const realm = unquote(c.realm);
      const nonce = unquote(c.nonce);
      const qop = unquote(c.qop)
        .split(',')
        .map((q) => q.trim())
        .includes('auth')
        ? 'auth'
        : undefined;
      const uri = `sip:${this.o.upper.id}@${this.o.upper.domain}`;
      const cnonce = tag();
      const nc = '00000001';
      const username = ep.serverId;
      const response = digestResponse({ username, realm, password: this.o.upper.password, method: 'REGISTER', uri, nonce, qop, nc, cnonce });
      const auth: Record<string, string> = {
        scheme: 'Digest',
        username: `"${username}"`,
        realm: `"${realm}"`,
        nonce: `"${nonce}"`,
        uri: `"${uri}"`,
        response: `"${response}"`,
        algorithm: 'MD5',
      };
      if (qop) Object.assign(auth, { qop, nc, cnonce: `"${cnonce}"` });
      if (c.opaque) auth.opaque = c.opaque;
      rs = await ep.send(this.peer, this.registerMessage(expiresS, auth), timeoutMs);
    }
    return rs;
  }

  private async register(): Promise<void> {
    if (this.closed) return;
    if (this.st.state !== 'registered') this.setState({ state: 'registering', sinceMs: this.o.now() });
    let rs: SipMessage;
    try {
      rs = await this.sendRegister(this.o.upper.registerExpiresS, 5000);
    } catch (err) {
      return this.failed(`error: ${(err as Error).message}`);
    }
    if (this.closed) return;
    const status = rs.status ?? 0;
    if (status < 200 || status >= 300) return this.failed(status === 408 ? 'no answer' : `refused ${status}`);
    const granted = Number((rs.headers as Record<string, unknown>).expires ?? this.o.upper.registerExpiresS) || this.o.upper.registerExpiresS;
    const now = this.o.now();
    const first = this.st.state !== 'registered';
    this.failures = 0;
    this.missed = 0;
    this.setState({ state: 'registered', sinceMs: first ? now : (this.st as { sinceMs: number }).sinceMs, expiresMs: now + granted * 1000 });
    if (first) this.o.log.info('registered to upper platform', { upper: this.o.upper.id, expiresS: granted });
    // Refresh at two thirds of the granted time (never later than 30 s before it ends).
    this.schedule(() => void this.register(), Math.max(1000, Math.min((granted * 2000) / 3, granted * 1000 - 30_000)));
    if (first) this.startKeepalive();
  }

  private failed(reason: string): void {
    if (this.closed) return;
    if (this.keepTimer) clearInterval(this.keepTimer);
    this.keepTimer = null;
    const { firstMs, maxMs } = this.o.retryMs ?? { firstMs: 2000, maxMs: 60_000 };
    const retryInMs = Math.min(maxMs, firstMs * 2 ** Math.min(this.failures, 10));
    this.failures++;
    this.o.log.warn('upper platform registration failed', { upper: this.o.upper.id, reason, retryInMs });
    this.setState({ state: 'failed', sinceMs: this.o.now(), reason, retryInMs });
    this.schedule(() => void this.register(), retryInMs);
  }

  private startKeepalive(): void {
    if (this.keepTimer) clearInterval(this.keepTimer);
    this.keepTimer = setInterval(() => void this.keepalive(), this.o.upper.keepaliveS * 1000);
    this.keepTimer.unref();
  }

  private async keepalive(): Promise<void> {
    if (this.st.state !== 'registered') return;
    const body = encodeManscdp({ root: 'Notify', cmdType: 'Keepalive', sn: this.sn++, deviceId: this.o.endpoint.serverId, fields: { Status: 'OK' } });
    // Unanswered within one interval (at least 2 s) counts as missed.
    const timeoutMs = Math.max(2000, this.o.upper.keepaliveS * 1000);
    const status = await this.o.endpoint
      .request(this.peer, { method: 'MESSAGE', contentType: 'Application/MANSCDP+xml', body, timeoutMs })
      .then((rs) => rs.status ?? 0)
      .catch(() => 0);
    if (this.st.state !== 'registered') return;
    if (status >= 200 && status < 300) {
      this.missed = 0;
      return;
    }
    // A 4xx means the upper no longer knows us (it restarted): register again at once; silence counts up to 3.
    this.missed = status >= 400 && status < 500 && status !== 408 ? CASCADE_MISSED_KEEPALIVES : this.missed + 1;
    if (this.missed >= CASCADE_MISSED_KEEPALIVES) {
      this.missed = 0;
      this.failed(status === 408 || status === 0 ? 'keepalive unanswered' : `keepalive refused ${status}`);
    }
  }

  /** Forwards an alarm of a shared channel (Notify/Alarm); resolves with the SIP status (0 when not registered or unanswered). */
  async forwardAlarm(
    channelGbId: string,
    a: { priority: 1 | 2 | 3 | 4; method: number; timeMs: number; description: string; lat: number | null; lon: number | null },
  ): Promise<number> {
    if (this.st.state !== 'registered') return 0;
    const fields: Record<string, unknown> = {
      AlarmPriority: a.priority,
      AlarmMethod: a.method,
      AlarmTime: gbLocalTime(a.timeMs),
      AlarmDescription: a.description,
    };
    if (a.lat !== null && a.lon !== null) Object.assign(fields, { Longitude: a.lon, Latitude: a.lat });
    return this.o.endpoint.notify(this.peer, { root: 'Notify', cmdType: 'Alarm', sn: this.sn++, deviceId: channelGbId, fields }).catch(() => 0);
  }

  // ---------- the upper platform's requests ----------

  private onUpperRequest(req: SipMessage, from: GbPeer, reply: (status: number) => void): boolean {
    if (from.id !== this.o.upper.id || req.method !== 'MESSAGE') return false;
    let q: Manscdp;
    try {
      q = decodeManscdp(req.content);
    } catch (err) {
      if (!(err instanceof ManscdpError)) throw err;
      reply(400);
      return true;
    }
    if (q.root !== 'Query') {
      reply(200);
      return true;
    }
    reply(200);
    this.answer(q).catch((err: unknown) => this.o.log.warn('answer to upper platform failed', { cmdType: q.cmdType, error: (err as Error).message }));
    return true;
  }

  private async answer(q: Manscdp): Promise<void> {
    const ep = this.o.endpoint;
    const base = { root: 'Response' as const, cmdType: q.cmdType, sn: q.sn, deviceId: ep.serverId };
    switch (q.cmdType.toLowerCase()) {
      case 'catalog': {
        const channels = await this.o.sharedChannels();
        const per = this.o.itemsPerMessage ?? 10;
        if (channels.length === 0) {
          await ep.notify(this.peer, { ...base, cmdType: 'Catalog', fields: { SumNum: 0, DeviceList: { '@_Num': 0 } } });
          return;
        }
        for (let i = 0; i < channels.length; i += per) {
          const part = channels.slice(i, i + per);
          await ep.notify(this.peer, {
            ...base,
            cmdType: 'Catalog',
            fields: { SumNum: channels.length, DeviceList: { '@_Num': part.length, Item: part.map((c) => this.item(c)) } },
          });
        }
        return;
      }
      case 'deviceinfo':
        await ep.notify(this.peer, {
          ...base,
          cmdType: 'DeviceInfo',
          fields: {
            DeviceName: 'Argus',
            Result: 'OK',
            Manufacturer: 'Argus',
            Model: 'Argus platform',
            Firmware: '1',
            Channel: (await this.o.sharedChannels()).length,
          },
        });
        return;
      case 'devicestatus':
        await ep.notify(this.peer, {
          ...base,
          cmdType: 'DeviceStatus',
          fields: { Result: 'OK', Online: 'ONLINE', Status: 'OK', DeviceTime: gbLocalTime(this.o.now()) },
        });
        return;
      default:
        return;
    }
  }

  private item(c: SharedChannel): Record<string, unknown> {
    const ep = this.o.endpoint;
    return {
      DeviceID: c.gbId,
      Name: c.name,
      Manufacturer: 'Argus',
      Model: 'Camera',
      Owner: 'Argus',
      CivilCode: c.civilCode ?? ep.domain.slice(0, 6),
      Address: '',
      Parental: 0,
      ParentID: ep.serverId,
      SafetyWay: 0,
      RegisterWay: 1,
      Secrecy: 0,
      Status: c.online ? 'ON' : 'OFF',
    };
  }
}

// GB/T 28181 device simulator: one device — REGISTER with digest, keepalive, dispatch of the platform's requests, MANSCDP MESSAGEs it sends.
import { digestAuthorization } from './digest';
import { answerManscdp, type Channel, makeChannels } from './device-queries';
import { MediaSessions } from './device-media';
import { Subscriptions } from './device-subs';
import type { LoadedClip } from './clip-source';
import { buildXml, readXml, type XmlObject, type XmlStyle } from './manscdp';
import { PtzHead } from './ptz';
import { formatMsg, header, newBranch, newCallId, newTag, param, parseUri, responseTo, uriOf, type SipMsg } from './sip-text';
import { SipTransport, type Origin } from './sip-transport';

/** Field-device habits the simulator can show (all optional). */
export type Quirk =
  | 'compact-headers' // v:, f:, t:, i:, l:, c: header names
  | 'no-rport' // Via without ;rport
  | 'utf8' // UTF-8 XML instead of GB2312
  | 'lower-tags' // <cmdtype> instead of <CmdType>
  | 'lower-content-type' // application/manscdp+xml
  | 'ptz-response' // answer PTZCmd with a Response (2016 devices do not)
  | 'notify-as-message'; // subscription notifications as MESSAGE instead of in-dialog NOTIFY

export interface DeviceConfig {
  serverHost: string;
  serverPort: number;
  serverId: string;
  domain: string;
  deviceId: string;
  password: string;
  transport: 'udp' | 'tcp';
  localHost: string;
  channels: number;
  alarmInputs: number;
  /** Add a business group (215) and a virtual organisation (216) above the channels in the catalog. */
  org: boolean;
  clip: LoadedClip;
  clipH265?: LoadedClip;
  keepaliveS: number;
  expiresS: number;
  rebootS: number;
  catalogPerMessage: number;
  recordsPerMessage: number;
  quirks: Set<Quirk>;
  latitude: number;
  longitude: number;
  /** Device events (JSON lines on stdout in the CLI). */
  emit: (ev: Record<string, unknown>) => void;
}

export class GbDevice {
  readonly transport: SipTransport;
  readonly channels: Channel[];
  readonly ptz = new Map<string, PtzHead>();
  readonly media: MediaSessions;
  readonly subs: Subscriptions;
  readonly style: XmlStyle;
  registered = false;
  recording = new Map<string, boolean>();
  position: { latitude: number; longitude: number; speed: number; direction: number; altitude: number };
  private sn = 1;
  private regCallId: string;
  private regFromTag = newTag();
  private cseq = 1;
  private nc = 1;
  private regTimer: NodeJS.Timeout | undefined;
  private kaTimer: NodeJS.Timeout | undefined;
  private kaMissed = 0;
  private stopped = false;

  constructor(readonly cfg: DeviceConfig) {
    this.transport = new SipTransport({ transport: cfg.transport, localHost: cfg.localHost, serverHost: cfg.serverHost, serverPort: cfg.serverPort });
    this.regCallId = newCallId(cfg.localHost);
    this.channels = makeChannels(cfg);
    for (const ch of this.channels) if (ch.kind === 'camera') this.ptz.set(ch.id, new PtzHead());
    this.style = { charset: cfg.quirks.has('utf8') ? 'utf-8' : 'gb2312', lowerTags: cfg.quirks.has('lower-tags') };
    this.media = new MediaSessions(this);
    this.subs = new Subscriptions(this);
    this.position = { latitude: cfg.latitude, longitude: cfg.longitude, speed: 0, direction: 0, altitude: 10 };
  }

  emit(ev: Record<string, unknown>): void {
    this.cfg.emit({ deviceId: this.cfg.deviceId, ...ev });
  }

  get compact(): boolean {
    return this.cfg.quirks.has('compact-headers');
  }

  get contact(): string {
    return `<sip:${this.cfg.deviceId}@${this.cfg.localHost}:${this.transport.localPort}>`;
  }

  get manscdpType(): string {
    return this.cfg.quirks.has('lower-content-type') ? 'application/manscdp+xml' : 'Application/MANSCDP+xml';
  }

  nextSn(): number {
    return this.sn++;
  }

  nextCseq(): number {
    return this.cseq++;
  }

  via(branch: string): string {
    return `SIP/2.0/${this.transport.proto} ${this.cfg.localHost}:${this.transport.localPort}${this.cfg.quirks.has('no-rport') ? '' : ';rport'};branch=${branch}`;
  }

  get serverUri(): string {
    return `sip:${this.cfg.serverId}@${this.cfg.domain}`;
  }

  /** Opens the SIP socket (UDP) or listener (TCP) and starts answering requests. */
  async bind(): Promise<void> {
    await this.transport.start();
    this.transport.onRequest((msg, origin) => this.onRequest(msg, origin));
  }

  async start(): Promise<void> {
    await this.bind();
    await this.register();
  }

  /** Builds an out-of-dialog or in-dialog request; returns the bytes and its branch. */
  buildRequest(
    method: string,
    uri: string,
    h: { from: string; to: string; callId: string; cseq: number; extra?: Array<[string, string | number]>; contentType?: string; body?: Buffer },
  ): { buf: Buffer; branch: string } {
    const branch = newBranch();
    const headers: Array<[string, string | number]> = [
      ['Via', this.via(branch)],
      ['From', h.from],
      ['To', h.to],
      ['Call-ID', h.callId],
      ['CSeq', `${h.cseq} ${method}`],
      ['Contact', this.contact],
      ['Max-Forwards', 70],
      ['User-Agent', 'GBSim IPC 1.0'],
      ...(h.extra ?? []),
    ];
    if (h.body) headers.push(['Content-Type', h.contentType ?? this.manscdpType]);
    return { buf: formatMsg(`${method} ${uri} SIP/2.0`, headers, h.body, { compact: this.compact }), branch };
  }

  /** REGISTER (expires 0 = unregister); answers a 401/407 challenge once. Resolves true when the server accepted. */
  async register(expiresS = this.cfg.expiresS): Promise<boolean> {
    clearTimeout(this.regTimer);
    const uri = `sip:${this.cfg.serverId}@${this.cfg.domain}`;
    const aor = `<sip:${this.cfg.deviceId}@${this.cfg.domain}>`;
    let auth: [string, string] | undefined;
    for (let attempt = 0; attempt < 2; attempt++) {
      const { buf, branch } = this.buildRequest('REGISTER', uri, {
        from: `${aor};tag=${this.regFromTag}`,
        to: aor,
        callId: this.regCallId,
        cseq: this.nextCseq(),
        extra: [['Expires', expiresS], ...(auth ? [auth] : [])],
      });
      let res: SipMsg;
      try {
        res = await this.transport.request(buf, branch, 'REGISTER');
      } catch (err) {
        this.emit({ ev: 'register-failed', reason: (err as Error).message });
        if (expiresS > 0) this.scheduleRegister(10);
        return false;
      }
      if ((res.status === 401 || res.status === 407) && attempt === 0) {
        const challenge = header(res, res.status === 401 ? 'www-authenticate' : 'proxy-authenticate') ?? '';
        const value = digestAuthorization(challenge, { username: this.cfg.deviceId, password: this.cfg.password, method: 'REGISTER', uri, nc: this.nc++ });
        auth = [res.status === 401 ? 'Authorization' : 'Proxy-Authorization', value];
        continue;
      }
      if (res.status >= 200 && res.status < 300) {
        if (expiresS === 0) {
          this.registered = false;
          this.stopKeepalive();
          this.emit({ ev: 'unregistered' });
          return true;
        }
        const granted = Number(header(res, 'expires') ?? param(header(res, 'contact'), 'expires') ?? expiresS) || expiresS;
        const first = !this.registered;
        this.registered = true;
        this.emit({ ev: 'registered', expires: granted, sipPort: this.transport.localPort, first });
        // Re-register at 80 % of the granted time or 30 s before expiry, whichever is first, but not before half of it.
        this.scheduleRegister(Math.max(granted * 0.5, Math.min(granted * 0.8, granted - 30)));
        this.startKeepalive();
        return true;
      }
      this.emit({ ev: 'register-failed', status: res.status, reason: res.reason });
      if (expiresS > 0) this.scheduleRegister(30);
      return false;
    }
    return false;
  }

  private scheduleRegister(afterS: number): void {
    clearTimeout(this.regTimer);
    if (this.stopped) return;
    this.regTimer = setTimeout(() => void this.register(), afterS * 1000);
  }

  private startKeepalive(): void {
    this.stopKeepalive();
    this.kaMissed = 0;
    this.kaTimer = setInterval(() => void this.keepalive(), this.cfg.keepaliveS * 1000);
  }

  private stopKeepalive(): void {
    clearInterval(this.kaTimer);
    this.kaTimer = undefined;
  }

  async keepalive(): Promise<void> {
    const status = await this.sendManscdp('Notify', { CmdType: 'Keepalive', SN: this.nextSn(), DeviceID: this.cfg.deviceId, Status: 'OK' });
    if (status >= 200 && status < 300) {
      this.kaMissed = 0;
      this.emit({ ev: 'keepalive', status });
      return;
    }
    this.emit({ ev: 'keepalive-failed', status });
    // A platform that forgot the device (restart) answers 4xx; three silent ones in a row mean the link is gone.
    if ((status >= 400 && status < 500) || ++this.kaMissed >= 3) {
      this.stopKeepalive();
      this.registered = false;
      this.regCallId = newCallId(this.cfg.localHost);
      this.transport.resetConnection();
      void this.register();
    }
  }

  /** Sends a MANSCDP MESSAGE to the server; resolves with the SIP status (0 when unanswered). */
  async sendManscdp(root: string, body: XmlObject, timeoutMs = 8_000): Promise<number> {
    const { buf, branch } = this.buildRequest('MESSAGE', this.serverUri, {
      from: `<sip:${this.cfg.deviceId}@${this.cfg.domain}>;tag=${newTag()}`,
      to: `<sip:${this.cfg.serverId}@${this.cfg.domain}>`,
      callId: newCallId(this.cfg.localHost),
      cseq: this.nextCseq(),
      body: buildXml(root, body, this.style),
    });
    try {
      const res = await this.transport.request(buf, branch, 'MESSAGE', { timeoutMs });
      return res.status;
    } catch {
      return 0;
    }
  }

  private onRequest(msg: SipMsg, origin: Origin): void {
    const reply = (status: number, reason: string, extra: Array<[string, string | number]> = [], body?: Buffer) =>
      this.transport.answer(msg, origin, responseTo(msg, status, reason, newTag(), extra, body, { compact: this.compact }));
    switch (msg.method) {
      case 'MESSAGE': {
        const doc = msg.body.length > 0 ? readXml(msg.body) : null;
        const cmdType = doc?.get('CmdType');
        if (!doc || !cmdType) {
          reply(400, 'Bad Request');
          return;
        }
        reply(200, 'OK');
        void answerManscdp(this, doc, cmdType).catch((err: Error) => this.emit({ ev: 'error', message: err.message }));
        return;
      }
      case 'INVITE':
      case 'ACK':
      case 'BYE':
      case 'INFO':
      case 'CANCEL':
        this.media.onRequest(msg, origin, reply);
        return;
      case 'SUBSCRIBE':
        this.subs.onSubscribe(msg, origin, reply);
        return;
      case 'OPTIONS':
        reply(200, 'OK', [['Allow', 'INVITE, ACK, BYE, CANCEL, MESSAGE, INFO, SUBSCRIBE, NOTIFY, OPTIONS']]);
        return;
      default:
        reply(405, 'Method Not Allowed');
    }
  }

  /** TeleBoot: drops everything like a rebooting device, then registers afresh after `rebootS`. */
  reboot(): void {
    this.emit({ ev: 'teleboot' });
    this.media.stopAll();
    this.subs.stopAll();
    this.stopKeepalive();
    clearTimeout(this.regTimer);
    this.registered = false;
    this.transport.silent = true;
    this.transport.resetConnection();
    setTimeout(() => {
      if (this.stopped) return;
      this.transport.silent = false;
      this.regCallId = newCallId(this.cfg.localHost);
      this.regFromTag = newTag();
      void this.register();
    }, this.cfg.rebootS * 1000);
  }

  /** A pulled cable: stops sending and hearing anything (media included) until `reconnect()`. */
  drop(): void {
    this.transport.silent = true;
    this.media.stopAll();
    this.stopKeepalive();
    clearTimeout(this.regTimer);
    this.registered = false;
    this.emit({ ev: 'dropped' });
  }

  reconnect(): void {
    this.transport.silent = false;
    this.transport.resetConnection();
    this.regCallId = newCallId(this.cfg.localHost);
    void this.register();
  }

  state(): Record<string, unknown> {
    return {
      registered: this.registered,
      sipPort: this.transport.localPort,
      ptz: Object.fromEntries([...this.ptz].map(([id, h]) => [id, { position: h.position(), lastCommand: h.lastCommand, presets: [...h.presets.keys()] }])),
      recording: Object.fromEntries(this.recording),
      sessions: this.media.list(),
      subscriptions: this.subs.list(),
      position: this.position,
    };
  }

  channelUri(uri: string): string {
    return parseUri(uriOf(uri)).user;
  }

  async stop(unregister: boolean): Promise<void> {
    if (unregister && this.registered) await this.register(0).catch(() => false);
    this.stopped = true;
    this.media.stopAll();
    this.subs.stopAll();
    this.stopKeepalive();
    clearTimeout(this.regTimer);
    this.transport.close();
  }
}

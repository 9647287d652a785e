// Stateful ONVIF device simulator for tests: SOAP over HTTP, WS-UsernameToken digest auth, WS-Discovery, media profiles, PTZ, PullPoint events.
import crypto from 'node:crypto';
import dgram from 'node:dgram';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface SimSource {
  /** Video source token, e.g. 'vs1'. */
  token: string;
  /** Main stream RTSP URL (e.g. the test RTSP server). */
  mainUri: string;
  /** Sub stream RTSP URL; omitted: the source has one profile. */
  subUri?: string;
  /** Whether the main profile has a PTZ configuration (default true for the first source only). */
  ptz?: boolean;
  width?: number;
  height?: number;
  fps?: number;
}

export type SimMode = 'ok' | 'malformed' | 'hang';

export interface SimOptions {
  username: string;
  password: string;
  sources: SimSource[];
  manufacturer?: string;
  model?: string;
  firmware?: string;
  serial?: string;
  /** HTTP port (0 = pick one). */
  port?: number;
  /**
   * WS-Discovery UDP port on 127.0.0.1 (0 = pick one, for directed probes); null = no discovery. With
   * `multicast: true` the socket is bound to 3702 on all addresses and joins 239.255.255.250.
   */
  discoveryPort?: number | null;
  multicast?: boolean;
  /** Device clock minus real clock, ms. */
  clockOffsetMs?: number;
  /** Whether the device has an event service (default true). */
  events?: boolean;
  /** Lifetime the device grants a PullPoint subscription (and each renewal), ms (default 60 s). */
  subscriptionTtlMs?: number;
  /** Longest a PullMessages waits for a message before answering empty, ms (default 2 s). */
  pullHoldMs?: number;
  /** Pan/tilt/zoom units per second at velocity 1 (default 0.5). */
  unitsPerSecond?: number;
  /** Media service the device offers: 'media1' (ver10, profile S; default) or 'media2' (ver20 only, profile T). */
  media?: 'media1' | 'media2';
  /**
   * A device that ends every pending PullMessages early, whatever Timeout was asked (many do, after ~5 s): after
   * `afterMs` it answers an empty PullMessagesResponse ('empty') or resets the connection ('reset'). Changeable at run time.
   */
  pullEarly?: PullEarly | null;
  /** How a request on an unknown subscription is answered: a SOAP ResourceUnknown fault (HTTP 400, default) or a bare HTTP 404. */
  goneAs?: 'fault' | '404';
  /** Property states the device has from the start (announced as 'Initialized' to every new subscription). */
  properties?: SimEvent[];
}

export interface PullEarly {
  afterMs: number;
  how: 'empty' | 'reset';
}

export interface SimCall {
  action: string;
  tMs: number;
  /** Selected request fields (ProfileToken, PresetToken, velocity ...). */
  args: Record<string, string>;
}

interface Vec {
  x: number;
  y: number;
  zoom: number;
}

interface Subscription {
  id: number;
  terminationMs: number;
  queue: string[];
  waiters: Array<() => void>;
}

export interface SimEvent {
  /** e.g. 'tns1:VideoSource/MotionAlarm', 'tns1:Device/Trigger/DigitalInput', 'tns1:VideoSource/GlobalSceneChange/ImagingService'. */
  topic: string;
  source?: Record<string, string>;
  data: Record<string, string>;
  operation?: 'Initialized' | 'Changed' | 'Deleted';
  utcMs?: number;
}

const NS =
  'xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:tt="http://www.onvif.org/ver10/schema" ' +
  'xmlns:tds="http://www.onvif.org/ver10/device/wsdl" xmlns:trt="http://www.onvif.org/ver10/media/wsdl" ' +
  'xmlns:tptz="http://www.onvif.org/ver20/ptz/wsdl" xmlns:tev="http://www.onvif.org/ver10/events/wsdl" ' +
  'xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2" xmlns:wsa="http://www.w3.org/2005/08/addressing" ' +
  'xmlns:tns1="http://www.onvif.org/ver10/topics" xmlns:ter="http://www.onvif.org/ver10/error" ' +
  'xmlns:tr2="http://www.onvif.org/ver20/media/wsdl"';

const esc = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

function envelope(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><s:Envelope ${NS}><s:Body>${body}</s:Body></s:Envelope>`;
}

function fault(code: string, reason: string): string {
  return envelope(
    `<s:Fault><s:Code><s:Value>s:Sender</s:Value><s:Subcode><s:Value>${code}</s:Value></s:Subcode></s:Code>` +
      `<s:Reason><s:Text xml:lang="en">${esc(reason)}</s:Text></s:Reason></s:Fault>`,
  );
}

/** Text of the first element with this local name. */
function tag(xml: string, name: string): string | null {
  const m = new RegExp(`<(?:[\\w-]+:)?${name}(?:\\s[^>]*)?>([^<]*)</(?:[\\w-]+:)?${name}>`).exec(xml);
  return m ? m[1] : null;
}

/** An attribute of the first element with this local name. */
function attr(xml: string, name: string, attribute: string): string | null {
  const m = new RegExp(`<(?:[\\w-]+:)?${name}\\s[^>]*\\b${attribute}="([^"]*)"`).exec(xml);
  return m ? m[1] : null;
}

function isoDuration(ms: number): string {
  return `PT${Math.max(0, ms / 1000)}S`;
}

function parseDurationMs(v: string | null): number | null {
  if (!v) return null;
  const m = /^PT(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?$/.exec(v.trim());
  if (!m) return null;
  return (Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0)) * 1000;
}

export class OnvifSimulator {
  mode: SimMode = 'ok';
  readonly calls: SimCall[] = [];
  /** Failed authentications (wrong user or digest). */
  authFailures = 0;
  renewals = 0;
  subscriptionsCreated = 0;
  /** PullMessages answered (or cut) early by `pullEarly`. */
  earlyEnds = 0;
  /** Requests on a subscription the device did not know (gone, expired). */
  unknownSubscriptionHits = 0;
  port = 0;
  discoveryPort = 0;
  readonly urn = `urn:uuid:${crypto.randomUUID()}`;

  private server: http.Server | null = null;
  private udp: dgram.Socket | null = null;
  private readonly sockets = new Set<Socket>();
  private readonly hanging = new Set<http.ServerResponse>();
  private subs = new Map<number, Subscription>();
  private nextSub = 1;
  private position: Vec = { x: 0, y: 0, zoom: 0 };
  private velocity: Vec | null = null;
  private moveSinceMs = 0;
  private moveUntilMs: number | null = null;
  private readonly presets = new Map<string, { name: string; pos: Vec }>();
  private nextPreset = 1;
  private home: Vec = { x: 0, y: 0, zoom: 0 };
  /** Current property states (topic + source → last event), kept across restarts like a device's sensors. */
  private readonly props = new Map<string, SimEvent>();

  constructor(readonly opts: SimOptions) {
    for (const p of opts.properties ?? []) this.props.set(this.propKey(p), p);
  }

  private propKey(ev: SimEvent): string {
    return `${ev.topic}|${JSON.stringify(ev.source ?? {})}`;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const server = http.createServer((req, res) => this.onRequest(req, res));
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port || this.opts.port || 0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    if (this.opts.discoveryPort !== null && this.opts.discoveryPort !== undefined && !this.udp) await this.startDiscovery();
  }

  /** Stops HTTP and discovery; drops every connection (including hanging ones) and every subscription. */
  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    for (const sub of this.subs.values()) for (const w of sub.waiters) w();
    this.subs.clear();
    for (const s of this.sockets) s.destroy();
    if (this.server) await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = null;
    if (this.udp) {
      const u = this.udp;
      this.udp = null;
      await new Promise<void>((resolve) => u.close(() => resolve()));
    }
  }

  /** A device reboot: connections and subscriptions are lost; presets and the position persist; same port. */
  async restart(downMs = 200): Promise<void> {
    const udp = this.udp;
    this.udp = null; // keep discovery running
    const keepUdp = udp;
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    for (const sub of this.subs.values()) for (const w of sub.waiters) w();
    this.subs.clear();
    for (const s of this.sockets) s.destroy();
    if (this.server) await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = null;
    await new Promise((r) => setTimeout(r, downMs));
    this.udp = keepUdp;
    await this.start();
  }

  /** Current PTZ position (moves while a ContinuousMove runs). */
  getPosition(): Vec & { moving: boolean } {
    this.integrate();
    return { ...this.position, moving: this.velocity !== null };
  }

  presetList(): Array<{ token: string; name: string; pos: Vec }> {
    return [...this.presets.entries()].map(([token, p]) => ({ token, name: p.name, pos: { ...p.pos } }));
  }

  callsOf(action: string): SimCall[] {
    return this.calls.filter((c) => c.action === action);
  }

  activeSubscriptions(): number {
    const now = Date.now();
    return [...this.subs.values()].filter((s) => s.terminationMs > now).length;
  }

  /** The device forgets every subscription (as after an internal cleanup), without restarting. */
  dropSubscriptions(): void {
    for (const sub of this.subs.values()) for (const w of sub.waiters) w();
    this.subs.clear();
  }

  /** Sets a property state without notifying anyone (e.g. while no subscription exists); the next subscription sees it as 'Initialized'. */
  setProperty(ev: SimEvent): void {
    this.props.set(this.propKey(ev), ev);
  }

  /** Queues a notification on every live PullPoint subscription (a waiting PullMessages answers at once). */
  fireEvent(ev: SimEvent): void {
    if (ev.operation === 'Deleted') this.props.delete(this.propKey(ev));
    else this.props.set(this.propKey(ev), ev);
    const now = Date.now();
    for (const sub of this.subs.values()) {
      if (sub.terminationMs <= now) continue;
      sub.queue.push(this.message(ev));
      const ws = sub.waiters.splice(0);
      for (const w of ws) w();
    }
  }

  private message(ev: SimEvent): string {
    const utc = new Date(ev.utcMs ?? Date.now() + (this.opts.clockOffsetMs ?? 0)).toISOString();
    const items = (rec: Record<string, string> | undefined) =>
      Object.entries(rec ?? {})
        .map(([k, v]) => `<tt:SimpleItem Name="${esc(k)}" Value="${esc(v)}"/>`)
        .join('');
    const msg =
      `<wsnt:NotificationMessage><wsnt:Topic Dialect="http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet">${esc(ev.topic)}</wsnt:Topic>` +
      `<wsnt:Message><tt:Message UtcTime="${utc}" PropertyOperation="${ev.operation ?? 'Changed'}">` +
      `<tt:Source>${items(ev.source)}</tt:Source><tt:Data>${items(ev.data)}</tt:Data></tt:Message></wsnt:Message></wsnt:NotificationMessage>`;
    return msg;
  }

  // ---------------------------------------------------------------- internals

  private deviceNow(): number {
    return Date.now() + (this.opts.clockOffsetMs ?? 0);
  }

  private integrate(): void {
    if (!this.velocity) return;
    const now = Date.now();
    const end = this.moveUntilMs !== null ? Math.min(now, this.moveUntilMs) : now;
    const dt = Math.max(0, end - this.moveSinceMs) / 1000;
    const k = (this.opts.unitsPerSecond ?? 0.5) * dt;
    this.position = {
      x: clamp(this.position.x + this.velocity.x * k, -1, 1),
      y: clamp(this.position.y + this.velocity.y * k, -1, 1),
      zoom: clamp(this.position.zoom + this.velocity.zoom * k, 0, 1),
    };
    this.moveSinceMs = end;
    if (this.moveUntilMs !== null && now >= this.moveUntilMs) {
      this.velocity = null;
      this.moveUntilMs = null;
    }
  }

  private async startDiscovery(): Promise<void> {
    const multicast = !!this.opts.multicast;
    const udp = dgram.createSocket({ type: 'udp4', reuseAddr: true });
    udp.on('message', (msg, rinfo) => this.onProbe(msg.toString('utf8'), rinfo));
    udp.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      if (multicast) udp.bind(3702, () => resolve());
      else udp.bind(this.opts.discoveryPort ?? 0, '127.0.0.1', () => resolve());
    });
    if (multicast) {
      try {
        udp.addMembership('239.255.255.250');
      } catch {
        /* no multicast route: only directed probes reach us */
      }
      try {
        udp.addMembership('239.255.255.250', '127.0.0.1');
      } catch {
        /* already joined or loopback without multicast */
      }
    }
    this.udp = udp;
    this.discoveryPort = udp.address().port;
  }

  private onProbe(text: string, rinfo: dgram.RemoteInfo): void {
    if (!/Probe\b/.test(text) || /ProbeMatches/.test(text)) return;
    if (!this.server) return;
    const messageId = tag(text, 'MessageID') ?? '';
    const o = this.opts;
    const scopes = [
      `onvif://www.onvif.org/name/${encodeURIComponent(o.manufacturer ?? 'ArgusSim')}`,
      `onvif://www.onvif.org/hardware/${encodeURIComponent(o.model ?? 'SimCam')}`,
      'onvif://www.onvif.org/type/video_encoder',
      'onvif://www.onvif.org/type/ptz',
      'onvif://www.onvif.org/Profile/Streaming',
    ].join(' ');
    const reply =
      `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" ` +
      `xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" ` +
      `xmlns:dn="http://www.onvif.org/ver10/network/wsdl"><s:Header><a:MessageID>urn:uuid:${crypto.randomUUID()}</a:MessageID>` +
      `<a:RelatesTo>${esc(messageId)}</a:RelatesTo><a:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:To>` +
      `<a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</a:Action></s:Header><s:Body><d:ProbeMatches><d:ProbeMatch>` +
      `<a:EndpointReference><a:Address>${this.urn}</a:Address></a:EndpointReference><d:Types>dn:NetworkVideoTransmitter</d:Types>` +
      `<d:Scopes>${esc(scopes)}</d:Scopes><d:XAddrs>${this.baseUrl}/onvif/device_service</d:XAddrs><d:MetadataVersion>1</d:MetadataVersion>` +
      `</d:ProbeMatch></d:ProbeMatches></s:Body></s:Envelope>`;
    this.udp?.send(reply, rinfo.port, rinfo.address);
  }

  private checkAuth(xml: string): boolean {
    const user = tag(xml, 'Username');
    const digest = tag(xml, 'Password');
    const nonce = tag(xml, 'Nonce');
    const created = tag(xml, 'Created');
    if (user === null || digest === null || nonce === null || created === null) return false;
    const expected = crypto
      .createHash('sha1')
      .update(Buffer.concat([Buffer.from(nonce, 'base64'), Buffer.from(created, 'ascii'), Buffer.from(this.opts.password, 'ascii')]))
      .digest('base64');
    return user === this.opts.username && expected === digest;
  }

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const xml = Buffer.concat(chunks).toString('utf8');
      if (this.mode === 'hang') {
        this.hanging.add(res);
        res.on('close', () => this.hanging.delete(res));
        return;
      }
      if (this.mode === 'malformed') {
        res.writeHead(200, { 'Content-Type': 'application/soap+xml; charset=utf-8' });
        res.end('<?xml version="1.0"?><s:Envelope><s:Body><tds:GetDevice<<Response>>garbage</s:Bod');
        return;
      }
      const m = /<(?:[\w-]+:)?Body[^>]*>\s*<(?:[\w-]+:)?([A-Za-z]+)/.exec(xml);
      const action = m ? m[1] : '';
      const url = new URL(req.url ?? '/', this.baseUrl);
      const send = (status: number, body: string) => {
        if (res.destroyed) return;
        res.writeHead(status, { 'Content-Type': 'application/soap+xml; charset=utf-8' });
        res.end(body);
      };
      if (action !== 'GetSystemDateAndTime' && !this.checkAuth(xml)) {
        this.authFailures++;
        send(400, fault('ter:NotAuthorized', 'Sender not authorized'));
        return;
      }
      try {
        const out = this.handle(action, xml, url, (body) => send(200, envelope(body)), res);
        if (out === 'async') return;
        send(200, envelope(out));
      } catch (err) {
        const e = err as Error & { code?: string };
        send(400, fault(e.code ?? 'ter:InvalidArgVal', e.message));
      }
    });
  }

  private record(action: string, args: Record<string, string>): void {
    this.calls.push({ action, tMs: Date.now(), args });
  }

  private sourceOfProfile(token: string | null): SimSource {
    const src = this.opts.sources.find((s) => token === `${s.token}-main` || token === `${s.token}-sub`);
    if (!src) throw Object.assign(new Error(`no profile ${token}`), { code: 'ter:NoProfile' });
    return src;
  }

  private ptzProfile(xml: string): void {
    const token = tag(xml, 'ProfileToken');
    const src = this.sourceOfProfile(token);
    const ptz = src.ptz ?? src === this.opts.sources[0];
    if (!ptz || !token?.endsWith('-main')) throw Object.assign(new Error('no PTZ configuration in this profile'), { code: 'ter:NoPTZProfile' });
  }

  private handle(action: string, xml: string, url: URL, reply: (body: string) => void, res: http.ServerResponse): string | 'async' {
    const o = this.opts;
    const base = this.baseUrl;
    if (url.pathname === '/onvif/media2_service') return this.handleMedia2(action, xml);
    if (url.pathname === '/onvif/media_service' && o.media === 'media2')
      throw Object.assign(new Error('no Media (ver10) service here'), { code: 'ter:ActionNotSupported' });
    switch (action) {
      case 'GetSystemDateAndTime': {
        const d = new Date(this.deviceNow());
        this.record(action, {});
        return (
          `<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime><tt:DateTimeType>Manual</tt:DateTimeType><tt:DaylightSavings>false</tt:DaylightSavings>` +
          `<tt:TimeZone><tt:TZ>UTC0</tt:TZ></tt:TimeZone><tt:UTCDateTime><tt:Time><tt:Hour>${d.getUTCHours()}</tt:Hour><tt:Minute>${d.getUTCMinutes()}</tt:Minute>` +
          `<tt:Second>${d.getUTCSeconds()}</tt:Second></tt:Time><tt:Date><tt:Year>${d.getUTCFullYear()}</tt:Year><tt:Month>${d.getUTCMonth() + 1}</tt:Month>` +
          `<tt:Day>${d.getUTCDate()}</tt:Day></tt:Date></tt:UTCDateTime></tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>`
        );
      }
      case 'GetServices': {
        this.record(action, {});
        const svc = (ns: string, path: string) =>
          `<tds:Service><tds:Namespace>${ns}</tds:Namespace><tds:XAddr>${base}${path}</tds:XAddr><tds:Version><tt:Major>2</tt:Major><tt:Minor>60</tt:Minor></tds:Version></tds:Service>`;
        return (
          '<tds:GetServicesResponse>' +
          svc('http://www.onvif.org/ver10/device/wsdl', '/onvif/device_service') +
          (o.media === 'media2'
            ? svc('http://www.onvif.org/ver20/media/wsdl', '/onvif/media2_service')
            : svc('http://www.onvif.org/ver10/media/wsdl', '/onvif/media_service')) +
          svc('http://www.onvif.org/ver20/ptz/wsdl', '/onvif/ptz_service') +
          (o.events === false ? '' : svc('http://www.onvif.org/ver10/events/wsdl', '/onvif/events_service')) +
          '</tds:GetServicesResponse>'
        );
      }
      case 'GetDeviceInformation':
        this.record(action, {});
        return (
          `<tds:GetDeviceInformationResponse><tds:Manufacturer>${esc(o.manufacturer ?? 'ArgusSim')}</tds:Manufacturer><tds:Model>${esc(o.model ?? 'SimCam')}</tds:Model>` +
          `<tds:FirmwareVersion>${esc(o.firmware ?? '1.0.0')}</tds:FirmwareVersion><tds:SerialNumber>${esc(o.serial ?? 'SIM-0001')}</tds:SerialNumber>` +
          `<tds:HardwareId>sim</tds:HardwareId></tds:GetDeviceInformationResponse>`
        );
      case 'GetProfiles': {
        this.record(action, {});
        const profiles = o.sources.flatMap((s, i) => {
          const w = s.width ?? 1280;
          const h = s.height ?? 720;
          const fps = s.fps ?? 25;
          const ptz = s.ptz ?? i === 0;
          const p = (kind: 'main' | 'sub', pw: number, ph: number) =>
            `<trt:Profiles token="${s.token}-${kind}" fixed="true"><tt:Name>${s.token} ${kind}</tt:Name>` +
            `<tt:VideoSourceConfiguration token="vsc-${s.token}"><tt:Name>vsc ${s.token}</tt:Name><tt:UseCount>2</tt:UseCount><tt:SourceToken>${s.token}</tt:SourceToken>` +
            `<tt:Bounds x="0" y="0" width="${w}" height="${h}"/></tt:VideoSourceConfiguration>` +
            `<tt:VideoEncoderConfiguration token="vec-${s.token}-${kind}"><tt:Name>enc</tt:Name><tt:UseCount>1</tt:UseCount><tt:Encoding>H264</tt:Encoding>` +
            `<tt:Resolution><tt:Width>${pw}</tt:Width><tt:Height>${ph}</tt:Height></tt:Resolution><tt:Quality>5</tt:Quality>` +
            `<tt:RateControl><tt:FrameRateLimit>${fps}</tt:FrameRateLimit><tt:EncodingInterval>1</tt:EncodingInterval><tt:BitrateLimit>2048</tt:BitrateLimit></tt:RateControl>` +
            `</tt:VideoEncoderConfiguration>` +
            (ptz && kind === 'main'
              ? `<tt:PTZConfiguration token="ptz-${s.token}"><tt:Name>ptz</tt:Name><tt:UseCount>1</tt:UseCount><tt:NodeToken>node-${s.token}</tt:NodeToken></tt:PTZConfiguration>`
              : '') +
            `</trt:Profiles>`;
          return [p('main', w, h), ...(s.subUri ? [p('sub', Math.round(w / 2), Math.round(h / 2))] : [])];
        });
        return `<trt:GetProfilesResponse>${profiles.join('')}</trt:GetProfilesResponse>`;
      }
      case 'GetVideoSources':
        this.record(action, {});
        return (
          '<trt:GetVideoSourcesResponse>' +
          o.sources
            .map(
              (s) =>
                `<trt:VideoSources token="${s.token}"><tt:Framerate>${s.fps ?? 25}</tt:Framerate><tt:Resolution><tt:Width>${s.width ?? 1280}</tt:Width>` +
                `<tt:Height>${s.height ?? 720}</tt:Height></tt:Resolution></trt:VideoSources>`,
            )
            .join('') +
          '</trt:GetVideoSourcesResponse>'
        );
      case 'GetStreamUri': {
        const token = tag(xml, 'ProfileToken');
        this.record(action, { ProfileToken: token ?? '' });
        const src = this.sourceOfProfile(token);
        const uri = token!.endsWith('-sub') ? src.subUri! : src.mainUri;
        return (
          `<trt:GetStreamUriResponse><trt:MediaUri><tt:Uri>${esc(uri)}</tt:Uri><tt:InvalidAfterConnect>false</tt:InvalidAfterConnect>` +
          `<tt:InvalidAfterReboot>false</tt:InvalidAfterReboot><tt:Timeout>PT0S</tt:Timeout></trt:MediaUri></trt:GetStreamUriResponse>`
        );
      }
      case 'GetSnapshotUri': {
        const token = tag(xml, 'ProfileToken');
        this.record(action, { ProfileToken: token ?? '' });
        this.sourceOfProfile(token);
        return (
          `<trt:GetSnapshotUriResponse><trt:MediaUri><tt:Uri>${base}/snapshot/${esc(token ?? '')}.jpg</tt:Uri><tt:InvalidAfterConnect>false</tt:InvalidAfterConnect>` +
          `<tt:InvalidAfterReboot>false</tt:InvalidAfterReboot><tt:Timeout>PT0S</tt:Timeout></trt:MediaUri></trt:GetSnapshotUriResponse>`
        );
      }
      // ---------------- PTZ
      case 'ContinuousMove': {
        this.ptzProfile(xml);
        const x = Number(attr(xml, 'PanTilt', 'x') ?? 0);
        const y = Number(attr(xml, 'PanTilt', 'y') ?? 0);
        const zoom = Number(attr(xml, 'Zoom', 'x') ?? 0);
        const timeoutMs = parseDurationMs(tag(xml, 'Timeout'));
        this.record(action, { x: String(x), y: String(y), zoom: String(zoom), timeoutMs: String(timeoutMs ?? '') });
        this.integrate();
        this.velocity = { x, y, zoom };
        this.moveSinceMs = Date.now();
        this.moveUntilMs = timeoutMs !== null ? Date.now() + timeoutMs : null;
        return '<tptz:ContinuousMoveResponse/>';
      }
      case 'Stop':
        this.ptzProfile(xml);
        this.record(action, {});
        this.integrate();
        this.velocity = null;
        this.moveUntilMs = null;
        return '<tptz:StopResponse/>';
      case 'GetStatus': {
        this.ptzProfile(xml);
        const p = this.getPosition();
        const state = p.moving ? 'MOVING' : 'IDLE';
        return (
          `<tptz:GetStatusResponse><tptz:PTZStatus><tt:Position><tt:PanTilt x="${p.x}" y="${p.y}" space="http://www.onvif.org/ver10/tptz/PanTiltSpaces/PositionGenericSpace"/>` +
          `<tt:Zoom x="${p.zoom}" space="http://www.onvif.org/ver10/tptz/ZoomSpaces/PositionGenericSpace"/></tt:Position>` +
          `<tt:MoveStatus><tt:PanTilt>${state}</tt:PanTilt><tt:Zoom>${state}</tt:Zoom></tt:MoveStatus>` +
          `<tt:UtcTime>${new Date(this.deviceNow()).toISOString()}</tt:UtcTime></tptz:PTZStatus></tptz:GetStatusResponse>`
        );
      }
      case 'GetPresets':
        this.ptzProfile(xml);
        this.record(action, {});
        return (
          '<tptz:GetPresetsResponse>' +
          this.presetList()
            .map(
              (p) =>
                `<tptz:Preset token="${esc(p.token)}"><tt:Name>${esc(p.name)}</tt:Name><tt:PTZPosition><tt:PanTilt x="${p.pos.x}" y="${p.pos.y}"/>` +
                `<tt:Zoom x="${p.pos.zoom}"/></tt:PTZPosition></tptz:Preset>`,
            )
            .join('') +
          '</tptz:GetPresetsResponse>'
        );
      case 'SetPreset': {
        this.ptzProfile(xml);
        const name = tag(xml, 'PresetName') ?? '';
        let token = tag(xml, 'PresetToken');
        this.record(action, { PresetName: name, PresetToken: token ?? '' });
        if (token && !this.presets.has(token)) throw Object.assign(new Error(`no preset ${token}`), { code: 'ter:NoToken' });
        for (const [t, p] of this.presets)
          if (p.name === name && t !== token) throw Object.assign(new Error(`preset name "${name}" exists`), { code: 'ter:PresetExist' });
        const pos = this.getPosition();
        if (!token) token = `preset_${this.nextPreset++}`;
        this.presets.set(token, { name, pos: { x: pos.x, y: pos.y, zoom: pos.zoom } });
        return `<tptz:SetPresetResponse><tptz:PresetToken>${esc(token)}</tptz:PresetToken></tptz:SetPresetResponse>`;
      }
      case 'RemovePreset': {
        this.ptzProfile(xml);
        const token = tag(xml, 'PresetToken') ?? '';
        this.record(action, { PresetToken: token });
        if (!this.presets.delete(token)) throw Object.assign(new Error(`no preset ${token}`), { code: 'ter:NoToken' });
        return '<tptz:RemovePresetResponse/>';
      }
      case 'GotoPreset': {
        this.ptzProfile(xml);
        const token = tag(xml, 'PresetToken') ?? '';
        this.record(action, { PresetToken: token });
        const p = this.presets.get(token);
        if (!p) throw Object.assign(new Error(`no preset ${token}`), { code: 'ter:NoToken' });
        this.velocity = null;
        this.position = { ...p.pos };
        return '<tptz:GotoPresetResponse/>';
      }
      case 'GotoHomePosition':
        this.ptzProfile(xml);
        this.record(action, {});
        this.velocity = null;
        this.position = { ...this.home };
        return '<tptz:GotoHomePositionResponse/>';
      case 'SetHomePosition':
        this.ptzProfile(xml);
        this.record(action, {});
        this.home = { ...this.getPosition() };
        return '<tptz:SetHomePositionResponse/>';
      // ---------------- events
      case 'CreatePullPointSubscription': {
        if (o.events === false) throw Object.assign(new Error('events are not supported'), { code: 'ter:ActionNotSupported' });
        const id = this.nextSub++;
        const ttl = o.subscriptionTtlMs ?? 60_000;
        // As the ONVIF core spec asks: a new subscription first gets the current state of every property ('Initialized').
        const initial = [...this.props.values()].map((p) => this.message({ ...p, operation: 'Initialized', utcMs: undefined }));
        this.subs.set(id, { id, terminationMs: Date.now() + ttl, queue: initial, waiters: [] });
        this.subscriptionsCreated++;
        this.record(action, { id: String(id) });
        const now = this.deviceNow();
        return (
          `<tev:CreatePullPointSubscriptionResponse><tev:SubscriptionReference><wsa:Address>${base}/onvif/subscription?id=${id}</wsa:Address>` +
          `</tev:SubscriptionReference><wsnt:CurrentTime>${new Date(now).toISOString()}</wsnt:CurrentTime>` +
          `<wsnt:TerminationTime>${new Date(now + ttl).toISOString()}</wsnt:TerminationTime></tev:CreatePullPointSubscriptionResponse>`
        );
      }
      case 'PullMessages':
      case 'Renew':
      case 'Unsubscribe': {
        const id = Number(url.searchParams.get('id'));
        const sub = this.subs.get(id);
        this.record(action, { id: String(id) });
        if (!sub || sub.terminationMs <= Date.now()) {
          this.subs.delete(id);
          this.unknownSubscriptionHits++;
          if (o.goneAs === '404') {
            res.writeHead(404, { 'Content-Type': 'text/html' });
            res.end('<html><body>404 Not Found</body></html>');
            return 'async';
          }
          throw Object.assign(new Error(`unknown or expired subscription ${id}`), { code: 'wsrf-rw:ResourceUnknownFault' });
        }
        const times = () => {
          const now = this.deviceNow();
          return (
            `<tev:CurrentTime>${new Date(now).toISOString()}</tev:CurrentTime>` +
            `<tev:TerminationTime>${new Date(now + (sub.terminationMs - Date.now())).toISOString()}</tev:TerminationTime>`
          );
        };
        if (action === 'Unsubscribe') {
          this.subs.delete(id);
          return '<wsnt:UnsubscribeResponse/>';
        }
        if (action === 'Renew') {
          this.renewals++;
          sub.terminationMs = Date.now() + (o.subscriptionTtlMs ?? 60_000);
          const now = this.deviceNow();
          return (
            `<wsnt:RenewResponse><wsnt:TerminationTime>${new Date(now + (o.subscriptionTtlMs ?? 60_000)).toISOString()}</wsnt:TerminationTime>` +
            `<wsnt:CurrentTime>${new Date(now).toISOString()}</wsnt:CurrentTime></wsnt:RenewResponse>`
          );
        }
        const limit = Number(tag(xml, 'MessageLimit') ?? 10);
        const answer = () => {
          const msgs = sub.queue.splice(0, limit);
          reply(`<tev:PullMessagesResponse>${times()}${msgs.join('')}</tev:PullMessagesResponse>`);
        };
        if (sub.queue.length > 0) {
          answer();
          return 'async';
        }
        const asked = parseDurationMs(tag(xml, 'Timeout')) ?? 60_000;
        const early = o.pullEarly && o.pullEarly.afterMs < asked ? o.pullEarly : null;
        const hold = early ? early.afterMs : Math.min(o.pullHoldMs ?? 2000, asked);
        let done = false;
        const finish = (byTimer: boolean) => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          const i = sub.waiters.indexOf(wake);
          if (i >= 0) sub.waiters.splice(i, 1);
          if (byTimer && early) {
            this.earlyEnds++;
            if (early.how === 'reset') {
              res.socket?.resetAndDestroy();
              return;
            }
          }
          if (this.subs.get(id) === sub) answer();
          else if (!res.destroyed) {
            // Dropped while the pull waited: the device no longer knows it.
            this.unknownSubscriptionHits++;
            if (o.goneAs === '404') res.writeHead(404, { 'Content-Type': 'text/html' }).end('<html><body>404 Not Found</body></html>');
            else
              res
                .writeHead(400, { 'Content-Type': 'application/soap+xml; charset=utf-8' })
                .end(fault('wsrf-rw:ResourceUnknownFault', `unknown subscription ${id}`));
          }
        };
        const wake = () => finish(false);
        const timer = setTimeout(() => finish(true), hold);
        sub.waiters.push(wake);
        return 'async';
      }
      default:
        this.record(action || '(none)', {});
        throw Object.assign(new Error(`action ${action || '(none)'} is not implemented`), { code: 'ter:ActionNotSupported' });
    }
  }

  /** Media2 (ver20, profile T): profiles with Configurations, stream and snapshot URIs as tr2:Uri. */
  private handleMedia2(action: string, xml: string): string {
    const o = this.opts;
    switch (action) {
      case 'GetProfiles': {
        this.record('GetProfiles2', {});
        const profiles = o.sources.flatMap((s, i) => {
          const w = s.width ?? 1280;
          const h = s.height ?? 720;
          const ptz = s.ptz ?? i === 0;
          const p = (kind: 'main' | 'sub', pw: number, ph: number) =>
            `<tr2:Profiles token="${s.token}-${kind}" fixed="true"><tr2:Name>${s.token} ${kind}</tr2:Name><tr2:Configurations>` +
            `<tr2:VideoSource token="vsc-${s.token}"><tt:Name>vsc</tt:Name><tt:UseCount>2</tt:UseCount><tt:SourceToken>${s.token}</tt:SourceToken>` +
            `<tt:Bounds x="0" y="0" width="${w}" height="${h}"/></tr2:VideoSource>` +
            `<tr2:VideoEncoder token="ve-${s.token}-${kind}" GovLength="50" Profile="Main"><tt:Name>enc</tt:Name><tt:UseCount>1</tt:UseCount>` +
            `<tt:Encoding>H265</tt:Encoding><tt:Resolution><tt:Width>${pw}</tt:Width><tt:Height>${ph}</tt:Height></tt:Resolution>` +
            `<tt:RateControl ConstantBitRate="false"><tt:FrameRateLimit>${s.fps ?? 25}</tt:FrameRateLimit><tt:BitrateLimit>2048</tt:BitrateLimit></tt:RateControl>` +
            `<tt:Quality>5</tt:Quality></tr2:VideoEncoder>` +
            (ptz && kind === 'main'
              ? `<tr2:PTZ token="ptz-${s.token}"><tt:Name>ptz</tt:Name><tt:UseCount>1</tt:UseCount><tt:NodeToken>node</tt:NodeToken></tr2:PTZ>`
              : '') +
            `</tr2:Configurations></tr2:Profiles>`;
          return [p('main', w, h), ...(s.subUri ? [p('sub', Math.round(w / 2), Math.round(h / 2))] : [])];
        });
        return `<tr2:GetProfilesResponse>${profiles.join('')}</tr2:GetProfilesResponse>`;
      }
      case 'GetVideoSourceConfigurations':
        this.record(action, {});
        return (
          '<tr2:GetVideoSourceConfigurationsResponse>' +
          o.sources
            .map(
              (s) =>
                `<tr2:Configurations token="vsc-${s.token}"><tt:Name>vsc</tt:Name><tt:UseCount>2</tt:UseCount><tt:SourceToken>${s.token}</tt:SourceToken>` +
                `<tt:Bounds x="0" y="0" width="${s.width ?? 1280}" height="${s.height ?? 720}"/></tr2:Configurations>`,
            )
            .join('') +
          '</tr2:GetVideoSourceConfigurationsResponse>'
        );
      case 'GetStreamUri': {
        const token = tag(xml, 'ProfileToken');
        this.record('GetStreamUri2', { ProfileToken: token ?? '', Protocol: tag(xml, 'Protocol') ?? '' });
        const src = this.sourceOfProfile(token);
        return `<tr2:GetStreamUriResponse><tr2:Uri>${esc(token!.endsWith('-sub') ? src.subUri! : src.mainUri)}</tr2:Uri></tr2:GetStreamUriResponse>`;
      }
      case 'GetSnapshotUri': {
        const token = tag(xml, 'ProfileToken');
        this.sourceOfProfile(token);
        return `<tr2:GetSnapshotUriResponse><tr2:Uri>${this.baseUrl}/snapshot/${esc(token ?? '')}.jpg</tr2:Uri></tr2:GetSnapshotUriResponse>`;
      }
      default:
        throw Object.assign(new Error(`Media2 action ${action || '(none)'} is not implemented`), { code: 'ter:ActionNotSupported' });
    }
  }

  /** ISO 8601 duration helper for tests. */
  static duration(ms: number): string {
    return isoDuration(ms);
  }
}

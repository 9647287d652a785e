// Test helper: a minimal raw SIP client over UDP or TCP (hand-written text, no SIP library) acting as a GB/T 28181 device.
import crypto from 'node:crypto';
import dgram from 'node:dgram';
import net from 'node:net';

export interface RawMsg {
  startLine: string;
  status: number | null;
  method: string | null;
  /** Lower-case header name → values in order. */
  headers: Map<string, string[]>;
  body: Buffer;
  raw: string;
}

export function parseRaw(bytes: Buffer): RawMsg {
  const raw = bytes.toString('latin1');
  const end = raw.indexOf('\r\n\r\n');
  const head = end >= 0 ? raw.slice(0, end) : raw;
  const lines = head.split('\r\n');
  const startLine = lines[0] ?? '';
  const headers = new Map<string, string[]>();
  for (const l of lines.slice(1)) {
    const i = l.indexOf(':');
    if (i < 0) continue;
    const k = l.slice(0, i).trim().toLowerCase();
    headers.set(k, [...(headers.get(k) ?? []), l.slice(i + 1).trim()]);
  }
  const st = /^SIP\/2\.0 (\d{3})/.exec(startLine);
  return {
    startLine,
    status: st ? Number(st[1]) : null,
    method: st ? null : (startLine.split(' ')[0] ?? null),
    headers,
    body: end >= 0 ? Buffer.from(raw.slice(end + 4), 'latin1') : Buffer.alloc(0),
    raw,
  };
}

export const header = (m: RawMsg, name: string): string => m.headers.get(name.toLowerCase())?.[0] ?? '';
const md5 = (s: string) => crypto.createHash('md5').update(s).digest('hex');
const rnd = () => crypto.randomBytes(6).toString('hex');

export class RawSipClient {
  private readonly inbox: RawMsg[] = [];
  private waiters: Array<{ pred: (m: RawMsg) => boolean; resolve: (m: RawMsg) => void }> = [];
  private cseq = 1;
  readonly callId = `${rnd()}@127.0.0.1`;
  readonly fromTag = rnd();
  /** Answer server requests (MESSAGE/INVITE ...) with 200 automatically. */
  autoAnswer = true;

  private constructor(
    readonly proto: 'udp' | 'tcp',
    private readonly sendBytes: (b: Buffer) => void,
    readonly localPort: number,
    readonly serverPort: number,
    private readonly closer: () => void,
  ) {}

  static async open(proto: 'udp' | 'tcp', serverPort: number): Promise<RawSipClient> {
    if (proto === 'udp') {
      const sock = dgram.createSocket('udp4');
      await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
      const c: RawSipClient = new RawSipClient(
        'udp',
        (b) => sock.send(b, serverPort, '127.0.0.1'),
        sock.address().port,
        serverPort,
        () => sock.close(),
      );
      sock.on('message', (b) => c.received(parseRaw(b)));
      return c;
    }
    const sock = net.connect(serverPort, '127.0.0.1');
    await new Promise<void>((r, j) => sock.once('connect', () => r()).once('error', j));
    sock.on('error', () => undefined);
    const c: RawSipClient = new RawSipClient(
      'tcp',
      (b) => sock.write(b),
      sock.localPort ?? 0,
      serverPort,
      () => sock.destroy(),
    );
    let buf = Buffer.alloc(0);
    sock.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      for (;;) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const len = Number(/content-length:\s*(\d+)/i.exec(buf.subarray(0, end).toString('latin1'))?.[1] ?? 0);
        if (buf.length < end + 4 + len) return;
        c.received(parseRaw(buf.subarray(0, end + 4 + len)));
        buf = buf.subarray(end + 4 + len);
      }
    });
    return c;
  }

  private received(m: RawMsg): void {
    if (m.method && this.autoAnswer && m.method !== 'ACK') this.answer(m, 200);
    const i = this.waiters.findIndex((w) => w.pred(m));
    if (i >= 0) this.waiters.splice(i, 1)[0].resolve(m);
    else this.inbox.push(m);
  }

  /** The next message matching pred (already received or arriving within timeoutMs). */
  next(pred: (m: RawMsg) => boolean, timeoutMs = 10_000): Promise<RawMsg> {
    const i = this.inbox.findIndex(pred);
    if (i >= 0) return Promise.resolve(this.inbox.splice(i, 1)[0]);
    return new Promise((resolve, reject) => {
      const w = { pred, resolve: (m: RawMsg) => (clearTimeout(t), resolve(m)) };
      const t = setTimeout(() => {
        this.waiters = this.waiters.filter((x) => x !== w);
        reject(new Error(`no matching SIP message within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(w);
    });
  }

  sendRaw(text: string | Buffer): void {
    this.sendBytes(typeof text === 'string' ? Buffer.from(text, 'latin1') : text);
  }

  /** Sends a request; resolves with its final response (matched by Call-ID and CSeq). */
  async request(o: {
    method: string;
    uri: string;
    fromId: string;
    toId?: string;
    extra?: string[];
    body?: Buffer;
    contentType?: string;
    callId?: string;
    rport?: boolean;
  }): Promise<RawMsg> {
    const seq = this.cseq++;
    const callId = o.callId ?? this.callId;
    const branch = `z9hG4bK${rnd()}`;
    const body = o.body ?? Buffer.alloc(0);
    const lines = [
      `${o.method} ${o.uri} SIP/2.0`,
      `Via: SIP/2.0/${this.proto.toUpperCase()} 127.0.0.1:${this.localPort};branch=${branch}${o.rport === false ? '' : ';rport'}`,
      `From: <sip:${o.fromId}@3402000000>;tag=${this.fromTag}`,
      `To: <sip:${o.toId ?? o.fromId}@3402000000>`,
      `Call-ID: ${callId}`,
      `CSeq: ${seq} ${o.method}`,
      `Contact: <sip:${o.fromId}@127.0.0.1:${this.localPort}>`,
      'Max-Forwards: 70',
      'User-Agent: raw-test-device',
      ...(o.contentType ? [`Content-Type: ${o.contentType}`] : []),
      ...(o.extra ?? []),
      `Content-Length: ${body.length}`,
      '',
      '',
    ];
    this.sendRaw(Buffer.concat([Buffer.from(lines.join('\r\n'), 'latin1'), body]));
    return this.next((m) => m.status !== null && m.status >= 200 && header(m, 'call-id') === callId && header(m, 'cseq').startsWith(`${seq} `));
  }

  /** REGISTER with digest (qop=auth): the 401, then the answer; resolves with the final response. */
  async register(o: { deviceId: string; password: string; serverId: string; expires?: number; qop?: boolean }): Promise<RawMsg> {
    const uri = `sip:${o.serverId}@3402000000`;
    const extra = [`Expires: ${o.expires ?? 3600}`];
    const first = await this.request({ method: 'REGISTER', uri, fromId: o.deviceId, extra });
    if (first.status !== 401) return first;
    return this.answerChallenge(first, o.deviceId, o.password, uri, extra, o.qop ?? true);
  }

  async answerChallenge(challenge: RawMsg, deviceId: string, password: string, uri: string, extra: string[], qop = true): Promise<RawMsg> {
    const www = header(challenge, 'www-authenticate');
    const realm = /realm="([^"]*)"/.exec(www)?.[1] ?? '';
    const nonce = /nonce="([^"]*)"/.exec(www)?.[1] ?? '';
    const cnonce = rnd();
    const ha1 = md5(`${deviceId}:${realm}:${password}`);
    const ha2 = md5(`REGISTER:${uri}`);
    const response = qop ? md5(`${ha1}:${nonce}:00000001:${cnonce}:auth:${ha2}`) : md5(`${ha1}:${nonce}:${ha2}`);
    const auth = qop
      ? `Authorization: Digest username="${deviceId}", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${response}", algorithm=MD5, qop=auth, nc=00000001, cnonce="${cnonce}"`
      : `Authorization: Digest username="${deviceId}", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${response}", algorithm=MD5`;
    return this.request({ method: 'REGISTER', uri, fromId: deviceId, extra: [...extra, auth] });
  }

  /** A MANSCDP MESSAGE (bytes as given, e.g. GB2312). */
  message(deviceId: string, serverId: string, body: Buffer): Promise<RawMsg> {
    return this.request({
      method: 'MESSAGE',
      uri: `sip:${serverId}@3402000000`,
      fromId: deviceId,
      toId: serverId,
      body,
      contentType: 'Application/MANSCDP+xml',
      callId: `${rnd()}@127.0.0.1`,
    });
  }

  /** Answers a request the server sent. */
  answer(req: RawMsg, status: number, body?: Buffer, contentType?: string): void {
    const b = body ?? Buffer.alloc(0);
    const to = header(req, 'to');
    const lines = [
      `SIP/2.0 ${status} ${status === 200 ? 'OK' : 'Error'}`,
      ...(req.headers.get('via') ?? []).map((v) => `Via: ${v}`),
      `From: ${header(req, 'from')}`,
      `To: ${to}${/;tag=/.test(to) ? '' : `;tag=${rnd()}`}`,
      `Call-ID: ${header(req, 'call-id')}`,
      `CSeq: ${header(req, 'cseq')}`,
      ...(contentType ? [`Content-Type: ${contentType}`] : []),
      `Content-Length: ${b.length}`,
      '',
      '',
    ];
    this.sendRaw(Buffer.concat([Buffer.from(lines.join('\r\n'), 'latin1'), b]));
  }

  close(): void {
    for (const w of this.waiters) w.resolve = () => undefined;
    this.closer();
  }
}

// Tests of the GB/T 28181 simulator: a tiny platform on the `sip` stack (digest registrar, MANSCDP MESSAGEs, INVITE/ACK/BYE) and RTP receivers that rebuild the PS.
import { createHash, randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { connect, createServer, type Server, type Socket } from 'node:net';
import iconv from 'iconv-lite';
import { XMLParser } from 'fast-xml-parser';
import sip, { type SipMessage, type SipRemote } from 'sip';
import { freePort } from '../helpers/net';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const unq = (s: string | undefined) => (s ?? '').replace(/^"|"$/g, '');

export interface ReceivedMessage {
  atMs: number;
  method: string;
  from: SipRemote;
  charset: string;
  xml: string;
  doc: Record<string, Record<string, unknown>>;
  raw: SipMessage;
}

export interface TestPlatform {
  port: number;
  serverId: string;
  domain: string;
  registers: Array<{ atMs: number; status: number; expires: number; authorized: boolean; remote: SipRemote; raw: SipMessage }>;
  messages: ReceivedMessage[];
  /** Devices' addresses from their last REGISTER (source address, as rport asks). */
  contacts: Map<string, SipRemote>;
  send(
    deviceId: string,
    method: string,
    opts: {
      toId?: string;
      body?: string | Buffer;
      contentType?: string;
      headers?: Record<string, unknown>;
      callId?: string;
      toTag?: string;
      fromTag?: string;
      cseq?: number;
    },
  ): Promise<SipMessage>;
  /** INVITE + ACK; returns the 200's SDP and a BYE. */
  invite(
    deviceId: string,
    channelId: string,
    sdp: string,
    subject?: string,
  ): Promise<{ status: number; answer: string; callId: string; bye(): Promise<number>; info(body: string): Promise<number> }>;
  close(): void;
}

const parser = new XMLParser({ ignoreAttributes: false, parseTagValue: false, isArray: (name) => name === 'Item' });

export async function startTestPlatform(opts: {
  password: string;
  serverId?: string;
  domain?: string;
  expiresS?: number;
  rejectAll?: boolean;
}): Promise<TestPlatform> {
  const port = await freePort();
  const serverId = opts.serverId ?? '34020000002000000001';
  const domain = opts.domain ?? '3402000000';
  const registers: TestPlatform['registers'] = [];
  const messages: ReceivedMessage[] = [];
  const contacts = new Map<string, SipRemote>();
  const nonces = new Set<string>();
  const dialogs = new Map<string, { fromTag: string; toTag: string; seq: number; deviceId: string; channelId: string }>();

  // the stack's hostname (publicAddress, else address) must differ from the devices' host: it takes a Request-URI on its own hostname for a flow token (404).
  const stack = sip.create({ port, address: '127.0.0.1', publicAddress: 'localhost', udp: true, tcp: true }, (req, remote) => {
    const user = sip.parseUri(req.headers.from.uri).user ?? '';
    if (req.method === 'REGISTER') {
      const auth = req.headers.authorization?.[0];
      const expires = Number(req.headers.expires ?? 3600);
      if (!auth || !nonces.has(unq(auth.nonce))) {
        const nonce = randomBytes(8).toString('hex');
        nonces.add(nonce);
        registers.push({ atMs: Date.now(), status: 401, expires, authorized: false, remote, raw: req });
        const res = sip.makeResponse(req, 401, 'Unauthorized');
        res.headers['www-authenticate'] = [{ scheme: 'Digest', realm: `"${domain}"`, nonce: `"${nonce}"`, algorithm: 'MD5' }];
        stack.send(res);
        return;
      }
      const ha1 = md5(`${unq(auth.username)}:${unq(auth.realm)}:${opts.password}`);
      const ha2 = md5(`REGISTER:${unq(auth.uri)}`);
      const expected = auth.qop
        ? md5(`${ha1}:${unq(auth.nonce)}:${unq(auth.nc)}:${unq(auth.cnonce)}:${unq(auth.qop)}:${ha2}`)
        : md5(`${ha1}:${unq(auth.nonce)}:${ha2}`);
      const ok = expected === unq(auth.response) && !opts.rejectAll;
      registers.push({ atMs: Date.now(), status: ok ? 200 : 403, expires, authorized: ok, remote, raw: req });
      if (ok) contacts.set(user, remote);
      const res = sip.makeResponse(req, ok ? 200 : 403, ok ? 'OK' : 'Forbidden');
      if (ok) res.headers.expires = expires === 0 ? 0 : (opts.expiresS ?? expires);
      stack.send(res);
      return;
    }
    if (req.method === 'MESSAGE' || req.method === 'NOTIFY') {
      const body = Buffer.from(req.content, 'binary');
      const charset = /encoding\s*=\s*"?([\w-]+)/i.exec(body.subarray(0, 100).toString('latin1'))?.[1]?.toLowerCase() ?? 'utf-8';
      const xml = charset.startsWith('gb') ? iconv.decode(body, 'gb18030') : body.toString('utf8');
      messages.push({ atMs: Date.now(), method: req.method, from: remote, charset, xml, doc: parser.parse(xml) as ReceivedMessage['doc'], raw: req });
      stack.send(sip.makeResponse(req, 200, 'OK'));
      return;
    }
    if (req.method === 'BYE') {
      dialogs.delete(req.headers['call-id']);
      stack.send(sip.makeResponse(req, 200, 'OK'));
      return;
    }
    if (req.method !== 'ACK') stack.send(sip.makeResponse(req, 405, 'Method Not Allowed'));
  });

  const target = (deviceId: string, toId: string) => {
    const c = contacts.get(deviceId);
    if (!c) throw new Error(`${deviceId} is not registered`);
    const transport = c.protocol.toUpperCase() === 'TCP' ? ';transport=tcp' : '';
    return `sip:${toId}@${c.address}:${c.port}${transport}`;
  };
  // For TCP the device is reached on its Via port (its listener), not the ephemeral source port of its connection.
  const tcpTarget = (deviceId: string, toId: string) => {
    const reg = [...registers].reverse().find((r) => r.authorized && sip.parseUri(r.raw.headers.from.uri).user === deviceId);
    const via = reg?.raw.headers.via[0];
    if (!via || via.protocol.toUpperCase() !== 'TCP') return target(deviceId, toId);
    return `sip:${toId}@${via.host}:${via.port}`.concat(';transport=tcp');
  };

  const send: TestPlatform['send'] = (deviceId, method, o) =>
    new Promise((resolve) => {
      const uri = tcpTarget(deviceId, o.toId ?? deviceId);
      const body = o.body === undefined ? '' : Buffer.isBuffer(o.body) ? o.body.toString('binary') : Buffer.from(o.body, 'utf8').toString('binary');
      const msg: SipMessage = {
        method,
        uri,
        headers: {
          to: { uri: `sip:${o.toId ?? deviceId}@${domain}`, params: o.toTag ? { tag: o.toTag } : {} },
          from: { uri: `sip:${serverId}@${domain}`, params: { tag: o.fromTag ?? randomBytes(4).toString('hex') } },
          'call-id': o.callId ?? randomBytes(8).toString('hex'),
          cseq: { method, seq: o.cseq ?? 1 },
          via: [],
          contact: [{ uri: `sip:${serverId}@127.0.0.1:${port}`, params: {} }],
          ...(o.body !== undefined ? { 'content-type': o.contentType ?? 'Application/MANSCDP+xml' } : {}),
          ...(o.headers ?? {}),
        },
        content: body,
      };
      stack.send(msg, (res) => {
        if ((res.status ?? 0) >= 200) resolve(res);
      });
    });

  const invite: TestPlatform['invite'] = async (deviceId, channelId, sdp, subject) => {
    const callId = randomBytes(8).toString('hex');
    const fromTag = randomBytes(4).toString('hex');
    const res = await send(deviceId, 'INVITE', {
      toId: channelId,
      body: sdp,
      contentType: 'APPLICATION/SDP',
      callId,
      fromTag,
      headers: { subject: subject ?? `${channelId}:0,${serverId}:0` },
    });
    const toTag = res.headers.to.params.tag ?? '';
    if (res.status === 200) {
      dialogs.set(callId, { fromTag, toTag, seq: 1, deviceId, channelId });
      stack.send({
        method: 'ACK',
        uri: tcpTarget(deviceId, channelId),
        headers: { to: res.headers.to, from: res.headers.from, 'call-id': callId, cseq: { method: 'ACK', seq: 1 }, via: [] },
        content: '',
      });
    }
    const inDialog = async (method: string, body?: string) => {
      const d = dialogs.get(callId);
      if (!d) return 481;
      d.seq++;
      const r = await send(deviceId, method, {
        toId: channelId,
        callId,
        fromTag,
        toTag,
        cseq: d.seq,
        body,
        contentType: body ? 'Application/MANSRTSP' : undefined,
      });
      return r.status ?? 0;
    };
    return {
      status: res.status ?? 0,
      answer: Buffer.from(res.content ?? '', 'binary').toString('utf8'),
      callId,
      bye: async () => {
        const status = await inDialog('BYE');
        dialogs.delete(callId);
        return status;
      },
      info: (body: string) => inDialog('INFO', body),
    };
  };

  return { port, serverId, domain, registers, messages, contacts, send, invite, close: () => stack.destroy() };
}

/** RTP payloads (header, CSRCs, extension and padding stripped) in sequence order. */
export function rtpPayloads(packets: Buffer[]): { payloads: Buffer[]; ssrcs: Set<number>; pts: Set<number>; markers: number } {
  const parsed = packets
    .filter((p) => p.length >= 12 && p[0] >> 6 === 2)
    .map((p) => {
      const cc = p[0] & 0x0f;
      let off = 12 + 4 * cc;
      if (p[0] & 0x10) off += 4 + 4 * p.readUInt16BE(off + 2);
      const pad = p[0] & 0x20 ? p[p.length - 1] : 0;
      return { seq: p.readUInt16BE(2), pt: p[1] & 0x7f, marker: (p[1] & 0x80) !== 0, ssrc: p.readUInt32BE(8), payload: p.subarray(off, p.length - pad) };
    });
  // Unwrap the 16-bit sequence number before sorting.
  let ext = 0;
  let prev = -1;
  const withExt = parsed.map((x) => {
    if (prev >= 0 && x.seq < prev && prev - x.seq > 0x8000) ext += 0x10000;
    prev = x.seq;
    return { ...x, ext: ext + x.seq };
  });
  withExt.sort((a, b) => a.ext - b.ext);
  return {
    payloads: withExt.map((x) => x.payload),
    ssrcs: new Set(parsed.map((x) => x.ssrc)),
    pts: new Set(parsed.map((x) => x.pt)),
    markers: parsed.filter((x) => x.marker).length,
  };
}

/** RFC 4571 deframing of a TCP byte stream. */
export function deframe4571(stream: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let off = 0;
  while (off + 2 <= stream.length) {
    const len = stream.readUInt16BE(off);
    if (off + 2 + len > stream.length) break;
    out.push(stream.subarray(off + 2, off + 2 + len));
    off += 2 + len;
  }
  return out;
}

export interface RtpReceiver {
  port: number;
  packets(): Buffer[];
  /** For a TCP receiver that connects (offer a=setup:active): connect to the device's answer port. */
  connectTo?(host: string, port: number): void;
  close(): void;
}

/** UDP receiver, TCP listener (offer setup:passive) or TCP connector (offer setup:active). */
export async function startRtpReceiver(kind: 'udp' | 'tcp-listen' | 'tcp-connect'): Promise<RtpReceiver> {
  if (kind === 'udp') {
    const sock = createSocket('udp4');
    const got: Buffer[] = [];
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
    sock.on('message', (m) => got.push(m));
    return { port: sock.address().port, packets: () => got, close: () => sock.close() };
  }
  const chunks: Buffer[] = [];
  let socket: Socket | undefined;
  let server: Server | undefined;
  let port: number;
  if (kind === 'tcp-listen') {
    server = createServer((s) => {
      socket = s;
      s.on('data', (d: Buffer) => chunks.push(d));
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
    const a = server.address();
    port = a && typeof a === 'object' ? a.port : 0;
  } else port = 9; // discard: the offer's port is not used when the platform connects
  return {
    port,
    packets: () => deframe4571(Buffer.concat(chunks)),
    connectTo(host, p) {
      socket = connect({ host, port: p });
      socket.on('data', (d: Buffer) => chunks.push(d));
      socket.on('error', () => {});
    },
    close() {
      socket?.destroy();
      server?.close();
    },
  };
}

// GB/T 28181 device simulator: its own SIP message text (RFC 3261 wire format written and read by hand, bodies as bytes), unlike Argus's `sip` stack.
import { randomBytes } from 'node:crypto';

/** A SIP request or response; header names are stored lower-case in their long form, values in order of arrival. */
export interface SipMsg {
  kind: 'request' | 'response';
  method: string;
  uri: string;
  status: number;
  reason: string;
  headers: Map<string, string[]>;
  body: Buffer;
}

/** RFC 3261 7.3.3 compact forms (long name → letter). */
const COMPACT: Record<string, string> = {
  'call-id': 'i',
  contact: 'm',
  'content-encoding': 'e',
  'content-length': 'l',
  'content-type': 'c',
  from: 'f',
  subject: 's',
  supported: 'k',
  to: 't',
  via: 'v',
};
const LONG: Record<string, string> = Object.fromEntries(Object.entries(COMPACT).map(([k, v]) => [v, k]));

/** Canonical capitalisation of a header's long name ("call-id" → "Call-ID", "www-authenticate" → "WWW-Authenticate"). */
function canonical(name: string): string {
  const special: Record<string, string> = { 'call-id': 'Call-ID', cseq: 'CSeq', 'www-authenticate': 'WWW-Authenticate' };
  return special[name] ?? name.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
}

export function header(msg: SipMsg, name: string): string | undefined {
  return msg.headers.get(name.toLowerCase())?.[0];
}

export function headerAll(msg: SipMsg, name: string): string[] {
  return msg.headers.get(name.toLowerCase()) ?? [];
}

/** Writes a message; `compact` uses the one-letter header names where RFC 3261 defines them. Content-Length is computed. */
export function formatMsg(start: string, headers: Array<[string, string | number]>, body: Buffer = Buffer.alloc(0), opts: { compact?: boolean } = {}): Buffer {
  const lines = [start];
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    if (lower === 'content-length') continue;
    lines.push(`${opts.compact && COMPACT[lower] ? COMPACT[lower] : canonical(lower)}: ${value}`);
  }
  lines.push(`${opts.compact ? 'l' : 'Content-Length'}: ${body.length}`);
  return Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1'), body]);
}

/** Parses one whole datagram (UDP). Returns null for something that is not SIP. */
export function parseMsg(buf: Buffer): SipMsg | null {
  const end = buf.indexOf('\r\n\r\n');
  const headEnd = end >= 0 ? end : buf.length;
  const msg = parseHead(buf.subarray(0, headEnd).toString('latin1'));
  if (!msg) return null;
  const rest = end >= 0 ? buf.subarray(end + 4) : Buffer.alloc(0);
  const len = Number(header(msg, 'content-length') ?? rest.length);
  msg.body = rest.subarray(0, Number.isFinite(len) ? len : rest.length);
  return msg;
}

function parseHead(text: string): SipMsg | null {
  const lines = text.split(/\r?\n/);
  // Unfold continuation lines (RFC 3261 7.3.1).
  const unfolded: string[] = [];
  for (const line of lines) {
    if (/^[ \t]/.test(line) && unfolded.length > 0) unfolded[unfolded.length - 1] += ' ' + line.trim();
    else unfolded.push(line);
  }
  const first = unfolded.shift() ?? '';
  const msg: SipMsg = { kind: 'request', method: '', uri: '', status: 0, reason: '', headers: new Map(), body: Buffer.alloc(0) };
  let m = /^SIP\/2\.0\s+(\d{3})\s*(.*)$/i.exec(first);
  if (m) {
    msg.kind = 'response';
    msg.status = Number(m[1]);
    msg.reason = m[2];
  } else {
    m = /^([A-Za-z]+)\s+(\S+)\s+SIP\/2\.0$/i.exec(first.trim());
    if (!m) return null;
    msg.method = m[1].toUpperCase();
    msg.uri = m[2];
  }
  for (const line of unfolded) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    let name = line.slice(0, colon).trim().toLowerCase();
    name = LONG[name] ?? name;
    const value = line.slice(colon + 1).trim();
    // Via and Contact may carry several comma-separated values on one line (not inside quotes).
    const values = name === 'via' ? splitComma(value) : [value];
    const list = msg.headers.get(name) ?? [];
    list.push(...values);
    msg.headers.set(name, list);
  }
  return msg;
}

function splitComma(value: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of value) {
    if (ch === '"') quoted = !quoted;
    if (ch === ',' && !quoted) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

/** Incremental reader of a SIP-over-TCP byte stream (RFC 3261 18.3: framing by Content-Length; CRLF keep-alives skipped). */
export class SipStreamReader {
  private buf: Buffer = Buffer.alloc(0);
  push(chunk: Buffer): SipMsg[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: SipMsg[] = [];
    for (;;) {
      while (this.buf.length >= 2 && this.buf[0] === 0x0d && this.buf[1] === 0x0a) this.buf = this.buf.subarray(2);
      const end = this.buf.indexOf('\r\n\r\n');
      if (end < 0) {
        if (this.buf.length > 64 * 1024) this.buf = Buffer.alloc(0); // garbage: drop it
        return out;
      }
      const msg = parseHead(this.buf.subarray(0, end).toString('latin1'));
      const len = msg ? Number(header(msg, 'content-length') ?? 0) || 0 : 0;
      if (this.buf.length < end + 4 + len) return out;
      if (msg) {
        msg.body = Buffer.from(this.buf.subarray(end + 4, end + 4 + len));
        out.push(msg);
      }
      this.buf = this.buf.subarray(end + 4 + len);
    }
  }
}

/** `;name=value` parameter of a header value (tag, branch, received, rport). */
export function param(value: string | undefined, name: string): string | undefined {
  if (!value) return undefined;
  const m = new RegExp(`;\\s*${name}(?:=([^;,\\s>]*))?`, 'i').exec(value);
  return m ? (m[1] ?? '') : undefined;
}

/** The URI inside a name-addr (`"x" <sip:a@b>;tag=1` → `sip:a@b`) or the bare URI. */
export function uriOf(value: string): string {
  const m = /<([^>]*)>/.exec(value);
  return (m ? m[1] : value.split(';')[0]).trim();
}

/** `sip:user@host:port;params` → its parts. */
export function parseUri(uri: string): { user: string; host: string; port: number | undefined } {
  const m = /^sips?:(?:([^@]*)@)?([^:;>]+)(?::(\d+))?/i.exec(uri.trim());
  return { user: m?.[1] ?? '', host: m?.[2] ?? '', port: m?.[3] ? Number(m[3]) : undefined };
}

export function newTag(): string {
  return randomBytes(4).readUInt32BE(0).toString();
}

export function newBranch(): string {
  return 'z9hG4bK' + randomBytes(6).toString('hex');
}

export function newCallId(host: string): string {
  return `${randomBytes(8).toString('hex')}@${host}`;
}

/** Parses `Digest realm="x", nonce="y", qop="auth"` (quoted or not) into lower-case keys. */
export function parseAuthParams(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  const rest = value.replace(/^\s*Digest\s+/i, '');
  const re = /([A-Za-z-]+)\s*=\s*(?:"([^"]*)"|([^,\s]+))/g;
  for (let m = re.exec(rest); m; m = re.exec(rest)) out[m[1].toLowerCase()] = m[2] ?? m[3];
  return out;
}

/**
 * Builds a response to `req`: Via, From, To (with our tag when missing), Call-ID and CSeq copied; on UDP the top Via
 * gets received/rport filled like RFC 3581 asks of the server side (the simulator answers requests, too).
 */
export function responseTo(
  req: SipMsg,
  status: number,
  reason: string,
  toTag: string,
  extra: Array<[string, string | number]> = [],
  body?: Buffer,
  opts: { compact?: boolean } = {},
): Buffer {
  const headers: Array<[string, string | number]> = [];
  for (const via of headerAll(req, 'via')) headers.push(['Via', via]);
  headers.push(['From', header(req, 'from') ?? '']);
  const to = header(req, 'to') ?? '';
  headers.push(['To', param(to, 'tag') === undefined && status > 100 ? `${to};tag=${toTag}` : to]);
  headers.push(['Call-ID', header(req, 'call-id') ?? '']);
  headers.push(['CSeq', header(req, 'cseq') ?? '']);
  headers.push(...extra);
  return formatMsg(`SIP/2.0 ${status} ${reason}`, headers, body, opts);
}

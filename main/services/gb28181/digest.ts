// SIP digest authentication (RFC 2617/3261, MD5, qop=auth or none) for REGISTER: stateless signed nonces with an expiry (stale) and response checks.
import crypto from 'node:crypto';

/** How long a nonce is accepted; after that a correct answer gets a fresh challenge with stale=TRUE. */
export const NONCE_TTL_MS = 5 * 60_000;

const md5 = (s: string): string => crypto.createHash('md5').update(s, 'utf8').digest('hex');
const unquote = (v: string | undefined): string => (v ?? '').replace(/^"(.*)"$/, '$1');

export interface DigestAnswer {
  username: string;
  realm: string;
  nonce: string;
  uri: string;
  response: string;
  qop: string;
  nc: string;
  cnonce: string;
  algorithm: string;
}

/** The Authorization header's Digest fields (quotes removed); null when there is none or it is not Digest. */
export function digestAnswer(authorization: Array<Record<string, string>> | undefined): DigestAnswer | null {
  const a = authorization?.find((x) => (x.scheme ?? '').toLowerCase() === 'digest');
  if (!a) return null;
  const get = (k: string) => unquote(Object.entries(a).find(([n]) => n.toLowerCase() === k)?.[1]);
  return {
    username: get('username'),
    realm: get('realm'),
    nonce: get('nonce'),
    uri: get('uri'),
    response: get('response').toLowerCase(),
    qop: get('qop'),
    nc: get('nc'),
    cnonce: get('cnonce'),
    algorithm: get('algorithm') || 'MD5',
  };
}

export class DigestAuth {
  private readonly key = crypto.randomBytes(32);

  constructor(
    readonly realm: string,
    private readonly now: () => number,
  ) {}

  nonce(): string {
    const t = String(this.now());
    const sig = crypto.createHmac('sha256', this.key).update(t).digest('base64url').slice(0, 22);
    return `${Buffer.from(t).toString('base64url')}.${sig}`;
  }

  /** The WWW-Authenticate value (the `sip` package's header object form). */
  challenge(stale = false): Record<string, string> {
    const c: Record<string, string> = { scheme: 'Digest', realm: `"${this.realm}"`, nonce: `"${this.nonce()}"`, algorithm: 'MD5', qop: '"auth"' };
    if (stale) c.stale = 'TRUE';
    return c;
  }

  /** 'ok' while the nonce is ours and fresh, 'stale' when ours but expired, 'bad' when not ours. */
  nonceState(nonce: string): 'ok' | 'stale' | 'bad' {
    const [tPart, sig] = nonce.split('.');
    if (!tPart || !sig) return 'bad';
    const t = Buffer.from(tPart, 'base64url').toString();
    if (!/^\d+$/.test(t)) return 'bad';
    const want = crypto.createHmac('sha256', this.key).update(t).digest('base64url').slice(0, 22);
    if (want.length !== sig.length || !crypto.timingSafeEqual(Buffer.from(want), Buffer.from(sig))) return 'bad';
    const age = this.now() - Number(t);
    return age >= 0 && age <= NONCE_TTL_MS ? 'ok' : 'stale';
  }

  /** True when `a` answers the challenge for `password` (MD5; qop=auth, or the RFC 2069 form without qop). */
  verify(a: DigestAnswer, method: string, password: string): boolean {
    if (a.algorithm.toUpperCase() !== 'MD5') return false;
    const ha1 = md5(`${a.username}:${a.realm}:${password}`);
    const ha2 = md5(`${method}:${a.uri}`);
    const want = a.qop ? md5(`${ha1}:${a.nonce}:${a.nc}:${a.cnonce}:${a.qop}:${ha2}`) : md5(`${ha1}:${a.nonce}:${ha2}`);
    return want.length === a.response.length && crypto.timingSafeEqual(Buffer.from(want), Buffer.from(a.response));
  }
}

/** The answer a device computes (tests and the benchmark's raw client use it). */
export function digestResponse(o: {
  username: string;
  realm: string;
  password: string;
  method: string;
  uri: string;
  nonce: string;
  qop?: string;
  nc?: string;
  cnonce?: string;
}): string {
  const ha1 = md5(`${o.username}:${o.realm}:${o.password}`);
  const ha2 = md5(`${o.method}:${o.uri}`);
  return o.qop ? md5(`${ha1}:${o.nonce}:${o.nc}:${o.cnonce}:${o.qop}:${ha2}`) : md5(`${ha1}:${o.nonce}:${ha2}`);
}

// GB/T 28181 device simulator: the digest answer to a 401/407 challenge (RFC 2617: MD5, with or without qop=auth).
import { createHash, randomBytes } from 'node:crypto';
import { parseAuthParams } from './sip-text';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

/** The Authorization header value for `method uri` answering the challenge header value `challenge`. */
export function digestAuthorization(challenge: string, opts: { username: string; password: string; method: string; uri: string; nc: number }): string {
  const c = parseAuthParams(challenge);
  const realm = c.realm ?? '';
  const nonce = c.nonce ?? '';
  const ha1 = md5(`${opts.username}:${realm}:${opts.password}`);
  const ha2 = md5(`${opts.method}:${opts.uri}`);
  const qop = c.qop
    ?.split(',')
    .map((q) => q.trim())
    .find((q) => q === 'auth');
  const parts = [`username="${opts.username}"`, `realm="${realm}"`, `nonce="${nonce}"`, `uri="${opts.uri}"`];
  let response: string;
  if (qop) {
    const nc = opts.nc.toString(16).padStart(8, '0');
    const cnonce = randomBytes(6).toString('hex');
    response = md5(`${ha1}:${nonce}:${nc}:${cnonce}:${qop}:${ha2}`);
    parts.push(`response="${response}"`, `algorithm=MD5`, `qop=${qop}`, `nc=${nc}`, `cnonce="${cnonce}"`);
  } else {
    response = md5(`${ha1}:${nonce}:${ha2}`);
    parts.push(`response="${response}"`, `algorithm=MD5`);
  }
  if (c.opaque !== undefined) parts.push(`opaque="${c.opaque}"`);
  return `Digest ${parts.join(',')}`;
}

/** For the in-test registrar: checks an Authorization header against the password (no qop or qop=auth). */
export function digestValid(authorization: string, password: string, method: string): boolean {
  const a = parseAuthParams(authorization);
  const ha1 = md5(`${a.username}:${a.realm}:${password}`);
  const ha2 = md5(`${method}:${a.uri}`);
  const expected = a.qop ? md5(`${ha1}:${a.nonce}:${a.nc}:${a.cnonce}:${a.qop}:${ha2}`) : md5(`${ha1}:${a.nonce}:${ha2}`);
  return expected === a.response;
}

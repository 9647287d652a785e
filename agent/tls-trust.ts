// How the field agent trusts the Argus server: a site CA file and/or a pinned SHA-256 of its certificate or public key; its HTTPS requests and WebSocket go through one checked connector.
import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';

/** What the agent was told to trust (command line: --ca FILE, --pin PIN). */
export interface TrustOptions {
  /** PEM file of the site CA (npm run make-cert's ca.pem): the server's chain and host name are checked against it. */
  caFile?: string;
  /**
   * The server's certificate SHA-256 (64 hex digits, colons allowed, as `openssl x509 -fingerprint -sha256` prints it) or
   * its public key's, `sha256/<base64>` (as make-cert prints it; survives a renewal with the same key).
   */
  pin?: string;
}

export interface ServerTrust {
  ca: Buffer | null;
  pin: { kind: 'cert'; hex: string } | { kind: 'spki'; base64: string } | null;
  /** The CA file (ffmpeg's RTMPS push checks the hub's certificate against it). */
  caFile: string | null;
}

/** The server's certificate is not the one the agent was told to trust: nothing was sent. */
export class ServerCertificateRefused extends Error {}

/** Reads and checks --ca/--pin; null when neither is given. Throws with what is wrong. */
export function resolveTrust(o: TrustOptions): ServerTrust | null {
  if (!o.caFile && !o.pin) return null;
  let ca: Buffer | null = null;
  if (o.caFile) {
    try {
      ca = fs.readFileSync(o.caFile);
      new crypto.X509Certificate(ca);
    } catch (err) {
      throw new Error(`--ca ${o.caFile} is not a readable PEM certificate (${(err as Error).message})`, { cause: err });
    }
  }
  let pin: ServerTrust['pin'] = null;
  if (o.pin) {
    const hex = o.pin.replace(/:/g, '').toUpperCase();
    if (/^[0-9A-F]{64}$/.test(hex)) pin = { kind: 'cert', hex };
    else if (/^sha256\/[A-Za-z0-9+/]{43}=$/.test(o.pin)) pin = { kind: 'spki', base64: o.pin.slice(7) };
    else throw new Error(`--pin ${JSON.stringify(o.pin)} is neither a certificate SHA-256 (64 hex digits) nor sha256/<base64 of the public key's SHA-256>`);
  }
  return { ca, pin, caFile: o.caFile ?? null };
}

/** Why `cert` does not match the pin, or null when it does. */
export function pinMismatch(cert: tls.PeerCertificate, pin: NonNullable<ServerTrust['pin']>): string | null {
  if (!cert?.raw) return 'the server sent no certificate';
  const x509 = new crypto.X509Certificate(cert.raw);
  switch (pin.kind) {
    case 'cert': {
      const got = x509.fingerprint256.replace(/:/g, '');
      return got === pin.hex ? null : `the server's certificate SHA-256 is ${x509.fingerprint256}, not the pinned one`;
    }
    case 'spki': {
      const got = crypto
        .createHash('sha256')
        .update(x509.publicKey.export({ type: 'spki', format: 'der' }))
        .digest('base64');
      return got === pin.base64 ? null : `the server's public key is sha256/${got}, not the pinned one`;
    }
    default:
      return ((x: never) => x)(pin);
  }
}

/**
 * tls.connect with the trust applied: the CA (chain and host name checked by Node) and/or the pin, checked as the
 * handshake completes and before any request byte is written (a mismatch destroys the socket with ServerCertificateRefused).
 */
export function trustedConnector(trust: ServerTrust): (opts: tls.ConnectionOptions) => tls.TLSSocket {
  return (opts) => {
    const host = opts.host ?? 'localhost';
    const socket = tls.connect({
      ...opts,
      ca: trust.ca ?? undefined,
      // Pin alone: the chain is not from a known CA, the pin is the check (below).
      rejectUnauthorized: trust.ca !== null,
      servername: net.isIP(host) ? undefined : host,
    });
    const pin = trust.pin;
    if (pin) {
      socket.once('secureConnect', () => {
        const why = pinMismatch(socket.getPeerCertificate(), pin);
        if (why) socket.destroy(new ServerCertificateRefused(`refusing ${host}: ${why}`));
      });
    }
    return socket;
  };
}

/** The error a refused certificate (or Node's own check) left on a failed request, worded for the operator. */
export function tlsFailure(err: unknown): string | null {
  const e = (err as Error & { cause?: Error })?.cause ?? (err as Error);
  if (e instanceof ServerCertificateRefused) return e.message;
  const code = (e as NodeJS.ErrnoException)?.code ?? '';
  if (/CERT|SELF_SIGNED|UNABLE_TO|ERR_TLS/.test(code)) return `the server's certificate is not trusted (${code}: ${e.message}); check --ca or --pin`;
  return null;
}

/** A fetch for https:// URLs only, through trustedConnector; plain http:// is refused (the stream key would cross in clear). */
export function trustedFetch(trust: ServerTrust): typeof fetch {
  const connect = trustedConnector(trust);
  return ((input: string | URL, init: RequestInit = {}) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(String(input));
      if (url.protocol !== 'https:')
        return reject(new ServerCertificateRefused(`refusing to send to ${url.protocol}//${url.host}: TLS is configured (--ca/--pin), use https://`));
      const headers = Object.fromEntries(new Headers(init.headers).entries());
      const req = https.request(
        url,
        {
          method: init.method ?? 'GET',
          headers,
          agent: undefined,
          createConnection: connect as unknown as https.RequestOptions['createConnection'],
          signal: init.signal ?? undefined,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const h = new Headers();
            for (const [k, v] of Object.entries(res.headers)) for (const one of Array.isArray(v) ? v : v === undefined ? [] : [v]) h.append(k, one);
            const status = res.statusCode ?? 502;
            resolve(new Response(status === 204 || status === 304 ? null : Buffer.concat(chunks), { status, headers: h }));
          });
        },
      );
      req.on('error', (err) => reject(new TypeError('fetch failed', { cause: err })));
      if (typeof init.body === 'string') req.write(init.body);
      req.end();
    })) as typeof fetch;
}

/** Throws when TLS is configured but `url` would send the stream key in clear (http://, ws://, rtmp://). */
export function requireSecureUrl(url: string, what: string): void {
  const p = new URL(url).protocol;
  if (p !== 'https:' && p !== 'wss:' && p !== 'rtmps:')
    throw new ServerCertificateRefused(`${what} is ${p}//: TLS is configured (--ca/--pin), so the stream key is never sent in clear; refusing`);
}

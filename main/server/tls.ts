// TLS on the Argus port: the certificate and key from the settings (checked at start), and the front door that hands TLS to HTTPS and plain HTTP to a redirect or a refusal.
import crypto from 'node:crypto';
import fs from 'node:fs';
import type http from 'node:http';
import type https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { msg } from '../../common/messages';
import { ErrorKind } from '../../common/errors';
import type { Config } from '../config';
import { ApiError, toErrorResponse } from './errors';
import { sendJson } from './router';

/** The site certificate and key, read and checked. */
export interface TlsMaterial {
  cert: Buffer;
  key: Buffer;
  certFile: string;
  /** SHA-256 of the leaf certificate (colon-separated hex, as `openssl x509 -fingerprint -sha256` prints it). */
  fingerprint256: string;
  /** SHA-256 of the leaf's SubjectPublicKeyInfo, base64 (the agent's `--pin sha256/...` and Chromium's SPKI list). */
  spkiSha256: string;
  validToMs: number;
}

/** HSTS on every HTTPS answer: browsers that saw it never try plain HTTP on this host again (one year). */
export const HSTS = 'max-age=31536000';

/** A start-stopping TLS problem; the message names the setting. */
export class TlsConfigError extends Error {}

/** Reads tlsCertFile/tlsKeyFile (relative to the data dir); null when neither is set. Throws TlsConfigError naming the setting. */
export function loadTls(config: Pick<Config, 'dataDir' | 'tlsCertFile' | 'tlsKeyFile'>, now = Date.now()): TlsMaterial | null {
  const { tlsCertFile, tlsKeyFile } = config;
  if (!tlsCertFile && !tlsKeyFile) return null;
  if (!tlsCertFile || !tlsKeyFile)
    throw new TlsConfigError(`TLS needs both tlsCertFile and tlsKeyFile; only ${tlsCertFile ? 'tlsCertFile' : 'tlsKeyFile'} is set`);
  const certFile = path.resolve(config.dataDir, tlsCertFile);
  const keyFile = path.resolve(config.dataDir, tlsKeyFile);
  const read = (file: string, setting: string): Buffer => {
    try {
      return fs.readFileSync(file);
    } catch (err) {
      throw new TlsConfigError(`${setting} ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
  };
  const cert = read(certFile, 'tlsCertFile');
  const key = read(keyFile, 'tlsKeyFile');
  let x509: crypto.X509Certificate;
  try {
    x509 = new crypto.X509Certificate(cert);
  } catch (err) {
    throw new TlsConfigError(`tlsCertFile ${certFile} is not a PEM certificate (${(err as Error).message})`);
  }
  let privateKey: crypto.KeyObject;
  try {
    privateKey = crypto.createPrivateKey(key);
  } catch (err) {
    throw new TlsConfigError(`tlsKeyFile ${keyFile} is not a PEM private key (${(err as Error).message})`);
  }
  if (!x509.checkPrivateKey(privateKey)) throw new TlsConfigError(`tlsKeyFile ${keyFile} is not the key of the certificate in tlsCertFile ${certFile}`);
  const validToMs = Date.parse(x509.validTo);
  if (validToMs < now) throw new TlsConfigError(`tlsCertFile ${certFile} expired on ${x509.validTo}; make a new one (docs/tls.md)`);
  const spki = x509.publicKey.export({ type: 'spki', format: 'der' });
  return {
    cert,
    key,
    certFile,
    fingerprint256: x509.fingerprint256,
    spkiSha256: crypto.createHash('sha256').update(spki).digest('base64'),
    validToMs,
  };
}

/** Host names and addresses a Location header may carry (no userinfo, path or spaces). */
const HOST_RE = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/;

/** The plain-HTTP answer when TLS is on: a 308 to the same path over HTTPS on `httpsPort`, or a 400. */
export function plainHttpHandler(mode: Config['httpMode'], httpsPort: () => number, fallbackHost: string, log: (m: string) => void): http.RequestListener {
  return (req, res) => {
    const hostHeader = req.headers.host ?? '';
    const m = HOST_RE.exec(hostHeader);
    const host = m ? m[1] : fallbackHost.includes(':') ? `[${fallbackHost}]` : fallbackHost;
    res.setHeader('Connection', 'close');
    switch (mode) {
      case 'redirect': {
        const target = `https://${host}:${httpsPort()}${(req.url ?? '/').startsWith('/') ? (req.url ?? '/') : '/'}`;
        res.writeHead(308, { Location: target, 'Content-Length': 0, 'Cache-Control': 'no-store' });
        res.end();
        return;
      }
      case 'refuse': {
        const e = toErrorResponse(new ApiError(ErrorKind.BadRequest, msg('server.https_required')), log);
        sendJson(res, e.status, e.body);
        return;
      }
      default:
        return ((x: never) => x)(mode);
    }
  };
}

/**
 * The listener of the Argus port with TLS on: a connection whose first byte opens a TLS handshake (0x16) goes to the
 * HTTPS server, anything else to `plain` (the redirect or refusal), so a browser typing http:// is told where to go.
 */
export function frontDoor(secure: https.Server, plain: http.Server): net.Server {
  return net.createServer((socket) => {
    socket.once('error', () => socket.destroy());
    socket.setTimeout(30_000, () => socket.destroy());
    socket.once('data', (first: Buffer) => {
      socket.pause();
      socket.setTimeout(0);
      socket.unshift(first);
      // The TLS socket takes over the handle and replays what is buffered (the byte read here); resuming would lose it.
      if (first[0] === 0x16) secure.emit('connection', socket);
      else {
        plain.emit('connection', socket);
        socket.resume();
      }
    });
  });
}

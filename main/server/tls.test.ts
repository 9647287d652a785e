// The TLS settings' checks (missing, mismatched, expired, half-set) and the front door's plain-HTTP answers (redirect, refuse) on a real port.
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCert, type MadeCert } from '../../scripts/make-cert';
import { frontDoor, loadTls, plainHttpHandler, TlsConfigError } from './tls';

let tmp: string;
let cert: MadeCert;
let other: MadeCert;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-tls-unit-'));
  cert = makeCert({ hosts: ['localhost'], ips: ['127.0.0.1'], outDir: path.join(tmp, 'a') });
  other = makeCert({ hosts: ['localhost'], ips: [], outDir: path.join(tmp, 'b') });
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('loadTls', () => {
  it('is off without either file, and reads a good pair (relative to the data dir) with its fingerprints', () => {
    expect(loadTls({ dataDir: tmp, tlsCertFile: undefined, tlsKeyFile: undefined })).toBeNull();
    const t = loadTls({ dataDir: tmp, tlsCertFile: 'a/server.pem', tlsKeyFile: 'a/server-key.pem' })!;
    expect(t.certFile).toBe(cert.certFile);
    expect(t.fingerprint256).toBe(cert.fingerprint256);
    expect(t.spkiSha256).toBe(cert.spkiSha256);
  });

  it('names the setting for a half-set pair, a missing file, a non-PEM file, a key of another certificate and an expired certificate', () => {
    const load = (c?: string, k?: string, now?: number) => () => loadTls({ dataDir: tmp, tlsCertFile: c, tlsKeyFile: k }, now);
    expect(load(cert.certFile, undefined)).toThrow(new TlsConfigError('TLS needs both tlsCertFile and tlsKeyFile; only tlsCertFile is set'));
    expect(load(undefined, cert.keyFile)).toThrow('only tlsKeyFile is set');
    expect(load(path.join(tmp, 'none.pem'), cert.keyFile)).toThrow(`tlsCertFile ${path.join(tmp, 'none.pem')} cannot be read (ENOENT)`);
    fs.writeFileSync(path.join(tmp, 'junk.pem'), 'not a certificate');
    expect(load(path.join(tmp, 'junk.pem'), cert.keyFile)).toThrow(/^tlsCertFile .*junk.pem is not a PEM certificate/);
    expect(load(cert.certFile, path.join(tmp, 'junk.pem'))).toThrow(/^tlsKeyFile .*junk.pem is not a PEM private key/);
    expect(load(cert.certFile, other.keyFile)).toThrow(/^tlsKeyFile .* is not the key of the certificate in tlsCertFile/);
    expect(load(cert.certFile, cert.keyFile, Date.now() + 400 * 86_400_000)).toThrow(/^tlsCertFile .* expired on /);
  });
});

describe('frontDoor', () => {
  const servers: { close(): void }[] = [];
  afterAll(() => servers.forEach((s) => s.close()));

  async function door(mode: 'redirect' | 'refuse'): Promise<number> {
    const t = loadTls({ dataDir: tmp, tlsCertFile: cert.certFile, tlsKeyFile: cert.keyFile })!;
    const secure = https.createServer({ cert: t.cert, key: t.key }, (_req, res) => res.end('over TLS'));
    let port = 0;
    const plain = http.createServer(
      plainHttpHandler(
        mode,
        () => port,
        '127.0.0.1',
        () => undefined,
      ),
    );
    const front = frontDoor(secure, plain);
    await new Promise<void>((r) => front.listen(0, '127.0.0.1', r));
    port = (front.address() as AddressInfo).port;
    servers.push({ close: () => (front.close(), secure.closeAllConnections(), plain.closeAllConnections()) });
    return port;
  }
  const get = (mod: typeof http | typeof https, url: string, ca?: string) =>
    new Promise<{ status: number; location?: string; body: string }>((resolve, reject) => {
      mod
        .get(url, { agent: false, ...(ca ? { ca: fs.readFileSync(ca) } : {}) }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += String(c)));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body }));
        })
        .on('error', reject);
    });

  it('hands TLS to the HTTPS server and answers plain HTTP on the same port with a 308 to https://', async () => {
    const port = await door('redirect');
    for (let i = 0; i < 2; i++) {
      expect(await get(https, `https://127.0.0.1:${port}/x`, cert.caFile)).toMatchObject({ status: 200, body: 'over TLS' });
      expect(await get(http, `http://127.0.0.1:${port}/a/b?c=1`)).toMatchObject({ status: 308, location: `https://127.0.0.1:${port}/a/b?c=1` });
    }
    // curl, a client of its own, sees the same (and the certificate verifies against the site CA with the SAN).
    const { stdout } = await promisify(execFile)('curl', ['-s', '--max-time', '20', '--cacert', cert.caFile, `https://localhost:${port}/`]);
    expect(stdout).toBe('over TLS');
  });

  it('refuses plain HTTP with a 400 saying HTTPS only (nothing served), in refuse mode', async () => {
    const port = await door('refuse');
    const r = await get(http, `http://127.0.0.1:${port}/api/v1/cameras`);
    expect(r.status).toBe(400);
    expect(r.location).toBeUndefined();
    expect(JSON.parse(r.body)).toMatchObject({ error: { code: 'server.https_required' } });
    expect(await get(https, `https://127.0.0.1:${port}/`, cert.caFile)).toMatchObject({ status: 200 });
  });
});

// End to end over TLS: a site certificate from `npm run make-cert`, the console over HTTPS/WSS in headless Chromium, plain HTTP redirected, a unit over RTMPS, the agent's certificate check.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UnitKey } from '../../common/api';
import { fetchUnitConfig, UnitConfigRefused } from '../../agent/unit-config';
import { resolveTrust, trustedFetch } from '../../agent/tls-trust';
import { UnitAgent } from '../../agent/unit-agent';
import { makeCert, type MadeCert } from '../../scripts/make-cert';
import { ensureClip } from '../helpers/clips';
import { freePort } from '../helpers/net';
import { decodeErrors } from '../helpers/media-assert';
import { publishRtmp, type Publisher } from '../helpers/rtmp';
import { launchBrowser, openConsole, startServer, waitFor, type ConsolePage, type TestServer } from '../harness';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
let tmp: string;
let cert: MadeCert;
let other: MadeCert;
let srv: TestServer;
let clip: string;
let redirectPort: number;
let unit: UnitKey;
const publishers: Publisher[] = [];
let ui: ConsolePage | null = null;
const agents: UnitAgent[] = [];

/** A plain-HTTP GET to the server's port; resolves with status and Location. */
function plainGet(port: number, p: string): Promise<{ status: number; location?: string; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: p, agent: false }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += String(c)));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body }));
      })
      .on('error', reject);
  });
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-tls-'));
  cert = makeCert({ hosts: ['localhost'], ips: ['127.0.0.1'], outDir: path.join(tmp, 'site') });
  other = makeCert({ hosts: ['localhost'], ips: ['127.0.0.1'], outDir: path.join(tmp, 'other') });
  clip = await ensureClip({ width: 320, height: 240, fps: 25, seconds: 4, bitrateKbps: 300, audio: false });
  redirectPort = await freePort();
  srv = await startServer({
    tag: 'e2e-tls',
    console: true,
    trustCa: cert.caFile,
    overrides: { tlsCertFile: cert.certFile, tlsKeyFile: cert.keyFile, rtmpsPort: 0, httpMode: 'redirect', httpRedirectPort: redirectPort, logLevel: 'debug' }, // debug: GET lines too (requests counted below)
  });
  unit = await srv.client.ok<UnitKey>('POST', '/api/v1/units', { callsign: 'Car 9', type: 'vehicle', segmentSeconds: 2 }, 201);
}, 180_000);

afterAll(async () => {
  for (const a of agents) await a.close();
  for (const p of publishers) await p.kill();
  await ui?.close();
  await srv?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('TLS on the Argus port (certificate from make-cert)', () => {
  it('serves the API over HTTPS with HSTS, the security headers unchanged, and redirects plain HTTP on the same port', async () => {
    expect(srv.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const port = Number(new URL(srv.url).port);
    const r = await srv.client.call('GET', '/api/v1/cameras');
    expect(r.status).toBe(200);
    expect(r.headers.get('strict-transport-security')).toBe('max-age=31536000');
    expect(r.headers.get('x-frame-options')).toBe('DENY');
    expect(r.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(r.headers.get('set-cookie')).toBeNull(); // no cookies at all (bearer tokens), so none to mark Secure
    const plain = await plainGet(port, '/api/v1/cameras?x=1');
    expect(plain.status).toBe(308);
    expect(plain.location).toBe(`https://127.0.0.1:${port}/api/v1/cameras?x=1`);
    // The extra plain port (like port 80) only redirects, to the HTTPS port.
    expect(await plainGet(redirectPort, '/')).toMatchObject({ status: 308, location: `https://127.0.0.1:${port}/` });
    // A client that trusts another CA is refused by its own check: the certificate really is the site's.
    const wrong = await trustedFetch(resolveTrust({ caFile: other.caFile })!)(`${srv.url}/api/v1/health`).catch((e: Error) => e);
    expect(wrong).toBeInstanceOf(Error);
    // The publish URL handed to units is RTMPS on the hub's TLS port.
    expect(unit.publishUrl).toBe(`rtmps://127.0.0.1:${srv.backend.hub.securePort}/live/${unit.unit.id}?key=${unit.streamKey}`);
  });

  it('a unit publishing over RTMPS (ffmpeg, certificate verified against the CA) goes online and is recorded; plain RTMP is refused', async () => {
    const id = unit.unit.id;
    const p = publishRtmp(unit.publishUrl, clip, { loop: true, output: ['-tls_verify', '1', '-ca_file', cert.caFile] });
    publishers.push(p);
    await waitFor(() => srv.backend.hub.publisher(`/live/${id}`)?.secure === true, { what: 'RTMPS publisher accepted', timeoutMs: 30_000 });
    const segs = await waitFor(
      async () => {
        const s = (await srv.backend.store.segments.listRange(id, 0, Date.now() + 3_600_000, 100)).filter((x) => x.state === 'closed');
        return s.length >= 1 ? s : null;
      },
      { what: 'a closed segment of the RTMPS unit', timeoutMs: 60_000 },
    );
    expect(decodeErrors(path.join(srv.backend.config.recordingsDir, segs[0].relPath))).toBe('');
    // The same key over plain RTMP: refused (the key would have crossed in clear; a unit must be moved to RTMPS).
    const plainUrl = `rtmp://127.0.0.1:${srv.backend.hub.port}/live/${id}?key=${unit.streamKey}`;
    const plain = publishRtmp(plainUrl, clip, { loop: true });
    publishers.push(plain);
    const code = await Promise.race([plain.exited, new Promise((r) => setTimeout(() => r('still running'), 20_000))]);
    expect(code).not.toBe('still running');
    const audit = await srv.backend.store.audit.query({ action: 'unit.publish_rejected', limit: 10 });
    expect(audit.some((a) => a.targetId === String(id) && JSON.stringify(a.detail).includes('plain_rtmp'))).toBe(true);
    expect(srv.backend.hub.publisher(`/live/${id}`)?.secure).toBe(true); // the RTMPS publisher was not replaced
  });

  it('the console runs over HTTPS in headless Chromium (SPKI trusted): signs in, the event stream over WSS is open, a live tile decodes frames', async () => {
    ui = await openConsole(srv.url, { user: { username: 'admin', password: srv.adminPassword }, trustSpki: cert.spkiSha256, localOnly: true });
    const { page } = ui;
    expect(page.url()).toMatch(/^https:/);
    await page.locator('.stream-indicator[data-state=open]').waitFor({ timeout: 30_000 });
    const wsUrls: string[] = [];
    page.on('websocket', (w) => wsUrls.push(w.url()));
    await page.getByRole('tab', { name: 'Live' }).click();
    await page.locator(`.tree-unit[data-unit-id="${unit.unit.id}"][data-state=online]`).waitFor({ timeout: 30_000 });
    await page.dragAndDrop(`.tree-unit[data-unit-id="${unit.unit.id}"]`, '.tile[data-tile-index="0"]');
    const tile = page.locator('.tile[data-tile-index="0"]');
    await tile.and(page.locator('[data-state=playing]')).waitFor({ timeout: 30_000 });
    const frames = () =>
      page.evaluate(() => document.querySelector<HTMLVideoElement>('.tile[data-tile-index="0"] video')?.getVideoPlaybackQuality().totalVideoFrames ?? 0);
    const before = await frames();
    await page.waitForTimeout(2000);
    expect((await frames()) - before, 'frames decoded in 2 s over WSS').toBeGreaterThan(20);
    expect(wsUrls.length).toBeGreaterThan(0);
    for (const u of wsUrls) expect(u).toMatch(/^wss:/);
    expect(ui.pageErrors).toEqual([]);
    // The trust is that key alone: a browser without it refuses the site's certificate.
    const untrusted = await launchBrowser();
    try {
      const page2 = await (await untrusted.newContext()).newPage();
      await expect(page2.goto(srv.url)).rejects.toThrow(/ERR_CERT_AUTHORITY_INVALID/);
    } finally {
      await untrusted.close();
    }
  });

  it('the field agent with the site CA sends GPS over HTTPS/WSS; with a wrong pin it is refused and sends nothing', async () => {
    const trust = resolveTrust({ caFile: cert.caFile })!;
    const cfg = await fetchUnitConfig({ server: srv.url, key: unit.streamKey, log: () => undefined, fetch: trustedFetch(trust) });
    expect(cfg).toMatchObject({ unitId: unit.unit.id, publishUrl: unit.publishUrl });
    const lines: string[] = [];
    const agent = new UnitAgent({ server: srv.url, unitId: unit.unit.id, key: unit.streamKey, bufferFile: null, log: (m) => lines.push(m), trust });
    agents.push(agent);
    agent.start();
    await waitFor(() => agent.uplink.webSocketUp, { what: 'telemetry over WSS', timeoutMs: 30_000 });
    const t0 = Date.now();
    for (let i = 0; i < 3; i++) agent.fix({ tMs: t0 + i * 1000, lat: 31.2 + i * 0.0001, lon: 121.45 });
    await waitFor(async () => (await srv.backend.store.gps.track(unit.unit.id, 0, Date.now() + 3_600_000, 100)).length >= 3, {
      what: 'three GPS points stored',
      timeoutMs: 30_000,
    });

    // A pin of another certificate: the request never goes out (the server logs no request with this unit's key).
    const requestsBefore = srv.logs.filter((l) => l.includes('/gps/agent/unit')).length;
    const wrongPin = resolveTrust({ pin: `sha256/${other.spkiSha256}` })!;
    const err = await fetchUnitConfig({ server: srv.url, key: unit.streamKey, log: () => undefined, fetch: trustedFetch(wrongPin) }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(UnitConfigRefused);
    expect((err as Error).message).toMatch(/not the pinned one.*stream key was not sent/);
    // The right pin works (SPKI and certificate hash forms).
    for (const pin of [`sha256/${cert.spkiSha256}`, cert.fingerprint256]) {
      const ok = await fetchUnitConfig({ server: srv.url, key: unit.streamKey, log: () => undefined, fetch: trustedFetch(resolveTrust({ pin })!) });
      expect(ok.unitId).toBe(unit.unit.id);
    }
    await waitFor(() => srv.logs.filter((l) => l.includes('/gps/agent/unit')).length >= requestsBefore + 2, {
      what: 'the two pinned requests logged',
      timeoutMs: 10_000,
    });
    expect(srv.logs.filter((l) => l.includes('/gps/agent/unit')).length).toBe(requestsBefore + 2);

    // The agent's command line: a wrong pin stops it with the reason; plain http:// with --ca is refused before sending.
    const run = (args: string[]) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawnAgent(args);
        let out = '';
        child.stdout!.on('data', (d: Buffer) => (out += String(d)));
        child.stderr!.on('data', (d: Buffer) => (out += String(d)));
        child.on('close', (code) => resolve({ code, out }));
      });
    const pinned = await run(['--server', srv.url, '--key', unit.streamKey, '--pin', other.fingerprint256]);
    expect(pinned.code).toBe(1);
    expect(pinned.out).toContain('not the pinned one');
    const plain = await run(['--server', srv.url.replace('https:', 'http:'), '--key', unit.streamKey, '--ca', cert.caFile]);
    expect(plain.code).toBe(1);
    expect(plain.out).toContain('never sent in clear');
    expect(srv.logs.filter((l) => l.includes('/gps/agent/unit')).length).toBe(requestsBefore + 2);
  }, 120_000);

  it('a wrong certificate path stops the start with a message naming the setting', async () => {
    const missing = path.join(tmp, 'nowhere.pem');
    await expect(startServer({ tag: 'e2e-tls-bad', overrides: { tlsCertFile: missing, tlsKeyFile: cert.keyFile } })).rejects.toThrow(
      `tlsCertFile ${missing} cannot be read (ENOENT)`,
    );
    await expect(startServer({ tag: 'e2e-tls-bad', overrides: { tlsCertFile: cert.certFile, tlsKeyFile: other.keyFile } })).rejects.toThrow(
      /tlsKeyFile .* is not the key of the certificate in tlsCertFile/,
    );
  });
});

function spawnAgent(args: string[]) {
  return spawn(process.execPath, ['--import', 'tsx', 'agent/cli.ts', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
}

// Tests of serving the console: files, SPA fallback, path traversal, and the "not built" page.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from './test-support';

/** Sends a raw request line so the path reaches the server exactly as written (fetch would normalize ../). */
function rawGet(port: number, target: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1', () => sock.write(`GET ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`));
    let data = '';
    sock.on('data', (d: Buffer) => (data += d.toString()));
    sock.on('end', () => resolve({ status: Number(/^HTTP\/1\.1 (\d+)/.exec(data)?.[1]), body: data.split('\r\n\r\n').slice(1).join('\r\n\r\n') }));
    sock.on('error', reject);
  });
}

describe('console static files', () => {
  let t: TestServer;
  let root: string;
  let outside: string;
  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-console-'));
    outside = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-outside-'));
    fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>console</title>');
    fs.mkdirSync(path.join(root, 'assets'));
    fs.writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log(1)');
    fs.writeFileSync(path.join(root, 'assets', 'app.js.map'), '{"version":3,"sources":["renderer/main.tsx"]}');
    fs.writeFileSync(path.join(outside, 'secret.txt'), 'TOP SECRET');
    fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'assets', 'link.txt'));
    t = await startTestServer({ consoleDir: root });
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });

  test('serves files with their type and security headers', async () => {
    const r = await fetch(`${t.base}/assets/app.js`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/text\/javascript/);
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    expect(await r.text()).toBe('console.log(1)');
    const index = await fetch(`${t.base}/`);
    expect(await index.text()).toContain('<title>console</title>');
  });

  test('source maps are served to no one, signed in or not (issue 13 item 6)', async () => {
    await t.addUser('map-admin', 'map-admin-password-1', 'admin');
    const token = (await t.login('map-admin', 'map-admin-password-1')).token;
    for (const p of ['/assets/app.js.map', '/assets/APP.JS.MAP', '/assets/app.js.map?x=1', '/assets/app%2Ejs%2Emap']) {
      const r = await fetch(`${t.base}${p}`, { headers: { authorization: `Bearer ${token}` } });
      expect(r.status, p).toBe(404);
      expect(await r.text()).not.toContain('sources');
    }
  });

  test('client-side routes get index.html; missing assets are 404', async () => {
    const r = await fetch(`${t.base}/cameras/3/live`);
    expect(r.status).toBe(200);
    expect(await r.text()).toContain('<title>console</title>');
    expect((await fetch(`${t.base}/assets/missing.js`)).status).toBe(404);
    const api = await fetch(`${t.base}/api/v2/whatever`);
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toMatch(/json/);
  });

  test('path traversal and symlinks out of the directory are refused', async () => {
    const secretName = path.basename(outside);
    for (const target of [
      `/../${secretName}/secret.txt`,
      `/..%2f${secretName}%2fsecret.txt`,
      `/assets/..%2f..%2f${secretName}%2fsecret.txt`,
      `/%2e%2e/%2e%2e/etc/passwd`,
      `/assets/link.txt`,
      `/..%5c${secretName}%5csecret.txt`,
      `/index.html%00.js`,
    ]) {
      const r = await rawGet(t.port, target);
      expect(r.body, target).not.toContain('TOP SECRET');
      expect(r.body, target).not.toContain('root:');
      expect([200, 400, 404], target).toContain(r.status);
    }
  });

  test('other methods are 405', async () => {
    expect((await fetch(`${t.base}/index.html`, { method: 'POST', body: 'x' })).status).toBe(405);
  });
});

describe('console not built', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.close();
  });
  test('answers a small HTML page saying so', async () => {
    const r = await fetch(`${t.base}/`);
    expect(r.headers.get('content-type')).toMatch(/text\/html/);
    expect(await r.text()).toMatch(/console is not built/);
  });
});

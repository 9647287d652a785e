// Tests that routes and declarations (common/endpoints/) match one to one, and that deprecated endpoints say so (headers, OpenAPI).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { endpoint } from '../../common/endpoint';
import { ALL_ENDPOINTS } from '../../common/endpoints';
import * as E from '../../common/endpoints';
import { IdParams } from '../../common/endpoints/params';
import { bind, checkBindings, route } from './router';
import { documentedRoutes, openApiDocument } from './routes/index';
import { startTestServer, type TestServer } from './test-support';

const ping = endpoint({ method: 'GET', path: '/api/v1/ping/:id', auth: 'any', tag: 't', summary: 's', params: IdParams, response: { description: 'd' } });
const pong = endpoint({ method: 'POST', path: '/api/v1/pong', auth: 'any', tag: 't', summary: 's', response: { status: 204, description: 'd' } });

describe('declarations and handlers', () => {
  test('the API binds every declaration exactly once and serves no undeclared route', () => {
    const routes = documentedRoutes();
    expect(() => checkBindings(routes, ALL_ENDPOINTS)).not.toThrow();
    expect(routes.filter((r) => r.endpoint).map((r) => r.endpoint)).toEqual(expect.arrayContaining([...ALL_ENDPOINTS]));
    expect(new Set(routes.map((r) => r.endpoint).filter(Boolean)).size).toBe(ALL_ENDPOINTS.length);
  });

  test('a declaration without a handler fails', () => {
    expect(() => checkBindings([bind(ping, () => undefined)], [ping, pong])).toThrow(/declaration POST \/api\/v1\/pong has no handler/);
  });

  test('a route without a declaration fails, under any prefix (/org, /devices and /channels included)', () => {
    for (const p of ['/api/v1/stray', '/api/v1/org/stray', '/api/v1/devices/stray', '/api/v1/channels/stray']) {
      const inline = route({ method: 'GET', path: p, auth: 'any', tag: 't', summary: 's', response: { description: 'd' }, handler: () => 1 });
      expect(() => checkBindings([bind(ping, () => undefined), inline], [ping])).toThrow(`route GET ${p} has no declaration`);
    }
  });

  test('a bound route copied under another path (an undeclared alias) fails; a declared alias passes', () => {
    const alias = { ...bind(ping, () => undefined), path: '/api/v1/channels/:id' };
    expect(() => checkBindings([bind(ping, () => undefined), alias], [ping])).toThrow(/route GET \/api\/v1\/channels\/:id has no declaration/);
    const declared = { ...ping, path: '/api/v1/channels/:id' };
    expect(() => checkBindings([bind(ping, () => undefined), bind(declared, () => undefined)], [ping, declared])).not.toThrow();
  });

  test('every PTZ endpoint of /cameras/:id/ptz is declared under /channels/:id/ptz with the same right, body and response', () => {
    const cameraPtz = ALL_ENDPOINTS.filter((e) => e.path.startsWith('/api/v1/cameras/:id/ptz'));
    expect(cameraPtz.length).toBeGreaterThan(10);
    for (const e of cameraPtz) {
      const alias = ALL_ENDPOINTS.find((a) => a.method === e.method && a.path === e.path.replace('/cameras/', '/channels/'));
      expect(alias, `${e.method} ${e.path}`).toBeDefined();
      expect([alias!.auth, alias!.body, alias!.params, alias!.query, alias!.response]).toEqual([e.auth, e.body, e.params, e.query, e.response]);
    }
    const paths = (openApiDocument() as { paths: Record<string, Record<string, unknown>> }).paths;
    expect(Object.keys(paths['/api/v1/channels/{id}/ptz/presets/{presetId}'] ?? {}).sort()).toEqual(['delete', 'patch']);
    expect(paths['/api/v1/org/tree']?.get).toBeDefined();
    expect(paths['/api/v1/devices/{id}/rotate-key']?.post).toBeDefined();
  });

  test('a handler bound to a declaration outside the catalog, or bound twice, fails', () => {
    expect(() => checkBindings([bind(ping, () => undefined)], [pong])).toThrow(/outside the catalog/);
    expect(() => checkBindings([bind(ping, () => undefined), bind(ping, () => undefined)], [ping])).toThrow(/bound 2 times/);
  });

  test('the console writes no API path by hand: its calls go through the declarations (raw paths through common/endpoints/raw.ts)', () => {
    const root = new URL('../../renderer/', import.meta.url).pathname;
    const files = (fs.readdirSync(root, { recursive: true }) as string[]).filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.test.ts'));
    expect(files.length).toBeGreaterThan(50);
    const offenders = files.filter((f) =>
      /['`"]\/api\/v1|API_PREFIX|\.request\(\s*['"](GET|POST|PUT|PATCH|DELETE)/.test(fs.readFileSync(path.join(root, f), 'utf8')),
    );
    expect(offenders).toEqual([]);
  });

  test('OpenAPI marks the deprecated endpoints, with their successors', () => {
    const doc = openApiDocument() as { paths: Record<string, Record<string, { deprecated?: boolean; 'x-successor'?: string }>> };
    expect(doc.paths['/api/v1/cameras'].get).toMatchObject({ deprecated: true, 'x-successor': '/api/v1/channels' });
    expect(doc.paths['/api/v1/cameras/{id}'].patch).toMatchObject({ deprecated: true, 'x-successor': '/api/v1/channels/{id}' });
    expect(doc.paths['/api/v1/units/{id}/rotate-key'].post).toMatchObject({ deprecated: true, 'x-successor': '/api/v1/devices/{id}/rotate-key' });
    expect(doc.paths['/api/v1/gps/cameras'].get).toMatchObject({ deprecated: true, 'x-successor': '/api/v1/channels?placed=true' });
    expect(doc.paths['/api/v1/alarms'].get.deprecated).toBeUndefined();
    expect(doc.paths['/api/v1/segments'].get.deprecated).toBeUndefined();
  });
});

describe('deprecated endpoints over HTTP', () => {
  let t: TestServer;
  let token: string;
  beforeAll(async () => {
    t = await startTestServer();
    await t.addUser('admin', 'admin-password-1', 'admin');
    token = (await t.login('admin', 'admin-password-1')).token;
  });
  afterAll(async () => {
    await t.close();
  });

  test('/cameras answers with Deprecation and a Link to its successor (path parameters filled in); errors too', async () => {
    const list = await t.call('GET', '/api/v1/cameras', { token });
    expect(list.status).toBe(200);
    expect(list.headers.get('deprecation')).toBe('true');
    expect(list.headers.get('link')).toBe('</api/v1/channels>; rel="successor-version"');
    const one = await t.call('GET', '/api/v1/cameras/77', { token });
    expect(one.status).toBe(404);
    expect(one.headers.get('deprecation')).toBe('true');
    expect(one.headers.get('link')).toBe('</api/v1/channels/77>; rel="successor-version"');
    const units = await t.call('GET', '/api/v1/units', { token });
    expect(units.headers.get('link')).toBe('</api/v1/devices?mobile=true>; rel="successor-version"');
  });

  test('endpoints that are not deprecated send no such headers', async () => {
    const r = await t.call('GET', '/api/v1/layouts', { token });
    expect(r.status).toBe(200);
    expect(r.headers.get('deprecation')).toBeNull();
    expect(r.headers.get('link')).toBeNull();
    expect(E.getLayouts.deprecated).toBeUndefined();
  });
});

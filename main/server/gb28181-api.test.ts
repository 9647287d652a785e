// HTTP API of Admin → GB/T 28181 on the bare app: every route needs a session (401) and devices.manage (403), bodies are validated (400) before the feature is asked, and a server without the feature answers 503.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { LoginResponse } from '../../common/api';
import type { ErrorBody } from '../../common/errors';
import { startTestServer, type TestServer } from './test-support';

const ROUTES = [
  ['GET', '/gb28181/settings'],
  ['PUT', '/gb28181/site-password', { password: 'site-secret' }],
  ['GET', '/gb28181/devices'],
  ['POST', '/gb28181/devices', { gbId: '34020000001320000001', name: 'Cam', nodeId: 1 }],
  ['GET', '/gb28181/devices/5'],
  ['POST', '/gb28181/devices/5/approve', { nodeId: 1 }],
  ['POST', '/gb28181/devices/5/reject'],
  ['PUT', '/gb28181/devices/5/password', { password: 'device-secret' }],
  ['POST', '/gb28181/devices/5/catalog'],
  ['GET', '/gb28181/devices/5/channels'],
] as const;

describe('GB/T 28181 admin API (bare app)', () => {
  let t: TestServer;
  let admin: LoginResponse;
  let dispatcher: LoginResponse;

  beforeAll(async () => {
    t = await startTestServer();
    await t.addUser('admin', 'admin-password-1', 'admin');
    await t.addUser('disp', 'disp-password-1', 'dispatcher');
    admin = await t.login('admin', 'admin-password-1');
    dispatcher = await t.login('disp', 'disp-password-1');
  });
  afterAll(async () => {
    await t.close();
  });

  const errorOf = async (r: Response, status: number) => {
    const text = await r.text();
    expect(r.status, text).toBe(status);
    return (JSON.parse(text) as ErrorBody).error;
  };
  const call = (token: string | undefined, method: string, p: string, body?: unknown) => t.call(method, `/api/v1${p}`, { token, body });

  test('every route answers 401 without a session and 403 to a dispatcher (no devices.manage)', async () => {
    for (const [m, p, body] of ROUTES) {
      expect((await errorOf(await call(undefined, m, p, body), 401)).code, `${m} ${p}`).toMatch(/^auth\./);
      expect((await errorOf(await call(dispatcher.token, m, p, body), 403)).code, `${m} ${p}`).toBe('auth.forbidden');
    }
  });

  test('bodies, params and queries are validated before the feature is asked (400 with the field)', async () => {
    const bad: Array<[string, string, unknown, string]> = [
      ['POST', '/gb28181/devices/5/approve', {}, 'nodeId'],
      ['POST', '/gb28181/devices/5/approve', { nodeId: 0 }, 'nodeId'],
      ['POST', '/gb28181/devices/5/approve', { nodeId: '2' }, 'nodeId'],
      ['POST', '/gb28181/devices/5/approve', { nodeId: 2, name: '' }, 'name'],
      ['POST', '/gb28181/devices/5/approve', { nodeId: 2, name: 'two\nlines' }, 'name'],
      ['POST', '/gb28181/devices/5/approve', { nodeId: 2, extra: true }, 'extra'],
      ['PUT', '/gb28181/devices/5/password', {}, 'password'],
      ['PUT', '/gb28181/devices/5/password', { password: '' }, 'password'],
      ['PUT', '/gb28181/devices/5/password', { password: 'x'.repeat(65) }, 'password'],
      ['PUT', '/gb28181/devices/5/password', { password: 42 }, 'password'],
      ['POST', '/gb28181/devices', { gbId: '3402000000132000000', name: 'Cam', nodeId: 1 }, 'gbId'],
      ['POST', '/gb28181/devices', { gbId: '3402000000132000000x', name: 'Cam', nodeId: 1 }, 'gbId'],
      ['POST', '/gb28181/devices', { gbId: '34020000001320000001', nodeId: 1 }, 'name'],
      ['POST', '/gb28181/devices', { gbId: '34020000001320000001', name: 'Cam', nodeId: 1, password: '' }, 'password'],
      ['PUT', '/gb28181/site-password', { password: '' }, 'password'],
      ['PUT', '/gb28181/site-password', { pass: 'x' }, 'pass'],
      ['GET', '/gb28181/devices?state=registered', undefined, 'state'],
      ['GET', '/gb28181/devices/abc', undefined, 'id'],
    ];
    for (const [m, p, body, field] of bad) {
      const e = await errorOf(await call(admin.token, m, p, body), 400);
      expect(e.code, `${m} ${p} ${JSON.stringify(body)}`).toBe('request.invalid');
      expect(
        e.fields?.map((f) => f.path),
        `${m} ${p} ${JSON.stringify(body)}`,
      ).toContain(field);
    }
  });

  test('without the GB/T 28181 feature every route answers 503 server.feature_unavailable', async () => {
    for (const [m, p, body] of ROUTES) {
      const e = await errorOf(await call(admin.token, m, p, body), 503);
      expect([e.code, e.params], `${m} ${p}`).toEqual(['server.feature_unavailable', { feature: 'GB/T 28181' }]);
    }
  });
});

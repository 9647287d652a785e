// Every error the API answers carries a registered code (common/messages.ts) with exactly its params: bad requests driven
// through every route of the server (unknown ids, wrong bodies, no token), the router's own 400/401/404/405/413, and logins.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { LoginResponse } from '../../common/api';
import type { ErrorBody } from '../../common/errors';
import { isMessageCode, MESSAGES, templateParams, type MessageParam } from '../../common/messages';
import { MAX_BODY_BYTES } from './router';
import { startTestServer, type TestServer } from './test-support';

type Err = ErrorBody['error'];

/** The problems of one error body: unregistered codes, params that differ from the template's placeholders. */
function problems(where: string, e: Err): string[] {
  const out: string[] = [];
  const check = (what: string, code: unknown, params: Record<string, MessageParam> | undefined) => {
    if (typeof code !== 'string' || !isMessageCode(code)) return void out.push(`${where} ${what}: unregistered code ${JSON.stringify(code)}`);
    const got = Object.keys(params ?? {}).sort();
    const want = templateParams(MESSAGES[code]);
    if (JSON.stringify(got) !== JSON.stringify(want)) out.push(`${where} ${what} ${code}: params ${got.join(',')} ≠ ${want.join(',')}`);
    for (const v of Object.values(params ?? {})) if (typeof v === 'object') check(`${what} nested`, v.code, v.params);
  };
  check('body', e.code, e.params);
  for (const f of e.fields ?? []) check(`field ${f.path}`, f.code, f.params);
  if (typeof e.message !== 'string' || e.message === '') out.push(`${where}: no English message`);
  return out;
}

describe('server message codes', () => {
  let t: TestServer;
  let admin: LoginResponse;
  const seen = new Set<string>();

  beforeAll(async () => {
    t = await startTestServer();
    await t.addUser('admin', 'admin-password-1', 'admin');
    await t.addUser('officer', 'officer-password-1', 'officer');
    await t.addUser('gone', 'gone-password-1', 'officer', true);
    admin = await t.login('admin', 'admin-password-1');
  });
  afterAll(async () => {
    await t.close();
  });

  async function errorOf(r: Response, where: string): Promise<Err> {
    const text = await r.text();
    expect(r.status, `${where}: ${text}`).toBeGreaterThanOrEqual(400);
    const e = (JSON.parse(text) as ErrorBody).error;
    expect(problems(where, e)).toEqual([]);
    seen.add(e.code);
    for (const f of e.fields ?? []) seen.add(f.code);
    return e;
  }

  test('the router answers 400/401/404/405/413 with registered codes and their params', async () => {
    expect(await errorOf(await t.call('GET', '/api/v1/nope'), 'no endpoint')).toMatchObject({ code: 'request.no_endpoint', params: { path: '/api/v1/nope' } });
    expect(await errorOf(await t.call('DELETE', '/api/v1/auth/login'), '405')).toMatchObject({
      code: 'request.method_not_allowed',
      params: { method: 'DELETE', path: '/api/v1/auth/login' },
    });
    expect(await errorOf(await t.call('GET', '/api/v1/cameras'), 'no token')).toMatchObject({ kind: 'unauthorized', code: 'auth.missing_token' });
    expect(await errorOf(await t.call('GET', '/api/v1/cameras', { token: 'not-a-session' }), 'bad token')).toMatchObject({ code: 'auth.session_invalid' });
    const body = { token: admin.token, rawBody: '{"name": ', contentType: 'application/json' };
    expect(await errorOf(await t.call('POST', '/api/v1/cameras', body), 'malformed')).toMatchObject({ code: 'request.malformed_json' });
    expect(await errorOf(await t.call('POST', '/api/v1/cameras', { token: admin.token, rawBody: 'x', contentType: 'text/plain' }), 'type')).toMatchObject({
      code: 'request.not_json',
      params: { type: '"text/plain"' },
    });
    expect(await errorOf(await t.call('POST', '/api/v1/cameras', { token: admin.token, rawBody: ' ' }), 'empty')).toMatchObject({ code: 'request.empty_body' });
    const big = await t.call('POST', '/api/v1/cameras', { token: admin.token, rawBody: JSON.stringify({ name: 'x'.repeat(MAX_BODY_BYTES + 10) }) });
    expect(await errorOf(big, '413')).toMatchObject({ kind: 'payload_too_large', code: 'request.too_large', params: { maxBytes: MAX_BODY_BYTES } });
  });

  test('logins: wrong password, disabled account and a role that may not are coded', async () => {
    expect(
      await errorOf(await t.call('POST', '/api/v1/auth/login', { body: { username: 'admin', password: 'wrong-password' } }), 'wrong password'),
    ).toMatchObject({
      kind: 'unauthorized',
      code: 'auth.invalid_credentials',
      message: 'invalid username or password',
    });
    expect(await errorOf(await t.call('POST', '/api/v1/auth/login', { body: { username: 'gone', password: 'gone-password-1' } }), 'disabled')).toMatchObject({
      code: 'auth.disabled',
    });
    const officer = await t.login('officer', 'officer-password-1');
    expect(await errorOf(await t.call('GET', '/api/v1/users', { token: officer.token }), 'role')).toMatchObject({ kind: 'forbidden', code: 'auth.forbidden' });
  });

  test('schema and domain errors: field codes with params, not-found with the id, conflicts on the field', async () => {
    const long = await errorOf(await t.call('POST', '/api/v1/cameras', { token: admin.token, body: { name: 'n'.repeat(65), url: 'http://x' } }), 'camera body');
    expect(long.code).toBe('request.invalid');
    expect(long.fields).toEqual(
      expect.arrayContaining([
        { path: 'name', message: 'must be at most 64 characters', code: 'schema.too_long', params: { max: 64 } },
        { path: 'url', message: 'uses unsupported scheme "http" (use rtsp or rtsps)', code: 'url.scheme', params: { scheme: 'http' } },
      ]),
    );
    expect(await errorOf(await t.call('GET', '/api/v1/cameras/424242', { token: admin.token }), 'camera 404')).toMatchObject({
      code: 'camera.not_found',
      params: { id: 424242 },
    });
    const cam = { name: 'Gate', url: 'rtsp://127.0.0.1:1/x' };
    expect((await t.call('POST', '/api/v1/cameras', { token: admin.token, body: cam })).status).toBe(201);
    const dup = await errorOf(await t.call('POST', '/api/v1/cameras', { token: admin.token, body: cam }), 'duplicate');
    expect(dup).toMatchObject({
      kind: 'conflict',
      code: 'camera.name_taken',
      params: { name: 'Gate' },
      fields: [{ path: 'name', code: 'camera.name_taken', params: { name: 'Gate' } }],
    });
  });

  test('every route answers bad requests (unknown ids, a wrong body, no token) only with registered codes', async () => {
    let answered = 0;
    for (const r of t.app.routes) {
      if (r.path.endsWith('/logout')) continue; // would end the admin's session
      const url = r.path.replace(/:[A-Za-z]+/g, '424242');
      const withBody = r.method === 'POST' || r.method === 'PUT' || r.method === 'PATCH';
      const tries: Array<{ token?: string; body?: unknown }> = [{ token: admin.token, ...(withBody ? { body: { bogusField: 1 } } : {}) }, {}];
      for (const opts of tries) {
        const res = await t.call(r.method, url, opts);
        if (res.status < 400) {
          await res.body?.cancel();
          continue;
        }
        const type = res.headers.get('content-type') ?? '';
        if (!type.includes('application/json')) {
          await res.body?.cancel();
          continue;
        }
        await errorOf(res, `${r.method} ${url}${opts.token ? '' : ' (no token)'}`);
        answered++;
      }
    }
    expect(answered).toBeGreaterThan(t.app.routes.length);
    // The sweep met the kinds of errors a console shows: validation, not found, unknown field, login first.
    for (const c of ['request.invalid', 'schema.unknown_field', 'auth.missing_token']) expect([...seen], c).toContain(c);
    expect([...seen].some((c) => c.endsWith('.not_found'))).toBe(true);
  });
});

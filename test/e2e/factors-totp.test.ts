// End to end: TOTP enrolled through the API, sign-in in two steps (code single use, recovery codes), disable, admin reset, a role that requires it.
import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoginResponse } from '../../common/api';
import type { SecondFactorChallenge, TotpLoginResponse, TotpSetup, TotpStatus } from '../../common/factors';
import { hashPassword } from '../../main/server/auth';
import { startServer, type TestServer } from '../harness';

const PW = 'violet-harbour-29';
const codeIn = (secret: string, offsetS = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + offsetS });

describe('TOTP second factor over the API', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startServer({
      tag: 'factors-totp',
      users: [{ username: 'ines', role: 'investigator', password: PW }],
      overrides: { totpRequiredRoles: ['dispatcher'] },
    });
  });
  afterAll(async () => {
    await srv.close();
  });

  const post = <T>(path: string, body: unknown, token = '') => srv.client.call<T>('POST', `/api/v1${path}`, body, { token });
  const loginStep = async (username: string, password = PW) => {
    const r = await post<SecondFactorChallenge & Partial<LoginResponse>>('/auth/login', { username, password });
    expect(r.status).toBe(200);
    return r.body;
  };
  const audit = async (action: string) =>
    (await srv.backend.store.audit.query({ action, limit: 100 })).map((a) => ({ username: a.username, detail: a.detail }));

  it('enrols, then signs in with password and code; a code is single use; recovery codes work once; disable needs password and a code', async () => {
    const token = srv.tokens.ines!;
    expect((await srv.client.call<TotpStatus>('GET', '/api/v1/auth/totp', undefined, { token })).body).toMatchObject({ enabled: false, allowed: true });
    const setup = (await post<TotpSetup>('/auth/totp/setup', undefined, token)).body;
    expect(setup.uri).toContain(`secret=${setup.secret}`);
    expect(setup.qrSvg).toContain('<svg');
    expect((await post('/auth/totp/confirm', { code: '000000' }, token)).status).toBe(400);
    const confirmed = await post<{ recoveryCodes: string[] }>('/auth/totp/confirm', { code: await codeIn(setup.secret) }, token);
    expect(confirmed.status).toBe(200);
    const recovery = confirmed.body.recoveryCodes;
    expect(recovery).toHaveLength(10);

    // Password right: a second step, no session; the pending token opens nothing.
    const c1 = await loginStep('ines');
    expect(c1).toMatchObject({ secondFactor: 'totp' });
    expect(c1.token).toBeUndefined();
    expect((await srv.client.call('GET', '/api/v1/auth/me', undefined, { token: c1.pendingToken })).status).toBe(401);
    const wrong = await post<{ error: { code: string } }>('/auth/login/totp', { pendingToken: c1.pendingToken, code: '123456' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('factor.code_wrong');
    // The confirming code's step is used: the next step's code (within the ±1 window) signs in.
    const next = await codeIn(setup.secret, 30);
    const ok = await post<TotpLoginResponse>('/auth/login/totp', { pendingToken: c1.pendingToken, code: next });
    expect(ok.status).toBe(200);
    expect((await srv.client.call('GET', '/api/v1/auth/me', undefined, { token: ok.body.token })).status).toBe(200);
    // The pending token is spent; the same code with a new pending token is a replay.
    expect((await post('/auth/login/totp', { pendingToken: c1.pendingToken, code: next })).status).toBe(401);
    const c2 = await loginStep('ines');
    expect((await post('/auth/login/totp', { pendingToken: c2.pendingToken, code: next })).status).toBe(401);

    // A recovery code signs in once.
    const c3 = await loginStep('ines');
    expect((await post('/auth/login/totp', { pendingToken: c3.pendingToken, code: recovery[0] })).status).toBe(200);
    const c4 = await loginStep('ines');
    expect((await post('/auth/login/totp', { pendingToken: c4.pendingToken, code: recovery[0] })).status).toBe(401);

    const sessionToken = ok.body.token;
    expect((await post('/auth/totp/disable', { password: 'not-the-password', code: recovery[1] }, sessionToken)).status).toBe(400);
    const off = await post<TotpStatus>('/auth/totp/disable', { password: PW, code: recovery[1] }, sessionToken);
    expect(off.status).toBe(200);
    expect(off.body.enabled).toBe(false);
    expect(await loginStep('ines')).toMatchObject({ token: expect.any(String) as string });

    expect(await audit('user.totp_enable')).toEqual([{ username: 'ines', detail: { username: 'ines' } }]);
    expect(await audit('user.totp_disable')).toHaveLength(1);
    expect((await audit('auth.totp_failed')).length).toBeGreaterThanOrEqual(3);
    expect((await audit('auth.login')).some((a) => (a.detail as { secondFactor?: string } | null)?.secondFactor === 'totp')).toBe(true);
    const all = JSON.stringify(await srv.backend.store.audit.query({ limit: 1000 }));
    for (const secretish of [setup.secret, next, recovery[0]!, c1.pendingToken]) expect(all).not.toContain(secretish);
    expect(srv.logs.join('\n')).not.toContain(setup.secret);
  });

  it("an administrator resets a user's TOTP (audited): the user signs in with the password alone", async () => {
    const token = await srv.addUser('ivo', 'investigator', PW);
    const setup = (await post<TotpSetup>('/auth/totp/setup', undefined, token)).body;
    expect((await post('/auth/totp/confirm', { code: await codeIn(setup.secret) }, token)).status).toBe(200);
    expect(await loginStep('ivo')).toMatchObject({ secondFactor: 'totp' });
    const ivo = (await srv.backend.store.users.getByUsername('ivo'))!;
    expect((await srv.client.call('DELETE', `/api/v1/users/${ivo.id}/totp`, undefined, { token })).status).toBe(403); // not an admin
    expect((await srv.client.call('DELETE', `/api/v1/users/${ivo.id}/totp`)).status).toBe(204);
    expect(await loginStep('ivo')).toMatchObject({ token: expect.any(String) as string });
    expect(await audit('user.totp_reset')).toEqual([{ username: 'admin', detail: { username: 'ivo', had: true } }]);
  });

  it('a role that requires TOTP sets it up during sign-in and gets a session with its recovery codes', async () => {
    await srv.backend.store.users.create({
      username: 'dana',
      passwordHash: await hashPassword(PW),
      role: 'dispatcher',
      displayName: '',
      disabled: false,
      createdMs: Date.now(),
    });
    const c = await loginStep('dana');
    expect(c).toMatchObject({ secondFactor: 'totp_setup' });
    expect(c.token).toBeUndefined();
    const setup = await post<TotpSetup>('/auth/login/totp/setup', { pendingToken: c.pendingToken });
    expect(setup.status).toBe(200);
    const done = await post<TotpLoginResponse>('/auth/login/totp', { pendingToken: c.pendingToken, code: await codeIn(setup.body.secret) });
    expect(done.status).toBe(200);
    expect(done.body.recoveryCodes).toHaveLength(10);
    expect(done.body.user.username).toBe('dana');
    // From now on a code is asked; it cannot be turned off by its user.
    expect(await loginStep('dana')).toMatchObject({ secondFactor: 'totp' });
    expect((await post('/auth/totp/disable', { password: PW, code: done.body.recoveryCodes![0] }, done.body.token)).status).toBe(403);
  });
});

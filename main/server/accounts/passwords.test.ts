// API tests of password changes: own change, policy refusals with their codes, admin reset with a forced change, sessions, audit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry, LoginResponse, UserInfo } from '../../../common/api';
import { ErrorKind, type ErrorBody } from '../../../common/errors';
import { hashToken } from '../auth';
import { startTestServer, type TestServer } from '../test-support';

type Err = ErrorBody['error'];

async function errorOf(r: Response): Promise<Err> {
  return ((await r.json()) as ErrorBody).error;
}

describe('passwords over the API', () => {
  let t: TestServer;
  let admin: LoginResponse;
  const audit = (action: string): Promise<AuditEntry[]> => t.store.audit.query({ action, limit: 500 });
  const change = (token: string, currentPassword: string, newPassword: string) =>
    t.call('POST', '/api/v1/auth/password', { token, body: { currentPassword, newPassword } });

  beforeAll(async () => {
    t = await startTestServer();
    await t.addUser('boss', 'boss-start-password', 'admin');
    admin = await t.login('boss', 'boss-start-password');
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses a change with a wrong current password (400 on currentPassword, audited, password unchanged)', async () => {
    await t.addUser('wanda', 'wanda-first-pass', 'dispatcher');
    const s = await t.login('wanda', 'wanda-first-pass');
    const r = await change(s.token, 'not-my-password', 'silver-comet-88');
    expect(r.status).toBe(400);
    const e = await errorOf(r);
    expect(e.kind).toBe(ErrorKind.Validation);
    expect(e.fields).toEqual([{ path: 'currentPassword', message: 'is not your current password', code: 'password.current_wrong' }]);
    expect((await audit('user.password_change_failed')).find((a) => a.targetId === String(s.user.id))).toMatchObject({
      username: 'wanda',
      detail: { username: 'wanda', reason: 'password.current_wrong' },
    });
    await t.login('wanda', 'wanda-first-pass'); // still the old one
    expect(JSON.stringify(await t.store.audit.query({ limit: 5000 }))).not.toContain('not-my-password');
  });

  it('throttles guesses of the current password: after 5 wrong ones even the right one is refused for a while (403, audited)', async () => {
    await t.addUser('gus', 'gus-first-password', 'officer');
    const s = await t.login('gus', 'gus-first-password');
    for (let i = 0; i < 5; i++) expect((await change(s.token, `guess-${i}-wrong`, 'tundra-signal-47')).status).toBe(400);
    const r = await change(s.token, 'gus-first-password', 'tundra-signal-47');
    expect(r.status).toBe(403);
    expect(await errorOf(r)).toMatchObject({ kind: ErrorKind.Forbidden, code: 'password.throttled' });
    await t.login('gus', 'gus-first-password'); // unchanged
    expect((await audit('user.password_change_failed')).filter((a) => a.username === 'gus').map((a) => (a.detail as { reason: string }).reason)).toContain(
      'password.throttled',
    );
  });

  const violations: Array<[string, string, string]> = [
    ['short', 'Ab-1234', 'password.too_short'],
    ['too long', 'k'.repeat(200) + 'z'.repeat(57), 'password.too_long'],
    ['whitespace only', '            ', 'password.blank'],
    ['one character repeated', '############', 'password.same_char'],
    ['the user name inside', 'xx-olga-2026-yy', 'password.contains_username'],
    ['the user name itself (any case)', 'OLGA', 'password.too_short'],
    ['a common password', 'password', 'password.too_short'],
    ['a common long password', '1q2w3e4r5t6y', 'password.common'],
    ['a common password in capitals', 'PASSWORD123', 'password.common'],
    ['12345678', '12345678', 'password.too_short'],
    ['1234567890', '1234567890', 'password.common'],
    ['the current password', 'olga-current-pw', 'password.unchanged'],
  ];

  it.each(violations)('refuses a new password that is %s, with its reason', async (_what, pw, code) => {
    const user = (await t.store.users.getByUsername('olga')) ?? (await t.addUser('olga', 'olga-current-pw', 'officer'));
    const s = await t.login('olga', 'olga-current-pw');
    const r = await change(s.token, 'olga-current-pw', pw);
    expect(r.status).toBe(400);
    const e = await errorOf(r);
    expect(e.fields?.[0]).toMatchObject({ path: 'newPassword', code });
    expect(e.fields?.[0]?.message.length).toBeGreaterThan(5);
    // The same policy guards an administrator's reset (except "unchanged", which only an own change knows).
    if (code !== 'password.unchanged') {
      const reset = await t.call('POST', `/api/v1/users/${user.id}/password`, { token: admin.token, body: { newPassword: pw } });
      expect(reset.status).toBe(400);
      expect((await errorOf(reset)).fields?.[0]).toMatchObject({ path: 'newPassword', code });
    }
    expect((await t.call('GET', '/api/v1/auth/me', { token: s.token })).status).toBe(200); // nothing changed, session alive
  });

  it('refuses a new user whose password breaks the policy', async () => {
    const r = await t.call('POST', '/api/v1/users', { token: admin.token, body: { username: 'newbie', password: 'newbie-2026-x', role: 'officer' } });
    expect(r.status).toBe(400);
    expect((await errorOf(r)).fields?.[0]).toMatchObject({ path: 'password', code: 'password.contains_username' });
    expect(await t.store.users.getByUsername('newbie')).toBeNull();
  });

  it('an own change ends every other session of the user (401) and keeps this one; audited', async () => {
    await t.addUser('ivan', 'ivan-old-password', 'investigator');
    const here = await t.login('ivan', 'ivan-old-password');
    const elsewhere = await t.login('ivan', 'ivan-old-password');
    const r = await change(here.token, 'ivan-old-password', 'granite-meadow-19');
    expect(r.status).toBe(200);
    expect(((await r.json()) as UserInfo).mustChangePassword).toBe(false);
    expect((await t.call('GET', '/api/v1/auth/me', { token: here.token })).status).toBe(200);
    expect((await t.call('GET', '/api/v1/cameras', { token: elsewhere.token })).status).toBe(401);
    expect((await t.call('POST', '/api/v1/auth/login', { body: { username: 'ivan', password: 'ivan-old-password' } })).status).toBe(401);
    await t.login('ivan', 'granite-meadow-19');
    const row = (await audit('user.password_change')).find((a) => a.targetId === String(here.user.id));
    expect(row).toMatchObject({ username: 'ivan', detail: { username: 'ivan', wasForced: false } });
    expect(JSON.stringify(await t.store.audit.query({ limit: 5000 }))).not.toContain('granite-meadow-19');
  });

  it('a session older than the last password change is refused even if its row survived (crash before the rows were deleted)', async () => {
    const u = await t.addUser('petra', 'petra-own-password', 'dispatcher');
    const old = await t.login('petra', 'petra-own-password');
    const here = await t.login('petra', 'petra-own-password');
    expect(u.passwordChangedMs).toBeNull();
    const hash = hashToken(old.token);
    const row = await t.store.sessions.get(hash);
    expect(row).not.toBeNull();
    expect((await change(here.token, 'petra-own-password', 'cobalt-river-61')).status).toBe(200);
    await t.store.sessions.create(row!); // as if the server had stopped before deleting it
    expect((await t.call('GET', '/api/v1/auth/me', { token: old.token })).status).toBe(401);
    expect((await t.call('GET', '/api/v1/auth/me', { token: here.token })).status).toBe(200);
  });

  it('an admin reset ends all sessions of the user; the user must change it before anything else; audited', async () => {
    const u = await t.addUser('otto', 'otto-own-password', 'officer');
    const s1 = await t.login('otto', 'otto-own-password');
    const s2 = await t.login('otto', 'otto-own-password');
    const cam = (await (await t.call('POST', '/api/v1/cameras', { token: admin.token, body: { name: 'Gate', url: 'rtsp://127.0.0.1:9/x' } })).json()) as {
      id: number;
    };
    // Officers watch only their own unit by default (issue 13); this one may watch the camera live.
    await t.grant(u.id, 'live.view', { channel: cam.id });
    const issued = await t.call('POST', '/api/v1/live/tickets', { token: s1.token, body: { sourceId: cam.id } });
    expect(issued.status).toBe(200);
    const ticket = (await issued.json()) as { flvUrl: string };
    const r = await t.call('POST', `/api/v1/users/${u.id}/password`, { token: admin.token, body: { newPassword: 'temporary-orchid-4' } });
    expect(r.status).toBe(200);
    expect(((await r.json()) as UserInfo).mustChangePassword).toBe(true);
    for (const s of [s1, s2]) expect((await t.call('GET', '/api/v1/auth/me', { token: s.token })).status).toBe(401);
    // A live ticket issued before the reset no longer starts a stream.
    const flv = await fetch(`${t.base}${ticket.flvUrl}`);
    expect(flv.status).toBe(401);
    await flv.body?.cancel();
    expect((await audit('user.password_reset')).find((a) => a.targetId === String(u.id))).toMatchObject({
      username: 'boss',
      detail: { username: 'otto' },
    });

    // Signing in with the temporary password: only /auth/me, /auth/password and /auth/logout are served.
    const temp = await t.login('otto', 'temporary-orchid-4');
    expect(temp.user.mustChangePassword).toBe(true);
    const refused = await t.call('GET', '/api/v1/cameras', { token: temp.token });
    expect(refused.status).toBe(403);
    expect(await errorOf(refused)).toMatchObject({ kind: ErrorKind.Forbidden, code: 'password.change_required' });
    expect((await t.call('POST', '/api/v1/live/tickets', { token: temp.token, body: { sourceId: 1 } })).status).toBe(403);
    expect(((await (await t.call('GET', '/api/v1/auth/me', { token: temp.token })).json()) as UserInfo).mustChangePassword).toBe(true);

    const other = await t.login('otto', 'temporary-orchid-4');
    const done = await change(temp.token, 'temporary-orchid-4', 'willow-canyon-73');
    expect(done.status).toBe(200);
    expect((await t.call('GET', '/api/v1/cameras', { token: temp.token })).status).toBe(200);
    expect((await t.call('GET', '/api/v1/cameras', { token: other.token })).status).toBe(401);
    expect((await t.store.users.get(u.id))?.mustChangePassword).toBe(false);
    expect((await audit('user.password_change')).find((a) => a.targetId === String(u.id))?.detail).toEqual({ username: 'otto', wasForced: true });
  });
});

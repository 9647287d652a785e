// Sessions over the real HTTP app with a controlled clock: the list, revoking (own, and an admin's), idle and absolute timeouts.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { SessionView } from '../../../common/sessions';
import { startTestServer, type TestServer } from '../test-support';

describe('sessions', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ clock: true });
    await t.addUser('disp', 'dispatch-pw-1', 'dispatcher');
    await t.addUser('chief', 'chief-password-1', 'admin');
  });
  afterAll(async () => {
    await t.close();
  });

  const list = async (token: string, path = '/api/v1/auth/sessions') => {
    const r = await t.call('GET', path, { token });
    expect(r.status).toBe(200);
    return (await r.json()) as SessionView[];
  };

  test('a user lists their own sessions (newest first, this one marked, never a token) and ends one; its token stops working', async () => {
    const first = await t.login('disp', 'dispatch-pw-1');
    t.clock.ms += 5000;
    const second = await t.login('disp', 'dispatch-pw-1');
    const sessions = await list(second.token);
    expect(sessions).toHaveLength(2);
    expect(sessions.map((s) => s.current)).toEqual([true, false]);
    expect(sessions[1]).toMatchObject({ createdMs: sessions[0].createdMs - 5000, address: expect.stringMatching(/127\.0\.0\.1/) });
    expect(sessions[0].userAgent).not.toBe('');
    expect(sessions[0].id).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(sessions)).not.toContain(first.token);

    const del = await t.call('DELETE', `/api/v1/auth/sessions/${sessions[1].id}`, { token: second.token });
    expect(del.status).toBe(204);
    expect((await t.call('GET', '/api/v1/auth/me', { token: first.token })).status).toBe(401);
    expect((await t.call('GET', '/api/v1/auth/me', { token: second.token })).status).toBe(200);
    expect((await t.call('DELETE', `/api/v1/auth/sessions/${sessions[1].id}`, { token: second.token })).status).toBe(404);
    const audit = await t.store.audit.query({ action: 'auth.session_revoke', limit: 10 });
    expect(audit[0]).toMatchObject({ username: 'disp', detail: { sessionId: sessions[1].id, own: true } });
  });

  test("another user's session id is 404 on the own route; an admin lists and ends anyone's; others may not", async () => {
    const disp = await t.login('disp', 'dispatch-pw-1');
    const chief = await t.login('chief', 'chief-password-1');
    const dispId = (await list(disp.token)).find((s) => s.current)!.id;
    expect((await t.call('DELETE', `/api/v1/auth/sessions/${dispId}`, { token: chief.token })).status).toBe(404);
    expect((await t.call('GET', `/api/v1/users/${disp.user.id}/sessions`, { token: disp.token })).status).toBe(403);
    const seen = await list(chief.token, `/api/v1/users/${disp.user.id}/sessions`);
    expect(seen.map((s) => s.id)).toContain(dispId);
    expect(seen.every((s) => !s.current)).toBe(true);
    expect((await t.call('DELETE', `/api/v1/users/${disp.user.id}/sessions/${dispId}`, { token: chief.token })).status).toBe(204);
    expect((await t.call('GET', '/api/v1/auth/me', { token: disp.token })).status).toBe(401);
    expect((await t.call('DELETE', `/api/v1/auth/sessions/not-a-session-id`, { token: chief.token })).status).toBe(400);
  });

  test('idle timeout: a session unused for sessionIdleMs ends; absolute timeout: an active one ends sessionMaxMs after sign-in', async () => {
    const { sessionIdleMs: idleMs, sessionMaxMs: maxMs } = t.config;
    expect(maxMs).toBeGreaterThan(idleMs);
    const idle = await t.login('disp', 'dispatch-pw-1');
    const active = await t.login('disp', 'dispatch-pw-1');
    const signInMs = t.clock.ms;
    expect(active.expiresMs).toBe(signInMs + idleMs);
    // Keep `active` busy every hour; `idle` is never used.
    while (t.clock.ms + 3600_000 < signInMs + maxMs) {
      t.clock.ms += 3600_000;
      expect((await t.call('GET', '/api/v1/auth/me', { token: active.token })).status).toBe(200);
    }
    expect((await t.call('GET', '/api/v1/auth/me', { token: idle.token })).status).toBe(401);
    const mine = (await list(active.token)).find((s) => s.current)!;
    expect(mine.expiresMs).toBe(signInMs + maxMs); // the idle end would be later: the absolute end wins
    t.clock.ms = signInMs + maxMs;
    expect((await t.call('GET', '/api/v1/auth/me', { token: active.token })).status).toBe(401);
  });
});

// The test harness's own seams: waitFor's result and timeout message, the server builder in both modes, seeded users, the typed client.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startServer, waitFor, WaitTimeout } from './index';

describe('waitFor', () => {
  it('returns the first truthy value', async () => {
    let n = 0;
    expect(await waitFor(() => (++n >= 3 ? { n } : null), { intervalMs: 5 })).toEqual({ n: 3 });
  });

  it('names what it waited for, how long, and the last value when it times out', async () => {
    const err = await waitFor(() => 0, { timeoutMs: 50, intervalMs: 10, what: 'the answer' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WaitTimeout);
    expect((err as Error).message).toMatch(/^timed out after 50 ms waiting for the answer \(\d+ tries; last value: 0\)$/);
  });

  it('rethrows at once unless told to retry errors; with retryErrors the last error is in the message', async () => {
    await expect(
      waitFor(
        () => {
          throw new Error('boom');
        },
        { timeoutMs: 1000 },
      ),
    ).rejects.toThrow('boom');
    await expect(
      waitFor(
        () => {
          throw new Error('not yet');
        },
        { timeoutMs: 40, intervalMs: 10, what: 'x', retryErrors: true },
      ),
    ).rejects.toThrow(/waiting for x .*last error: not yet/);
  });
});

describe('startServer', () => {
  it('in-process: a signed-in admin client, seeded users with their tokens, and the temp dir removed on close', async () => {
    const srv = await startServer({ tag: 'harness-test', users: [{ username: 'olivia', role: 'officer' }] });
    try {
      expect(srv.backend.url).toBe(srv.url);
      const me = await srv.client.ok<{ username: string; role: string }>('GET', '/api/v1/auth/me');
      expect(me.username).toBe('admin');
      const cam = await srv.client.createCamera({ name: 'Gate', url: 'rtsp://127.0.0.1:1/none', enabled: false });
      expect((await srv.client.cameras()).map((c) => c.id)).toEqual([cam.id]);
      const asOperator = srv.client.as(srv.tokens.olivia!);
      expect((await asOperator.call('GET', '/api/v1/users')).status).toBe(403);
      expect((await srv.client.call('GET', '/api/v1/cameras', undefined, { token: '' })).status).toBe(401);
    } finally {
      await srv.close();
    }
    expect(fs.existsSync(srv.tmp)).toBe(false);
  });

  it('process mode: the real server as a child process, signed in, stopped on close', async () => {
    const srv = await startServer({ mode: 'process', tag: 'harness-proc' });
    try {
      expect(() => srv.backend).toThrow(/in-process/);
      expect((await srv.client.call('GET', '/api/v1/health')).status).toBe(200);
      expect(await srv.addUser('pete', 'investigator')).toMatch(/.+/);
      expect((await srv.client.call<Array<{ username: string }>>('GET', '/api/v1/users')).body.map((u) => u.username)).toContain('pete');
    } finally {
      await srv.close();
    }
    expect(srv.proc.proc.exitCode !== null || srv.proc.proc.signalCode !== null).toBe(true);
  }, 90_000);
});

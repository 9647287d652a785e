// End to end with a real RTMP publish: a live ticket starts one stream once, only while its session lasts, and a running stream ends with its session (issue 13).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveTicket } from '../../common/api';
import { startServer, waitFor, type TestServer } from '../harness';
import { ensureClip } from '../helpers/clips';
import { publishRtmp, type Publisher } from '../helpers/rtmp';

/** Reads a live HTTP-FLV stream until it ends; `bytes` grows while video flows. */
function reader(res: Response): { bytes: () => number; ended: () => boolean; done: Promise<void> } {
  let bytes = 0;
  let ended = false;
  const r = res.body!.getReader();
  const done = (async () => {
    try {
      for (;;) {
        const { done, value } = await r.read();
        if (done) break;
        bytes += value.length;
      }
    } catch {
      /* cut */
    }
    ended = true;
  })();
  return { bytes: () => bytes, ended: () => ended, done };
}

describe('live tickets bound to their session', () => {
  let srv: TestServer;
  let pub: Publisher | null = null;
  let unitId = 0;
  const aborts: AbortController[] = [];

  const ticketAs = async (token: string): Promise<LiveTicket> => {
    const r = await srv.client.call<LiveTicket>('POST', '/api/v1/live/tickets', { sourceId: unitId }, { token });
    expect(r.status).toBe(200);
    return r.body;
  };
  const open = (t: LiveTicket) => {
    const ctrl = new AbortController();
    aborts.push(ctrl);
    return fetch(srv.url + t.flvUrl, { signal: ctrl.signal });
  };

  beforeAll(async () => {
    srv = await startServer({ tag: 'rights-live' });
    const unit = await srv.client.createUnit({ callsign: 'Ticket 1', type: 'vehicle' });
    unitId = unit.unit.id;
    const clip = await ensureClip({ width: 320, height: 180, fps: 10, seconds: 4, bitrateKbps: 200, audio: false });
    pub = publishRtmp(unit.publishUrl, clip, { loop: true });
    // Live once a fresh ticket gets 200 (each try its own ticket: a refusal because nothing is live yet does not use it up).
    await waitFor(
      async () => {
        const res = await open(await ticketAs(srv.token));
        const ok = res.status === 200;
        await res.body?.cancel();
        return ok;
      },
      { timeoutMs: 60_000, intervalMs: 500, what: 'the unit live' },
    );
  });
  afterAll(async () => {
    for (const a of aborts) a.abort();
    await pub?.kill();
    await srv?.close();
  });

  it('a ticket starts one stream: of three requests at once, one gets the video and two are refused 401', async () => {
    const t = await ticketAs(srv.token);
    const answers = await Promise.all([open(t), open(t), open(t)]);
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 401, 401]);
    for (const r of answers) await r.body?.cancel();
    // And later once more: still refused.
    const again = await open(t);
    expect(again.status).toBe(401);
    await again.body?.cancel();
  });

  it("a ticket of a session that logged out starts nothing, and the session's running stream is cut; another session's stream runs on", async () => {
    const other = await srv.login();
    const mine = await srv.login();
    const keep = reader(await open(await ticketAs(other)));
    const cut = reader(await open(await ticketAs(mine)));
    const unused = await ticketAs(mine);
    await waitFor(() => keep.bytes() > 5_000 && cut.bytes() > 5_000, { timeoutMs: 20_000, what: 'both streams flowing' });
    expect((await srv.client.call('POST', '/api/v1/auth/logout', undefined, { token: mine })).status).toBe(204);
    await waitFor(() => cut.ended(), { timeoutMs: 10_000, what: "the logged-out session's stream cut" });
    const refused = await open(unused);
    expect(refused.status).toBe(401);
    await refused.body?.cancel();
    const before = keep.bytes();
    await waitFor(() => keep.bytes() > before + 5_000, { timeoutMs: 20_000, what: "the other session's stream still flowing" });
    expect(keep.ended()).toBe(false);
  });

  it('a ticket expires: the server refuses it after its time (60 s by default), issued tickets say when', async () => {
    const t = await ticketAs(srv.token);
    expect(t.expiresMs - Date.now()).toBeLessThanOrEqual(60_000);
    expect(t.expiresMs - Date.now()).toBeGreaterThan(0);
  });
});

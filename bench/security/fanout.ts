// Benchmark: one event fanned out to 50 consoles over real WebSockets, each filtered by its user's compiled rights (issue 13, RESULT event_fanout_ms_p95).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket } from 'ws';
import type { ServerEvent } from '../../common/events';
import type { UserRow } from '../../storage/repositories';
import { EventHub } from '../../main/server/event-hub';
import { openAccessFixture } from '../../test/helpers/access-fixture';
import { percentile } from '../lib/stats';

const CONSOLES = 50;

export async function run(opts: { smoke: boolean }): Promise<{ lines: string[]; result: Record<string, number> }> {
  const fx = await openAccessFixture();
  const nodes = opts.smoke ? 5 : 20;
  const perNode = opts.smoke ? 4 : 25;
  const events = opts.smoke ? 40 : 400;
  const channels: number[] = [];
  const nodeIds: number[] = [];
  for (let n = 0; n < nodes; n++) {
    const nodeId = await fx.node(`Node ${n}`);
    nodeIds.push(nodeId);
    for (let d = 0; d < perNode; d++) channels.push(...(await fx.device(`Box ${n}.${d}`, nodeId, 1)).channels);
  }
  // 50 consoles: 5 dispatchers (root), the rest officers granted live.view on one node each.
  const users: UserRow[] = [];
  for (let i = 0; i < CONSOLES; i++) {
    const u = await fx.user(`user${i}`, i < 5 ? 'dispatcher' : 'officer');
    users.push(u);
    if (i >= 5)
      await fx.access.createGrant(
        { principalKind: 'user', principalId: u.id, right: 'live.view', scopeKind: 'node', scopeId: nodeIds[i % nodes], effect: 'allow' },
        { kind: 'system', reason: 'bench' },
      );
  }
  const byToken = new Map(users.map((u) => [`t${u.id}`, u]));
  const hub = new EventHub({
    authenticate: async (token) => (byToken.has(token) ? { user: byToken.get(token)!, tokenHash: token } : null),
    stillValid: async () => true,
    accessFor: (user) => fx.access.for(user),
    log: () => undefined,
  });
  const server = http.createServer();
  server.on('upgrade', (req, socket, head) => hub.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  // Each console counts the markers it got; a marker (org.counts, sent to all) follows each measured event.
  let markers = 0;
  let waiting: (() => void) | null = null;
  const sockets = await Promise.all(
    users.map(
      (u) =>
        new Promise<WebSocket>((resolve, reject) => {
          const ws = new WebSocket(`ws://127.0.0.1:${port}/events?token=t${u.id}`);
          ws.on('message', (d: Buffer) => {
            if (!d.toString().startsWith('{"type":"org.counts"')) return;
            if (++markers === CONSOLES) waiting?.();
          });
          ws.once('open', () => resolve(ws));
          ws.once('error', reject);
        }),
    ),
  );
  while (hub.clientCount < CONSOLES) await new Promise((r) => setTimeout(r, 10));

  const marker: ServerEvent = { type: 'org.counts', counts: [] };
  const unitIds = channels.slice(0, 100);
  const eventAt = (i: number): ServerEvent =>
    i % 2 === 0
      ? { type: 'channel.status', status: { channelId: channels[i % channels.length], recording: 'recording', live: true, lastError: null } as never }
      : { type: 'gps.positions', positions: unitIds.map((unitId) => ({ unitId, tMs: i, lat: 1, lon: 2 }) as never), links: [] };
  const ms: number[] = [];
  const publishMs: number[] = [];
  for (let i = 0; i < events; i++) {
    markers = 0;
    const done = new Promise<void>((resolve) => (waiting = resolve));
    const start = process.hrtime.bigint();
    hub.publish(eventAt(i));
    publishMs.push(Number(process.hrtime.bigint() - start) / 1e6);
    hub.publish(marker);
    await done;
    ms.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  for (const ws of sockets) ws.close();
  await hub.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await fx.close();
  const p95 = percentile(ms, 95);
  return {
    lines: [
      `event fan-out: ${events} events to ${CONSOLES} consoles (${channels.length} channels, per-user filtering), publish until every console got it: p50 ${percentile(ms, 50).toFixed(2)} ms, p95 ${p95.toFixed(2)} ms`,
      `  of which filtering and sending (hub.publish): p50 ${percentile(publishMs, 50).toFixed(2)} ms, p95 ${percentile(publishMs, 95).toFixed(2)} ms (the 50 receiving sockets run in the same process)`,
    ],
    result: { event_fanout_ms_p95: Math.round(p95 * 100) / 100 },
  };
}

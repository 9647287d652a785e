// Cascade (级联) between two real Argus back ends: the lower registers to the upper as a GB device, the upper's catalog of it holds the shared channels, their alarms reach the upper's alarm center, and after the upper restarts the lower registers again.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AlarmList } from '../../common/alarms';
import type { UpperPlatformView } from '../../common/gb28181-cascade';
import { userActor } from '../../main/platform/actor';
import { camera } from '../../storage/sqlite/test-utils';
import { startServer, waitFor, type TestServer } from '../harness';

const UPPER = '44010000002000000001';
const LOWER = '34020000002000000009';
const SHARED = '34020000001320000101';
const PASSWORD = 'cascade-e2e';

describe('GB/T 28181 cascade between two Argus servers', () => {
  let upper: TestServer | undefined;
  let lower: TestServer | undefined;
  let tmp = '';

  afterAll(async () => {
    await lower?.close();
    await upper?.close();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  const startUpper = (sipPort: number) =>
    startServer({ tag: 'gb-cascade-up', tmp, overrides: { sipServerId: UPPER, sipDomain: '4401000000', sipBind: '127.0.0.1', sipPort } });

  it('registers the lower to the upper, which lists its shared channel and gets its alarms, and re-registers after the upper restarts', async () => {
    tmp = await mkdtemp(join(tmpdir(), 'gb-cascade-up-'));
    upper = await startUpper(0);
    const adminUp = userActor((await upper.backend.store.users.getByUsername('admin'))!, '127.0.0.1');
    const dev = await upper.backend.features.gb.control.add({ gbId: LOWER, name: '下级平台', nodeId: 1, password: PASSWORD }, adminUp);
    const upperPort = (await upper.backend.features.gb.control.settings()).port;

    lower = await startServer({ tag: 'gb-cascade-low', overrides: { sipServerId: LOWER, sipDomain: '3402000000', sipBind: '127.0.0.1' } });
    const ch = await lower.backend.store.cameras.create(camera('路口 1', { enabled: false }), Date.now());
    const cascade = lower.backend.features.gb.cascade;
    const base = {
      name: '市局平台',
      gbId: UPPER,
      domain: '4401000000',
      host: '127.0.0.1',
      port: upperPort,
      transport: 'udp',
      registerExpiresS: 300,
      keepaliveS: 1,
    };
    // Through the admin API: a malformed ID is refused, the platform is added disabled, shares a channel, then enabled.
    expect((await lower.client.call('POST', '/api/v1/gb28181/upper-platforms', { ...base, gbId: '123', enabled: true })).status).toBe(400);
    const p = await lower.client.ok<UpperPlatformView>('POST', '/api/v1/gb28181/upper-platforms', { ...base, password: PASSWORD, enabled: false }, 201);
    expect(p).toMatchObject({ hasPassword: true, status: { state: 'idle' } });
    expect(
      (await lower.client.call('PUT', `/api/v1/gb28181/upper-platforms/${p.id}/channels`, { channels: [{ channelId: ch.id, gbId: SHARED }] })).status,
    ).toBe(204);
    await lower.client.ok('PUT', `/api/v1/gb28181/upper-platforms/${p.id}`, { ...base, enabled: true });

    // The lower appears on the upper as a registered GB device; the upper's catalog query stores the shared channel.
    await waitFor(() => upper!.backend.features.gb.control.signalling.peer(LOWER) !== null, { timeoutMs: 20_000, what: 'the lower registered on the upper' });
    await waitFor(() => cascade.status(p.id).state === 'registered', { timeoutMs: 10_000, what: 'the lower seeing its registration answered' });
    const listed = await waitFor(async () => (await upper!.backend.store.channels.listByDevice(dev.deviceId)).find((c) => c.code === SHARED), {
      timeoutMs: 20_000,
      what: "the shared channel in the upper's catalog of the lower",
    });
    expect(listed.name).toBe('路口 1');
    const [view] = await lower.client.ok<UpperPlatformView[]>('GET', '/api/v1/gb28181/upper-platforms');
    expect(view).toMatchObject({ gbId: UPPER, hasPassword: true, status: { state: 'registered' }, shared: [{ channelId: ch.id, gbId: SHARED }] });
    expect(JSON.stringify(view)).not.toContain(PASSWORD);
    expect((await lower.backend.store.audit.query({ action: 'gb.upper_created' }))[0]).toMatchObject({ username: 'admin' });

    // An alarm on the shared channel reaches the upper's alarm center on its copy of the channel (Notify/Alarm).
    await lower.client.ok('POST', '/api/v1/alarms', { sourceId: ch.id, severity: 'major', message: '路口求助' }, 201);
    const fwd = await waitFor(
      async () => (await upper!.client.ok<AlarmList>('GET', '/api/v1/alarms?state=open')).alarms.find((a) => a.sourceId === listed.id),
      { timeoutMs: 20_000, what: "the forwarded alarm in the upper's alarm center" },
    );
    expect(fwd).toMatchObject({ severity: 'major', message: '路口求助' });

    // The upper restarts on the same SIP port: the lower notices (keepalives unanswered), then registers again.
    await upper.close();
    upper = undefined;
    await waitFor(() => cascade.status(p.id).state === 'failed', { timeoutMs: 20_000, what: 'the lower noticing the upper gone' });
    const restartMs = Date.now();
    upper = await startUpper(upperPort);
    await waitFor(
      () => {
        const s = cascade.status(p.id);
        return s.state === 'registered' && s.sinceMs >= restartMs;
      },
      { timeoutMs: 40_000, what: 'the lower registered again' },
    );
    expect(upper.backend.features.gb.control.signalling.peer(LOWER)).not.toBeNull();
  }, 120_000);
});

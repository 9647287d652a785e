// End to end: an RTSP device created through /devices/rtsp records its channels like /cameras did; counts follow the real recorders; deletes stop them and keep the recordings.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Segment } from '../../common/api';
import type { AgentKey, DeviceView, OrgNodeView, OrgTree } from '../../common/devices';
import { findRecorderProcesses } from '../../media/orphans';
import { ensureClip } from '../helpers/clips';
import { waitFor } from '../helpers/media-assert';
import { publishRtmp } from '../helpers/rtmp';
import { startRtspServer, type RtspServer } from '../helpers/rtsp-server';
import { startServerProcess, type ServerProcess } from '../helpers/server-process';

let rtsp: RtspServer;
let clip: string;
let s: ServerProcess | null = null;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-e2e-devices-'));
const recDir = path.join(dataDir, 'recordings');

beforeAll(async () => {
  clip = await ensureClip({ width: 640, height: 360, fps: 25, seconds: 4, bitrateKbps: 800, audio: false });
  rtsp = await startRtspServer({ count: 2, clip });
}, 60_000);
afterAll(async () => {
  if (s) await s.kill9();
  await rtsp?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('devices through the server process', () => {
  it('records the channels of new RTSP and agent devices, counts them per node, and stops each recorder (and publish) on delete with its recordings kept', async () => {
    s = await startServerProcess(dataDir);
    const token = await s.login();
    const api = async <T>(method: string, p: string, body?: unknown, status = 200): Promise<T> => {
      const r = await s!.api<T>(method, `/api/v1${p}`, token, body);
      expect(r.status, `${method} ${p}: ${JSON.stringify(r.body)}`).toBe(status);
      return r.body;
    };
    const closed = async (id: number) =>
      (await api<Segment[]>('GET', `/segments?cameraId=${id}&startMs=0&endMs=${Date.now() + 3600_000}`)).filter((x) => x.state === 'closed');

    const node = await api<OrgNodeView>('POST', '/org/nodes', { parentId: 1, name: 'Harbour' }, 201);
    const dev = await api<DeviceView>(
      'POST',
      '/devices/rtsp',
      {
        nodeId: node.id,
        name: 'Harbour NVR',
        channels: [
          { name: 'Pier 1', url: rtsp.url('/cam1'), segmentSeconds: 2 },
          { name: 'Pier 2', url: rtsp.url('/cam2'), segmentSeconds: 2 },
        ],
      },
      201,
    );
    const [c1, c2] = dev.channels.map((c) => c.id) as [number, number];
    await waitFor(async () => (await closed(c1)).length >= 1 && (await closed(c2)).length >= 1, 'closed segments of both channels', 40_000);
    expect(findRecorderProcesses(recDir).length).toBe(2);
    await waitFor(
      async () => {
        const n = (await api<OrgTree>('GET', '/org/tree')).nodes.find((x) => x.id === node.id)!;
        return n.counts.channelsRecording === 2 && n.counts.devicesOnline === 1;
      },
      'the node counts two recording channels and one online device',
      20_000,
    );
    const seen = await api<DeviceView>('GET', `/devices/${dev.id}`);
    expect(seen.status).toMatchObject({ state: 'online', online: true });
    expect(seen.channels.map((c) => c.status.recording)).toEqual(['recording', 'recording']);

    // delete one channel: its recorder stops, its recordings stay listed
    const kept2 = (await closed(c2)).length;
    await api('DELETE', `/channels/${c2}`, undefined, 204);
    await waitFor(() => findRecorderProcesses(recDir).length === 1, 'one recorder left', 15_000);
    expect((await closed(c2)).length).toBeGreaterThanOrEqual(kept2);
    await waitFor(
      async () => (await api<OrgTree>('GET', '/org/tree')).nodes.find((x) => x.id === node.id)!.counts.channels === 1,
      'counts without the channel',
      10_000,
    );

    // delete the device: no recorder left, recordings of both channels still there
    await api('DELETE', `/devices/${dev.id}`, undefined, 204);
    await waitFor(() => findRecorderProcesses(recDir).length === 0, 'no recorder left', 15_000);
    expect((await closed(c1)).length).toBeGreaterThanOrEqual(1);
    expect((await closed(c2)).length).toBeGreaterThanOrEqual(1);
    expect((await api<OrgTree>('GET', '/org/tree')).nodes.find((x) => x.id === node.id)!.counts).toEqual({
      devices: 0,
      devicesOnline: 0,
      channels: 0,
      channelsLive: 0,
      channelsRecording: 0,
    });

    // an agent device: its key publishes, the channel records from the hub like a unit's; deleting it closes the publish
    const agent = await api<AgentKey>('POST', '/devices/agent', { nodeId: node.id, callsign: 'HARBOUR-1', type: 'vehicle', segmentSeconds: 2 }, 201);
    const pub = publishRtmp(agent.publishUrl.replace(/^rtmp:\/\/[^/]+:/, 'rtmp://127.0.0.1:'), clip, { loop: true });
    try {
      await waitFor(async () => (await closed(agent.device.id)).length >= 1, 'a closed segment of the agent channel', 40_000);
      await waitFor(
        async () => (await api<OrgTree>('GET', '/org/tree')).nodes.find((x) => x.id === node.id)!.counts.devicesOnline === 1,
        'the agent online in the node counts',
        10_000,
      );
      expect((await api<DeviceView>('GET', `/devices/${agent.device.id}`)).status).toMatchObject({ state: 'online', online: true });
      await api('DELETE', `/devices/${agent.device.id}`, undefined, 204);
      await waitFor(() => findRecorderProcesses(recDir).length === 0, 'the agent recorder stopped', 15_000);
      expect(await Promise.race([pub.exited.then(() => 'ended'), new Promise((r) => setTimeout(() => r('still publishing'), 15_000))])).toBe('ended');
      expect((await closed(agent.device.id)).length).toBeGreaterThanOrEqual(1);
    } finally {
      await pub.kill();
    }
    expect(await s.stop()).toBe(0);
    s = null;
  }, 120_000);
});

// End to end: alarm rules that match by organisation node (nodeIds) in a real back end: a node's rule fires for every channel below it, never for one outside; rules name existing nodes only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alarm, AlarmRule } from '../../common/alarms';
import type { AuditEntry } from '../../common/api';
import { ROOT_NODE_ID, type DeviceView, type OrgNodeView } from '../../common/devices';
import type { ErrorBody } from '../../common/errors';
import { startAlarmServer, type AlarmTestServer } from './alarms-support';

describe('alarm rules by organisation node', () => {
  let srv: AlarmTestServer;
  const nodes: Record<'city' | 'district' | 'station' | 'other', OrgNodeView> = {} as never;
  const devices: Record<'inside' | 'outside' | 'agent', DeviceView> = {} as never;

  async function post<T>(p: string, body: unknown, status = 201): Promise<T> {
    const r = await srv.api<T>('POST', p, body);
    expect(r.status, `POST ${p}: ${JSON.stringify(r.body)}`).toBe(status);
    return r.body;
  }

  beforeAll(async () => {
    srv = await startAlarmServer();
    nodes.city = await post<OrgNodeView>('/api/v1/org/nodes', { parentId: ROOT_NODE_ID, name: 'City' });
    nodes.district = await post<OrgNodeView>('/api/v1/org/nodes', { parentId: nodes.city.id, name: 'District 3' });
    nodes.station = await post<OrgNodeView>('/api/v1/org/nodes', { parentId: nodes.district.id, name: 'Harbour station' });
    nodes.other = await post<OrgNodeView>('/api/v1/org/nodes', { parentId: ROOT_NODE_ID, name: 'Airport' });
    const rtsp = (nodeId: number, name: string) =>
      post<DeviceView>('/api/v1/devices/rtsp', {
        nodeId,
        name,
        channels: [1, 2].map((i) => ({ name: `${name} ${i}`, url: `rtsp://127.0.0.1:9/${name.replace(/\W/g, '')}${i}`, enabled: false })),
      });
    devices.inside = await rtsp(nodes.station.id, 'Quay NVR');
    devices.outside = await rtsp(nodes.other.id, 'Gate NVR');
    devices.agent = (await post<{ device: DeviceView }>('/api/v1/devices/agent', { nodeId: nodes.district.id, callsign: 'PATROL-9', type: 'vehicle' })).device;
  }, 60_000);

  afterAll(async () => {
    await srv?.close();
  });

  const raise = (sourceId: number, message: string) => post<Alarm>('/api/v1/alarms', { sourceId, message });

  it('a rule on a node fires for the channels of devices anywhere below it (fixed and mobile), not for a channel outside', async () => {
    const rule = await post<AlarmRule>('/api/v1/alarm-rules', { name: 'District 3 watch', nodeIds: [nodes.district.id], actions: { sound: true } });
    expect(rule.nodeIds).toEqual([nodes.district.id]);
    expect((await srv.api<AlarmRule[]>('GET', '/api/v1/alarm-rules')).body.find((r) => r.id === rule.id)).toMatchObject({
      nodeIds: [nodes.district.id],
      sourceIds: [],
      groups: [],
    });

    for (const ch of devices.inside.channels) {
      const a = await raise(ch.id, `inside ${ch.id}`);
      expect(a.ruleIds, `channel ${ch.id} two levels below the node`).toContain(rule.id);
    }
    expect((await raise(devices.agent.channels[0]!.id, 'patrol')).ruleIds).toContain(rule.id);
    for (const ch of devices.outside.channels)
      expect((await raise(ch.id, `outside ${ch.id}`)).ruleIds, `channel ${ch.id} under another node`).not.toContain(rule.id);

    // Moving the outside device under the node brings it into the rule's scope at once.
    expect((await srv.api('PATCH', `/api/v1/devices/${devices.outside.id}`, { nodeId: nodes.station.id })).status).toBe(200);
    expect((await raise(devices.outside.channels[1]!.id, 'moved in')).ruleIds).toContain(rule.id);
    expect((await srv.api('PATCH', `/api/v1/devices/${devices.outside.id}`, { nodeId: nodes.other.id })).status).toBe(200);
    expect((await raise(devices.outside.channels[0]!.id, 'moved out')).ruleIds).not.toContain(rule.id);

    // A rule on the node of the device itself (the leaf) matches too; a rule on a sibling subtree does not.
    const leaf = await post<AlarmRule>('/api/v1/alarm-rules', { name: 'Harbour only', nodeIds: [nodes.station.id], actions: { desktop: true } });
    const a = await raise(devices.inside.channels[0]!.id, 'leaf');
    expect(a.ruleIds).toEqual(expect.arrayContaining([rule.id, leaf.id]));
    expect((await raise(devices.agent.channels[0]!.id, 'patrol again')).ruleIds).not.toContain(leaf.id);
  });

  it('refuses a rule naming a node that does not exist (400 on nodeIds.<i>), on create and on change; a change of nodeIds is audited', async () => {
    const bad = await srv.api<ErrorBody>('POST', '/api/v1/alarm-rules', { name: 'Nowhere', nodeIds: [nodes.city.id, 99_999], actions: { sound: true } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({
      kind: 'validation',
      fields: [expect.objectContaining({ path: 'nodeIds.1', code: 'org.node_not_found', params: { id: 99_999 } })],
    });
    const rule = await post<AlarmRule>('/api/v1/alarm-rules', { name: 'City', nodeIds: [nodes.city.id], actions: { sound: true } });
    const patch = await srv.api<ErrorBody>('PATCH', `/api/v1/alarm-rules/${rule.id}`, { nodeIds: [0] });
    expect(patch.status).toBe(400);
    const patch2 = await srv.api<ErrorBody>('PATCH', `/api/v1/alarm-rules/${rule.id}`, { nodeIds: [88_888] });
    expect(patch2.status).toBe(400);
    expect(patch2.body.error.fields?.[0]).toMatchObject({ path: 'nodeIds.0', code: 'org.node_not_found' });
    const ok = await srv.api<AlarmRule>('PATCH', `/api/v1/alarm-rules/${rule.id}`, { nodeIds: [nodes.other.id] });
    expect(ok.status).toBe(200);
    expect(ok.body.nodeIds).toEqual([nodes.other.id]);
    const audit = (await srv.api<AuditEntry[]>('GET', '/api/v1/audit?action=alarm.rule.update&limit=100')).body;
    expect(audit.find((e) => e.targetId === String(rule.id))?.detail).toMatchObject({ changes: { nodeIds: { from: [nodes.city.id], to: [nodes.other.id] } } });
    expect((await raise(devices.outside.channels[0]!.id, 'airport')).ruleIds).toContain(rule.id);
    expect((await raise(devices.inside.channels[0]!.id, 'harbour')).ruleIds).not.toContain(rule.id);
  });
});

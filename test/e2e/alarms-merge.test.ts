// Manual alarms over the API are never merged: an officer's critical report keeps its text, place, reporter and rules (issue 11, 13a).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alarm, AlarmList, AlarmRule } from '../../common/alarms';
import type { AuditEntry } from '../../common/api';
import { startAlarmServer, type AlarmTestServer } from './alarms-support';

describe('manual alarms through the API', () => {
  let srv: AlarmTestServer;
  let camId: number;

  beforeAll(async () => {
    srv = await startAlarmServer();
    const cam = await srv.api<{ id: number }>('POST', '/api/v1/cameras', { name: 'Elm St', url: 'rtsp://127.0.0.1:1/x', enabled: false });
    camId = cam.body.id;
  }, 60_000);
  afterAll(async () => {
    await srv?.close();
  });

  it('keeps "Shots fired" as a critical alarm of its own beside an open minor one, and runs its rule', async () => {
    const rule = await srv.api<AlarmRule>('POST', '/api/v1/alarm-rules', {
      name: 'critical',
      types: ['manual'],
      minSeverity: 'critical',
      actions: { sound: true },
    });
    expect(rule.status).toBe(201);
    const minor = await srv.api<Alarm>('POST', '/api/v1/alarms', { sourceId: camId, severity: 'minor', message: 'Suspicious parcel' });
    expect(minor.status).toBe(201);
    const shots = await srv.api<Alarm>('POST', '/api/v1/alarms', {
      sourceId: camId,
      severity: 'critical',
      message: 'Shots fired, Elm St 12',
      lat: 31.2304,
      lon: 121.4737,
    });
    expect(shots.status).toBe(201);
    expect(shots.body.id).not.toBe(minor.body.id);
    expect(shots.body).toMatchObject({
      severity: 'critical',
      count: 1,
      message: 'Shots fired, Elm St 12',
      lat: 31.2304,
      lon: 121.4737,
      reporter: 'admin',
      ruleIds: [rule.body.id],
    });
    await srv.backend.features.alarms.center.idle();
    const got = (await srv.api<Alarm>('GET', `/api/v1/alarms/${shots.body.id}`)).body;
    expect(got.actions.map((a) => `${a.kind}:${a.status}`)).toEqual(['sound:sent']);
    const back = (await srv.api<Alarm>('GET', `/api/v1/alarms/${minor.body.id}`)).body;
    expect(back).toMatchObject({ severity: 'minor', count: 1, message: 'Suspicious parcel' });
    const open = (await srv.api<AlarmList>('GET', `/api/v1/alarms?type=manual&state=open`)).body.alarms;
    expect(open.map((a) => a.id).sort()).toEqual([minor.body.id, shots.body.id].sort());
    const audit = (await srv.api<AuditEntry[]>('GET', '/api/v1/audit?action=alarm.raise')).body;
    expect(audit.map((e) => e.targetId).sort()).toEqual([String(minor.body.id), String(shots.body.id)].sort());
  });
});

// Tests of the audit trail writer: each way of naming who acted (Actor, an adapter's session, the bare identity) is stored as user id and name.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { openTempStore, type TempStore } from '../../storage/sqlite/test-utils';
import { userActor } from '../platform/actor';
import { AuditLog } from './audit-log';

describe('AuditLog', () => {
  let t: TempStore;
  beforeEach(async () => {
    t = await openTempStore();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  test('stores the user of a user Actor, a session or an identity; nulls for a system Actor or nobody', async () => {
    const audit = new AuditLog(t.store, () => 1_000);
    await audit.record({
      actor: userActor({ id: 3, username: 'ann', role: 'dispatcher' }, '10.0.0.2'),
      action: 'a.actor',
      targetType: 'camera',
      targetId: 7,
      ip: '10.0.0.2',
    });
    await audit.record({ actor: { user: { id: 4, username: 'bob' } }, action: 'a.session' });
    await audit.record({ actor: { userId: null, username: 'mallory' }, action: 'a.identity', detail: { reason: 'bad password' } });
    await audit.record({ actor: { kind: 'system', reason: 'alarm rule 1' }, action: 'a.system' });
    await audit.record({ actor: null, action: 'a.nobody' });
    const rows = await t.store.audit.query({});
    const by = Object.fromEntries(rows.map((r) => [r.action, r]));
    expect(by['a.actor']).toMatchObject({ tsMs: 1_000, userId: 3, username: 'ann', targetType: 'camera', targetId: '7', ip: '10.0.0.2' });
    expect(by['a.session']).toMatchObject({ userId: 4, username: 'bob', targetType: null, targetId: null, ip: null });
    expect(by['a.identity']).toMatchObject({ userId: null, username: 'mallory', detail: { reason: 'bad password' } });
    expect(by['a.system']).toMatchObject({ userId: null, username: null });
    expect(by['a.nobody']).toMatchObject({ userId: null, username: null });
  });
});

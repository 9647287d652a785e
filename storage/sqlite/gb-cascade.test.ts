// Tests of SqliteGbCascadeRepo against a real SQLite file: upper platforms with a sealed password, updates that keep it, shared channels replaced and gone with their channel.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GbUpperInput } from '../repos/gb-cascade';
import { camera, openTempStore, T0, type TempStore } from './test-utils';

const UPPER: GbUpperInput = {
  name: 'City platform',
  gbId: '44010000002000000001',
  domain: '4401000000',
  host: '10.0.0.9',
  port: 5060,
  transport: 'udp',
  registerExpiresS: 3600,
  keepaliveS: 60,
  enabled: true,
  password: 'upper-secret',
};

describe('SqliteGbCascadeRepo', () => {
  let t: TempStore;
  beforeEach(async () => {
    t = await openTempStore();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('stores an upper platform with its password sealed, keeps it on update unless given, and refuses a second one with the same ID', async () => {
    const p = await t.store.gbCascade.create(UPPER, T0);
    expect(p).toMatchObject({ gbId: UPPER.gbId, hasPassword: true, transport: 'udp', enabled: true });
    const raw = await t.store.db.get<{ password_enc: string }>('SELECT password_enc FROM gb_upper_platforms WHERE id = ?', [p.id]);
    expect(raw?.password_enc).toMatch(/^s1:test:/);
    expect(await t.store.gbCascade.password(p.id)).toBe('upper-secret');
    const { password: _pw, ...noPassword } = UPPER;
    const u = await t.store.gbCascade.update(p.id, { ...noPassword, port: 5070, transport: 'tcp' }, T0 + 1);
    expect(u).toMatchObject({ port: 5070, transport: 'tcp', hasPassword: true, updatedMs: T0 + 1 });
    expect(await t.store.gbCascade.password(p.id)).toBe('upper-secret');
    expect(await t.store.gbCascade.update(p.id, { ...UPPER, password: null }, T0 + 2)).toMatchObject({ hasPassword: false });
    await expect(t.store.gbCascade.create({ ...UPPER, name: 'again' }, T0)).rejects.toMatchObject({ code: 'conflict' });
    expect(await t.store.gbCascade.remove(p.id)).toBe(true);
    expect(await t.store.gbCascade.list()).toEqual([]);
  });

  it('replaces the shared channels, refuses a GB ID twice, and drops a share with its channel', async () => {
    const p = await t.store.gbCascade.create(UPPER, T0);
    const a = await t.store.cameras.create(camera('A'), T0);
    const b = await t.store.cameras.create(camera('B'), T0);
    await t.store.gbCascade.setShared(p.id, [
      { channelId: a.id, gbId: '34020000001320000001' },
      { channelId: b.id, gbId: '34020000001320000002' },
    ]);
    expect(await t.store.gbCascade.shared(p.id)).toEqual([
      { channelId: a.id, gbId: '34020000001320000001' },
      { channelId: b.id, gbId: '34020000001320000002' },
    ]);
    await expect(
      t.store.gbCascade.setShared(p.id, [
        { channelId: a.id, gbId: '34020000001320000009' },
        { channelId: b.id, gbId: '34020000001320000009' },
      ]),
    ).rejects.toMatchObject({ code: 'conflict' });
    expect((await t.store.gbCascade.shared(p.id)).length).toBe(2);
    await t.store.cameras.delete(a.id);
    expect(await t.store.gbCascade.shared(p.id)).toEqual([{ channelId: b.id, gbId: '34020000001320000002' }]);
  });
});

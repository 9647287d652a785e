// Tests of SqliteUnitRepo against a real SQLite file: units share the cameras id space and namespace.
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StorageError, UPLINK_URL, type NewUnit } from '../repositories';
import { camera, openTempStore, segment, T0, type TempStore } from './test-utils';

const hash = (k: string) => createHash('sha256').update(k).digest('hex');

function unit(callsign: string, over: Partial<NewUnit> = {}): NewUnit {
  return {
    callsign,
    type: 'vehicle',
    officer: null,
    enabled: true,
    groupName: null,
    segmentSeconds: 60,
    retentionDays: 30,
    streamKeyHash: hash(`key-${callsign}`),
    ...over,
  };
}

describe('SqliteUnitRepo', () => {
  let t: TempStore;
  beforeEach(async () => {
    t = await openTempStore();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('creates a unit as an uplink row in the cameras id space, with all fields mapped', async () => {
    const cam = await t.store.cameras.create(camera('Gate'), T0);
    const u = await t.store.units.create(
      unit('Car 12', { type: 'body', officer: 'Sgt. Li', groupName: 'North', segmentSeconds: 30, retentionDays: 90, enabled: false }),
      T0 + 1,
    );
    expect(u).toEqual({
      id: u.id,
      callsign: 'Car 12',
      type: 'body',
      officer: 'Sgt. Li',
      enabled: false,
      groupName: 'North',
      segmentSeconds: 30,
      retentionDays: 90,
      streamKeyHash: hash('key-Car 12'),
      keyRotatedMs: T0 + 1,
      createdMs: T0 + 1,
      updatedMs: T0 + 1,
    });
    expect(u.id).toBeGreaterThan(cam.id);
    expect(await t.store.cameras.get(u.id)).toMatchObject({ id: u.id, kind: 'uplink', name: 'Car 12', url: UPLINK_URL, username: null, password: null });
    expect((await t.store.cameras.get(cam.id))?.kind).toBe('rtsp');
    expect(await t.store.units.get(u.id)).toEqual(u);
    expect(await t.store.units.get(cam.id)).toBeNull();
    expect((await t.store.units.list()).map((x) => x.callsign)).toEqual(['Car 12']);
    expect((await t.store.cameras.list()).map((c) => [c.name, c.kind])).toEqual([
      ['Gate', 'rtsp'],
      ['Car 12', 'uplink'],
    ]);
  });

  it('refuses a callsign used by a camera or another unit, naming the field "callsign"', async () => {
    await t.store.cameras.create(camera('Gate'), T0);
    await t.store.units.create(unit('Car 1'), T0);
    for (const name of ['Gate', 'Car 1']) {
      const err = await t.store.units.create(unit(name), T0).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StorageError);
      expect(err).toMatchObject({ code: 'conflict', field: 'callsign' });
    }
    // A camera cannot take a unit's name either.
    await expect(t.store.cameras.create(camera('Car 1'), T0)).rejects.toMatchObject({ code: 'conflict', field: 'name' });
    expect(await t.store.units.list()).toHaveLength(1);
  });

  it('updates fields of both rows, and sets a new key with its time', async () => {
    const u = await t.store.units.create(unit('Car 1'), T0);
    const a = await t.store.units.update(u.id, { officer: 'Cst. Wang', type: 'handheld', enabled: false, retentionDays: 7 }, T0 + 10);
    expect(a).toEqual({ ...u, officer: 'Cst. Wang', type: 'handheld', enabled: false, retentionDays: 7, updatedMs: T0 + 10 });
    const b = await t.store.units.update(u.id, { callsign: 'Car 2' }, T0 + 20);
    expect(b?.callsign).toBe('Car 2');
    expect((await t.store.cameras.get(u.id))?.name).toBe('Car 2');
    const k = await t.store.units.setKey(u.id, hash('new'), T0 + 30);
    expect(k).toEqual({ ...b, streamKeyHash: hash('new'), keyRotatedMs: T0 + 30, updatedMs: T0 + 30 });
    expect(await t.store.units.update(999, { officer: null }, T0)).toBeNull();
    expect(await t.store.units.setKey(999, hash('x'), T0)).toBeNull();
  });

  it('does not treat a fixed camera as a unit', async () => {
    const cam = await t.store.cameras.create(camera('Gate'), T0);
    expect(await t.store.units.update(cam.id, { officer: 'x' }, T0)).toBeNull();
    expect(await t.store.units.delete(cam.id)).toBe(false);
    expect(await t.store.cameras.get(cam.id)).not.toBeNull();
    // The schema refuses a key row for a camera's device, and a kind change.
    await expect(
      t.store.db.run('INSERT INTO agent_devices (device_id, stream_key_hash, key_rotated_ms) VALUES (?, ?, 0)', [cam.id, hash('k')]),
    ).rejects.toThrow(/kind agent/);
    await expect(t.store.db.run("UPDATE devices SET kind = 'agent', callsign = 'x', mobile_type = 'body' WHERE id = ?", [cam.id])).rejects.toThrow(
      /cannot change/,
    );
  });

  it('refuses a stream key hash that is not 64 hex characters', async () => {
    await expect(t.store.units.create(unit('Car 1', { streamKeyHash: 'plain-key' }), T0)).rejects.toThrow(/CHECK constraint/);
    expect(await t.store.cameras.getByName('Car 1')).toBeNull(); // the cameras row was rolled back too
  });

  it('deletes both rows and keeps the recordings', async () => {
    const u = await t.store.units.create(unit('Car 1'), T0);
    const seg = await t.store.segments.insert(segment(u.id, T0, T0 + 60_000));
    expect(await t.store.units.delete(u.id)).toBe(true);
    expect(await t.store.units.delete(u.id)).toBe(false);
    expect(await t.store.units.get(u.id)).toBeNull();
    expect(await t.store.cameras.get(u.id)).toBeNull();
    expect(await t.store.db.get('SELECT count(*) AS n FROM agent_devices')).toEqual({ n: 0 });
    expect(await t.store.segments.get(seg.id)).toEqual(seg);
  });
});

// The access service over a real store and tree: role defaults, inheritance down the tree, channel grants, deny wins, groups, node principals, own units, global rights, caches.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROOT_NODE_ID } from '../../../common/devices';
import type { GrantCreate } from '../../../common/access';
import { openAccessFixture, type AccessFixture } from '../../../test/helpers/access-fixture';
import type { UserActor } from '../../platform/actor';
import { DomainError } from '../../platform/errors';

const admin: UserActor = { kind: 'user', userId: 1, username: 'root', role: 'admin', ip: '127.0.0.1' };
const allow = (over: Partial<GrantCreate>): GrantCreate => ({ principalKind: 'user', right: 'live.view', scopeKind: 'node', effect: 'allow', ...over });

describe('access service', () => {
  let f: AccessFixture;
  // City (2) > District (3) > Station (4); Harbour (5) beside City.
  let city: number, district: number, station: number, harbour: number;
  let camCity: { id: number; channels: number[] }, camStation: { id: number; channels: number[] }, camHarbour: { id: number; channels: number[] };

  beforeEach(async () => {
    f = await openAccessFixture();
    city = await f.node('City');
    district = await f.node('District', city);
    station = await f.node('Station', district);
    harbour = await f.node('Harbour');
    camCity = await f.device('CityCam', city, 2);
    camStation = await f.device('StationCam', station);
    camHarbour = await f.device('HarbourCam', harbour);
  });
  afterEach(async () => f.close());

  it('seeds the role templates: admin, dispatcher, investigator as before; officers only their own unit', async () => {
    const adm = await f.user('adm', 'admin');
    const disp = await f.user('disp', 'dispatcher');
    const off = await f.user('off', 'officer');
    expect(f.access.for(adm).global('users.manage')).toBe(true);
    expect(f.access.for(adm).channels('live.view')).toEqual({ all: true });
    expect(f.access.for(disp).channel('ptz.control', camHarbour.channels[0]!)).toBe(true);
    expect(f.access.for(disp).global('users.manage')).toBe(false);
    const o = f.access.for(off);
    expect(o.channel('live.view', camCity.channels[0]!)).toBe(false);
    expect(o.any('live.view')).toBe(false);
    await f.access.setDeviceUsers(camStation.id, [off.id], admin);
    const o2 = f.access.for(off);
    expect(o2.channel('live.view', camStation.channels[0]!)).toBe(true);
    expect(o2.device('map.positions', camStation.id)).toBe(true);
    expect(o2.channel('live.view', camCity.channels[0]!)).toBe(false);
    expect(o2.channels('alarms.view')).toEqual({ all: false, ids: new Set(camStation.channels) });
    expect(o2.summary().any).toEqual(expect.arrayContaining(['live.view', 'map.positions', 'alarms.view', 'alarms.handle']));
    expect(o2.summary().global).toEqual([]);
  });

  it('a grant on a node reaches every node, device and channel below it, not beside it', async () => {
    const u = await f.user('u', 'officer');
    await f.access.createGrant(allow({ principalId: u.id, scopeId: city }), admin);
    const a = f.access.for(u);
    expect(a.channel('live.view', camCity.channels[1]!)).toBe(true);
    expect(a.channel('live.view', camStation.channels[0]!)).toBe(true);
    expect(a.device('live.view', camStation.id)).toBe(true);
    expect(a.node('live.view', station)).toBe(true);
    expect(a.channel('live.view', camHarbour.channels[0]!)).toBe(false);
    expect(a.node('live.view', ROOT_NODE_ID)).toBe(false);
    expect(a.global('live.view')).toBe(false);
    expect(a.channels('live.view')).toEqual({ all: false, ids: new Set([...camCity.channels, ...camStation.channels]) });
  });

  it('a channel grant gives that channel and its device, not its sibling channel', async () => {
    const u = await f.user('u', 'investigator');
    await f.access.createGrant(allow({ principalId: u.id, right: 'audio', scopeKind: 'channel', scopeId: camCity.channels[0] }), admin);
    const a = f.access.for(u);
    expect(a.channel('audio', camCity.channels[0]!)).toBe(true);
    expect(a.channel('audio', camCity.channels[1]!)).toBe(false);
    expect(a.device('audio', camCity.id)).toBe(true);
    expect(a.node('audio', city)).toBe(false);
  });

  it('deny wins over allow, whether the deny is above or below the allow', async () => {
    const u = await f.user('u', 'officer');
    await f.access.createGrant(allow({ principalId: u.id, scopeId: city }), admin);
    await f.access.createGrant(allow({ principalId: u.id, scopeId: station, effect: 'deny' }), admin);
    let a = f.access.for(u);
    expect(a.channel('live.view', camStation.channels[0]!)).toBe(false);
    expect(a.channel('live.view', camCity.channels[0]!)).toBe(true);
    // A deny at the top beats an allow on the channel itself.
    const v = await f.user('v', 'officer');
    await f.access.createGrant(allow({ principalId: v.id, scopeKind: 'channel', scopeId: camStation.channels[0] }), admin);
    // (to everyone: the root node principal covers every user's home node)
    await f.access.createGrant(allow({ principalKind: 'node', principalId: ROOT_NODE_ID, scopeId: district, effect: 'deny' }), admin);
    a = f.access.for(v);
    expect(a.channel('live.view', camStation.channels[0]!)).toBe(false);
    // The dispatcher template's root allow loses to a deny for the dispatcher's group on one channel.
    const d = await f.user('d', 'dispatcher');
    const g = await f.access.createGroup({ name: 'Night shift' }, admin);
    await f.access.setMembers(g.id, [d.id], admin);
    await f.access.createGrant(
      allow({ principalKind: 'group', principalId: g.id, scopeKind: 'channel', scopeId: camHarbour.channels[0], effect: 'deny' }),
      admin,
    );
    const da = f.access.for(d);
    expect(da.channel('live.view', camHarbour.channels[0]!)).toBe(false);
    expect(da.channel('live.view', camCity.channels[0]!)).toBe(true);
    expect(da.global('live.view')).toBe(false);
    expect(da.any('live.view')).toBe(true);
  });

  it('node principals: a grant to a node applies to users whose home node is at or below it', async () => {
    const inStation = await f.user('s', 'officer');
    const inHarbour = await f.user('h', 'officer');
    await f.access.setUserNode(inStation.id, station, admin);
    await f.access.setUserNode(inHarbour.id, harbour, admin);
    await f.access.createGrant(allow({ principalKind: 'node', principalId: district, scopeId: district }), admin);
    expect(f.access.for(inStation).channel('live.view', camStation.channels[0]!)).toBe(true);
    expect(f.access.for(inHarbour).channel('live.view', camStation.channels[0]!)).toBe(false);
    expect((await f.access.userNode(inStation.id)).nodeId).toBe(station);
  });

  it('global rights count only at the root and cannot be granted elsewhere', async () => {
    const u = await f.user('u', 'dispatcher');
    const refused = await f.access.createGrant(allow({ principalId: u.id, right: 'users.manage', scopeId: city }), admin).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).code).toBe('request.invalid');
    await f.access.createGrant(allow({ principalId: u.id, right: 'users.manage', scopeId: ROOT_NODE_ID }), admin);
    expect(f.access.for(u).global('users.manage')).toBe(true);
    expect(f.access.for(u).channel('users.manage', camCity.channels[0]!)).toBe(true);
    await f.access.createGrant(allow({ principalKind: 'role', role: 'dispatcher', right: 'users.manage', scopeId: ROOT_NODE_ID, effect: 'deny' }), admin);
    expect(f.access.for(u).global('users.manage')).toBe(false);
  });

  it('caches per user and follows grants, memberships, role changes and devices moved in the tree', async () => {
    const u = await f.user('u', 'officer');
    await f.access.createGrant(allow({ principalId: u.id, scopeId: city }), admin);
    const first = f.access.for(u);
    expect(f.access.for(u)).toBe(first);
    expect(first.channel('live.view', camHarbour.channels[0]!)).toBe(false);
    let changes = 0;
    f.access.onChange(() => changes++);
    await f.t.store.devices.update(camHarbour.id, { nodeId: district }, 0);
    await f.reloadTree();
    await new Promise((r) => setTimeout(r, 50));
    expect(changes).toBeGreaterThan(0);
    expect(f.access.for(u)).not.toBe(first);
    expect(f.access.for(u).channel('live.view', camHarbour.channels[0]!)).toBe(true);
    // Role changes: the cached entry is for the old role.
    expect(f.access.for({ ...u, role: 'admin' }).global('users.manage')).toBe(true);
    expect(f.access.for(u).global('users.manage')).toBe(false);
  });

  it('refuses unknown principals and scopes (404) and duplicates (409)', async () => {
    const u = await f.user('u', 'officer');
    await expect(f.access.createGrant(allow({ principalId: 999 }), admin)).rejects.toMatchObject({ code: 'user.not_found' });
    await expect(f.access.createGrant(allow({ principalId: u.id, scopeId: 999 }), admin)).rejects.toMatchObject({ code: 'org.node_not_found' });
    await expect(f.access.createGrant(allow({ principalId: u.id, scopeKind: 'channel', scopeId: 999 }), admin)).rejects.toMatchObject({
      code: 'channel.not_found',
    });
    await f.access.createGrant(allow({ principalId: u.id, scopeId: city }), admin);
    await expect(f.access.createGrant(allow({ principalId: u.id, scopeId: city }), admin)).rejects.toMatchObject({ code: 'access.grant_exists' });
  });
});
